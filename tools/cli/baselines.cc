// runnel baselines --config C.json [--part validation|test|both] [--topk K] [--events-out F.csv]
//
// Sequence-level synthetic configs (seq_tabular, posenc, multitask, adding): one JSON
// object of trivial target baselines on the validation split (trainer/data/target_baselines.h).
//
// Event logs:
// The seven next-event baselines of trainer/data/baselines.h (majority, last, bigram,
// trigram, entity_majority, entity_bigram, joint_bigram), top-1 and top-k, over all
// scored events and as the mean over entities, on the config's data.split: validation
// (counts from train; what a model is selected against) and test (counts from train +
// validation; what `runnel eval` prints beside the model). For synthetic_employees,
// --events-out also writes the generated log as CSV (what `runnel run --events` and
// `runnel eval` read).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "tools/cli/command.h"
#include "tools/cli/count_check.h"
#include "tools/cli/event_log_config.h"
#include "tools/cli/run_output.h"
#include "trainer/data/baselines.h"
#include "trainer/data/data_config.h"
#include "trainer/data/synthetic_sequence.h"
#include "trainer/data/target_baselines.h"
#include "trainer/data/synthetic_employees.h"

namespace runnel::cli {
namespace {

struct BaselinesArgs {
  std::string config, part = "both", events_out;
  std::size_t topk = 5;
};

// The config's dataset when it is a sequence-level synthetic source, else null.
std::unique_ptr<data::Dataset> sequence_dataset(const std::string& shown_path) {
  const std::string path = resolve_user_path(shown_path);
  const config::ConfigFile file = config::load_config_file(path);
  const std::string kind = file.data.value("kind", "");
  if (kind == "csv" || kind == "synthetic_employees") return nullptr;
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return config::in_config_file(shown_path, [&] { return data::make_dataset(file.data, dir.empty() ? "." : dir); });
}

int run_baselines(const BaselinesArgs& a) {
  if (const auto ds = sequence_dataset(a.config)) {
    const auto* seq = dynamic_cast<const data::SyntheticSequenceDataset*>(ds.get());
    if (seq == nullptr) throw std::runtime_error(a.config + ": data.kind: no baselines for this source");
    std::printf("%s\n", data::target_baselines(*seq).dump().c_str());
    return 0;
  }
  const ConfigEventLog c = load_config_event_log(a.config);
  const data::Split& sp = c.log->options().split;
  std::printf("%s: %zu entities, split train %g / validation %g / test %g per entity (chronological)\n",
              a.config.c_str(), c.log->streams().size(), sp.train, sp.validation, sp.test);
  if (a.part != "test") {
    std::printf("\n");
    std::fputs(data::format_baselines(data::split_baselines(*c.log, data::Part::kValidation, a.topk)).c_str(), stdout);
  }
  if (a.part != "validation") {
    std::printf("\n");
    if (c.log->test_events() == 0)
      std::printf("test: no test part (data.split.test is 0)\n");
    else
      std::fputs(data::format_baselines(data::split_baselines(*c.log, data::Part::kTest, a.topk)).c_str(), stdout);
  }
  if (!a.events_out.empty()) {
    const nlohmann::json& data = c.file.data;
    if (data.value("kind", "") != "synthetic_employees")
      throw std::runtime_error("--events-out: only for data.kind synthetic_employees (a csv config names its file)");
    data::EmployeeOptions g;
    g.employees = data.value("employees", g.employees);
    g.days = data.value("days", g.days);
    g.seed = data.value("seed", g.seed);
    OutputFile out(a.events_out);
    out.stream() << data::synthetic_employees_csv(g);
    out.commit();
    std::printf("wrote %s\n", a.events_out.c_str());
  }
  return 0;
}

}  // namespace

CommandRunner setup_baselines(CLI::App& sub) {
  auto a = std::make_shared<BaselinesArgs>();
  sub.add_option("--config", a->config, "model config with an event-log data section (csv or synthetic_employees)")
      ->required();
  sub.add_option("--part", a->part, "validation, test or both (default)")
      ->check(CLI::IsMember({"validation", "test", "both"}));
  sub.add_option("--topk", a->topk, "k of the top-k tables (default 5)")
      ->check(count_check(1, LONG_MAX, "k of the top-k tables"));
  sub.add_option("--events-out", a->events_out, "synthetic_employees: also write the generated log as CSV");
  return [a] {
    try {
      return run_baselines(*a);
    } catch (const config::ConfigError& e) {
      std::fprintf(stderr, "runnel baselines: config error: %s\n", e.what());
      return 2;
    }
  };
}

}  // namespace runnel::cli
