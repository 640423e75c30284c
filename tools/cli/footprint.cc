// runnel footprint --target cortex-m4 MODEL.rnl: what the model costs on the device,
// measured rather than estimated — tools/footprint/cortex_m4_footprint.sh builds the
// example firmware (examples/cortex_m4) with only the model's ops, runs it under
// qemu-system-arm and prints flash by component, the RAM handed to the engine, the stack
// (measured, and worst case from the call graph) and instructions per event.
//
// It needs the source tree the script builds from: the binary's Bazel runfiles (bazel run,
// bazel-bin) or the current directory when it is a runnel checkout.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/cli/command.h"

namespace runnel::cli {
namespace {

struct FootprintOptions {
  std::string model;
  std::string target = "cortex-m4";
  std::string work;
  int max_nodes = 0;
  long arena = 0;
};

// The tree holding tools/footprint/, engine/ and examples/.
std::string source_tree() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::string> candidates;
  if (const char* runfiles = std::getenv("RUNFILES_DIR")) candidates.push_back(std::string(runfiles) + "/runnel");
  if (!ec) candidates.push_back(exe.string() + ".runfiles/runnel");
  candidates.push_back(".");
  for (const std::string& c : candidates)
    if (std::filesystem::exists(c + "/tools/footprint/cortex_m4_footprint.sh") &&
        std::filesystem::exists(c + "/examples/cortex_m4/CMakeLists.txt"))
      return c;
  throw std::runtime_error(
      "footprint needs the runnel source tree (engine/, examples/, tools/footprint/): run it with "
      "`bazel run //tools:runnel -- footprint ...` or from a runnel checkout");
}

int run_footprint(const FootprintOptions& o) {
  if (o.target != "cortex-m4")
    throw std::runtime_error("--target: '" + o.target + "' is not a target footprint knows (cortex-m4)");
  const std::string model = resolve_user_path(o.model);
  if (!std::filesystem::is_regular_file(model)) throw std::runtime_error(o.model + ": no such model file");
  const std::string tree = source_tree();
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the runnel binary (/proc/self/exe): " + ec.message());
  setenv("RUNNEL", self.c_str(), 1);
  setenv("RUNNEL_ROOT", tree.c_str(), 1);
  const std::string script = tree + "/tools/footprint/cortex_m4_footprint.sh";
  std::vector<std::string> args = {"bash", script};
  if (!o.work.empty()) args.insert(args.end(), {"--work", resolve_user_path(o.work)});
  if (o.max_nodes > 0) args.insert(args.end(), {"--max-nodes", std::to_string(o.max_nodes)});
  if (o.arena > 0) args.insert(args.end(), {"--arena", std::to_string(o.arena)});
  args.push_back(model);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execvp("bash", argv.data());
  throw std::runtime_error("cannot run " + script + ": " + std::strerror(errno));
}

}  // namespace

CommandRunner setup_footprint(CLI::App& sub) {
  auto o = std::make_shared<FootprintOptions>();
  sub.add_option("model", o->model, "model file (.rnl)")->required();
  sub.add_option("--target", o->target, "device: cortex-m4 (examples/cortex_m4 under qemu-system-arm)");
  sub.add_option("--work", o->work, "keep the build here (default: a temporary directory)");
  sub.add_option("--max-nodes", o->max_nodes, "RUNNEL_MAX_NODES of the firmware build (default 64)")
      ->check(CLI::PositiveNumber);
  sub.add_option("--arena", o->arena, "bytes of RAM the firmware gives the engine (default 131072)")
      ->check(CLI::PositiveNumber);
  return [o] { return run_footprint(*o); };
}

}  // namespace runnel::cli
