// runnel: train small event-stream models, run them one event at a time.
#include <cstdio>
#include <exception>
#include <vector>

#include "engine/version.h"
#include "tools/cli/command.h"

namespace runnel::cli {
// Each subcommand lives in its own file under tools/cli/ and is listed here.
// (declarations: CommandRunner setup_<name>(CLI::App&))
CommandRunner setup_inspect(CLI::App& sub);
CommandRunner setup_bench(CLI::App& sub);
CommandRunner setup_gradcheck(CLI::App& sub);
CommandRunner setup_run(CLI::App& sub);
CommandRunner setup_demo(CLI::App& sub);
CommandRunner setup_train(CLI::App& sub);
CommandRunner setup_plot(CLI::App& sub);
CommandRunner setup_embed(CLI::App& sub);
CommandRunner setup_footprint(CLI::App& sub);
CommandRunner setup_baselines(CLI::App& sub);
CommandRunner setup_eval(CLI::App& sub);
}  // namespace runnel::cli

int main(int argc, char** argv) {
  using namespace runnel::cli;
  const std::vector<Command> commands = {
      {"train", "train a model from a config: metrics, TensorBoard events, checkpoints, model.rnl, summary.json",
       setup_train},
      {"eval", "score a trained model once on the test part of its config's split, beside the seven baselines, "
               "with McNemar's paired test per field", setup_eval},
      {"baselines", "the seven next-event baselines, top-1 and top-k, on a config's validation and test parts",
       setup_baselines},
      {"plot", "training curves of run directories (metrics.csv) to SVG/PNG with gnuplot; several runs overlay", setup_plot},
      {"inspect", "validate a model file (.rnl) and print its graph, tensors and vocabularies", setup_inspect},
      {"embed", "write a model file as a 64-byte aligned const C array, for firmware that keeps the model in flash",
       setup_embed},
      {"footprint", "a model's flash, RAM, stack and instructions per event on a Cortex-M4F, measured by building "
                    "and running the example firmware under QEMU", setup_footprint},
      {"bench", "per-event latency (median, p99), events/s and memory of batch-1 streaming", setup_bench},
      {"run", "stream a CSV event log through a model: per-event top-k predictions, next-event accuracy, beam search", setup_run},
      {"demo", "quickstart: train a small multistream model on synthetic employee events, stream held-out events through the engine, print accuracy vs baselines, latency, memory", setup_demo},
      {"gradcheck", "check autograd against a PyTorch reference file and finite differences", setup_gradcheck},
  };

  CLI::App app{"runnel: train small causal event-stream models and run them one event at a time"};
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, CommandRunner>> runners;
  for (const Command& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    runners.emplace_back(sub, c.setup(*sub));
  }
  app.set_version_flag("--version", std::string("runnel ") + runnel::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end parsing with exit code 0; any other parse error is a usage
    // error: exit 2 as POSIX utilities do, not CLI11's own codes (docs/CLI.md lists them).
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  try {
    for (auto& [sub, run] : runners)
      if (sub->parsed()) return run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "runnel: error: %s\n", e.what());
    return kExitError;
  }
  return kExitError;
}
