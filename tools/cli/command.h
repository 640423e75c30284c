// A runnel subcommand: one file per command under tools/cli/, registered in main.cc.
#ifndef RUNNEL_TOOLS_CLI_COMMAND_H_
#define RUNNEL_TOOLS_CLI_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace runnel::cli {

// Exit codes of every command (docs/CLI.md).
constexpr int kExitOk = 0;
constexpr int kExitError = 1;         // bad input file, I/O failure, a check that failed
constexpr int kExitUsage = 2;         // bad command line or config
constexpr int kExitDiverged = 3;      // train: the loss became NaN or infinite
constexpr int kExitInterrupted = 130; // train: stopped by SIGINT/SIGTERM, checkpoint written

// Adds the subcommand's options to `sub`; returns the function that runs it (after
// parsing) and yields the process exit code.
using CommandRunner = std::function<int()>;
using CommandSetup = CommandRunner (*)(CLI::App& sub);

struct Command {
  const char* name;
  const char* help;
  CommandSetup setup;
};

// Paths a user types are relative to where they ran `bazel run` (BUILD_WORKING_DIRECTORY),
// not to Bazel's runfiles directory.
std::string resolve_user_path(const std::string& path);

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_COMMAND_H_
