// runnel train --config models/X.json --out DIR [--threads N] [--resume] [--steps N]
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <tbb/global_control.h>

#include "tools/cli/command.h"
#include "tools/cli/memory_budget.h"
#include "trainer/config/config_error.h"
#include "trainer/train/run_training.h"

namespace runnel::cli {
namespace {
struct TrainArgs {
  std::string config, out;
  int threads = 0;
  bool resume = false;
  long steps = 0;
  MemoryBudget memory;
};
}  // namespace

CommandRunner setup_train(CLI::App& sub) {
  auto a = std::make_shared<TrainArgs>();
  sub.add_option("--config", a->config, "model config file (JSON with data, model, train sections)")->required();
  sub.add_option("--out", a->out, "run directory: metrics.csv, TensorBoard events, checkpoints/, model.rnl, summary.json")
      ->required();
  sub.add_option("--threads", a->threads, "worker threads (default: all cores); results do not depend on it")
      ->check(CLI::NonNegativeNumber);
  sub.add_flag("--resume", a->resume, "continue from the newest checkpoint in DIR/checkpoints (bit-identical)");
  sub.add_option("--steps", a->steps, "override train.steps of the config")->check(CLI::PositiveNumber);
  add_max_memory_option(sub, &a->memory);
  sub.footer(
      "Ctrl-C or SIGTERM stops after the current step and writes a checkpoint (exit 130 or 143); --resume "
      "continues it.\n"
      "NaN/Inf in a loss or gradient stops training naming the step and head (exit code 3).\n"
      "Relative paths resolve against the directory bazel run was invoked from.");
  return [a]() -> int {
    const int threads = a->threads > 0 ? a->threads : int(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    train::RunOptions o;
    o.config_path = resolve_user_path(a->config);
    o.out_dir = resolve_user_path(a->out);
    o.resume = a->resume;
    o.steps = a->steps;
    o.threads = threads;
    o.stop = train::install_stop_handler();
    o.check_memory = [a](const train::MemoryEstimate& need) {
      require_memory(a->memory, need.describe(), need.total());
      if (need.per_row > 0)
        std::fprintf(stderr, "memory: about %s for %s, within %s\n", human_bytes(need.total()).c_str(),
                     need.describe().c_str(), a->memory.describe().c_str());
    };
    try {
      const train::TrainResult r = train::run_training(o);
      if (r.interrupted) {
        // Exit as a shell reports a process ended by the signal (130 SIGINT, 143 SIGTERM).
        const int sig = train::stop_signal() ? train::stop_signal() : SIGINT;
        std::fprintf(stderr, "interrupted after step %ld by %s; checkpoint written; continue with --resume\n",
                     r.steps_done, sig == SIGTERM ? "SIGTERM" : "SIGINT");
        return 128 + sig;
      }
      std::fprintf(stderr, "done: %ld steps; %s/model.rnl, %s/summary.json\n", r.steps_done, o.out_dir.c_str(),
                   o.out_dir.c_str());
      return 0;
    } catch (const train::TrainingDiverged& e) {
      std::fprintf(stderr, "runnel train: %s\n", e.what());
      return 3;
    } catch (const config::ConfigError& e) {
      std::fprintf(stderr, "runnel train: config error: %s\n", e.what());
      return 2;
    }
  };
}

}  // namespace runnel::cli
