// How much memory a command may use, checked before the work starts: `--max-memory
// BYTES` (suffixes K, M, G, T: powers of 1024), by default half of this machine's RAM.
// A size that would not fit is refused with a message naming the quantity and the bytes,
// never found out later as a bare std::bad_alloc.
#ifndef RUNNEL_TOOLS_CLI_MEMORY_BUDGET_H_
#define RUNNEL_TOOLS_CLI_MEMORY_BUDGET_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "engine/model.h"

namespace runnel::cli {

struct MemoryBudget {
  uint64_t bytes = 0;          // 0 until resolved: the default then applies
  std::string given;           // the option as typed ("" = default)

  // The budget in bytes (the default resolved on first use).
  uint64_t limit() const;
  // "--max-memory 4G" or "--max-memory (default: half of this machine's 15.5 GiB of RAM)".
  std::string describe() const;
};

// "4G", "512M", "1.5T", "1000" -> bytes (K, M, G, T: powers of 1024); throws
// CLI::ValidationError naming `option` otherwise.
uint64_t parse_size(const std::string& option, const std::string& text);

// Physical RAM of this machine (sysconf), or 0 when unknown.
uint64_t physical_memory_bytes();

// "3.5 TiB", "512 MiB", "1.2 KiB", "17 bytes".
std::string human_bytes(uint64_t bytes);

// Registers --max-memory on `sub`.
void add_max_memory_option(CLI::App& sub, MemoryBudget* budget);

// Throws std::runtime_error "<what> needs N bytes (H), more than --max-memory ..." when
// `bytes` exceeds the budget.
void require_memory(const MemoryBudget& budget, const std::string& what, uint64_t bytes);

// a * b, or throws std::runtime_error "<what>: A x B bytes overflows 64 bits" (the
// message still names the quantity and both factors).
uint64_t checked_bytes(const std::string& what, uint64_t a, uint64_t b);

// Throws unless `sessions` engine sessions of `model` plus its shared scratch fit the
// budget; `quantity` says where the count comes from ("--max-entities 1024"), `model_name`
// is the file as the user named it.
void require_sessions(const MemoryBudget& budget, const Model& model, uint64_t sessions, const std::string& quantity,
                      const std::string& model_name);

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_MEMORY_BUDGET_H_
