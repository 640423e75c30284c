#include "tools/cli/memory_budget.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace runnel::cli {

uint64_t parse_size(const std::string& option, const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw CLI::ValidationError(option, "expected a size such as 4G, 512M or 1000000, got '" + text + "'");
  }
  std::string suffix = text.substr(used);
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (suffix.size() == 2 && suffix[1] == 'B') suffix.pop_back();
  if (suffix.size() == 3 && suffix.substr(1) == "IB") suffix.resize(1);
  double scale = 1;
  if (suffix == "K") scale = 1024.0;
  else if (suffix == "M") scale = 1024.0 * 1024;
  else if (suffix == "G") scale = 1024.0 * 1024 * 1024;
  else if (suffix == "T") scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!suffix.empty() && suffix != "B")
    throw CLI::ValidationError(option, "unknown unit '" + text.substr(used) + "' (use K, M, G or T)");
  const double bytes = value * scale;
  if (!(bytes >= 1) || bytes >= 18446744073709551615.0)
    throw CLI::ValidationError(option, "expected a size of at least 1 byte and below 2^64, got '" + text + "'");
  return static_cast<uint64_t>(bytes);
}

uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

std::string human_bytes(uint64_t bytes) {
  const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  double v = static_cast<double>(bytes) / 1024;
  int u = 0;
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

uint64_t MemoryBudget::limit() const {
  if (bytes != 0) return bytes;
  const uint64_t ram = physical_memory_bytes();
  return ram > 0 ? ram / 2 : std::numeric_limits<uint64_t>::max();
}

std::string MemoryBudget::describe() const {
  if (!given.empty()) return "--max-memory " + given;
  const uint64_t ram = physical_memory_bytes();
  return "--max-memory (default: half of this machine's " + human_bytes(ram) + " of RAM)";
}

void add_max_memory_option(CLI::App& sub, MemoryBudget* budget) {
  sub.add_option_function<std::string>(
         "--max-memory",
         [budget](const std::string& text) {
           budget->bytes = parse_size("--max-memory", text);
           budget->given = text;
         },
         "memory this command may use, e.g. 4G or 512M (default: half of this machine's RAM); checked before "
         "the work starts")
      ->type_name("BYTES");
}

void require_memory(const MemoryBudget& budget, const std::string& what, uint64_t bytes) {
  if (bytes <= budget.limit()) return;
  throw std::runtime_error(what + " needs " + std::to_string(bytes) + " bytes (" + human_bytes(bytes) +
                           "), more than " + budget.describe() + " = " + std::to_string(budget.limit()) + " bytes");
}

uint64_t checked_bytes(const std::string& what, uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a)
    throw std::runtime_error(what + ": " + std::to_string(a) + " x " + std::to_string(b) +
                             " bytes does not fit in 64 bits");
  return a * b;
}

void require_sessions(const MemoryBudget& budget, const Model& model, uint64_t sessions, const std::string& quantity,
                      const std::string& model_name) {
  const std::string what = quantity + " session" + (sessions == 1 ? "" : "s") + " of " + model_name + " (" +
                           std::to_string(model.session_bytes()) + " bytes each, " +
                           human_bytes(model.session_bytes()) + ")";
  const uint64_t bytes = checked_bytes(what, sessions, model.session_bytes());
  if (bytes > std::numeric_limits<uint64_t>::max() - model.scratch_bytes())
    throw std::runtime_error(what + " plus scratch does not fit in 64 bits");
  require_memory(budget, what, bytes + model.scratch_bytes());
}

}  // namespace runnel::cli
