// A runnel subcommand: one file per command under tools/cli/, registered in main.cc.
#ifndef RUNNEL_TOOLS_CLI_COMMAND_H_
#define RUNNEL_TOOLS_CLI_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace runnel::cli {

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
