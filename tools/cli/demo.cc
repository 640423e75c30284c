// runnel demo: the quickstart. Trains a small, fast variant of the multistream model
// (models/multistream.json with the demo overrides below) on the built-in synthetic
// employee events, exports it, streams every entity's events through the engine (the
// `runnel run` path: one session per entity, memory fixed up front) and prints per-field
// next-event accuracy on the held-out (validation) events next to the majority, last and
// first-order Markov (bigram) baselines, per-event latency (median/p99) and bytes per
// session. Everything goes to a run directory (default runs/demo).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include "tools/cli/command.h"
#include "tools/cli/model_loader.h"
#include "tools/cli/run_output.h"
#include "tools/cli/session_pool.h"
#include "trainer/config/object_reader.h"
#include "trainer/config/strict_json.h"
#include "trainer/data/baselines.h"
#include "trainer/data/data_config.h"
#include "trainer/data/event_log.h"
#include "trainer/data/synthetic_employees.h"
#include "trainer/io/atomic_file.h"
#include "trainer/model/sequence_model.h"
#include "trainer/optim/optimizer.h"   // loop.h uses optim::clip_grad_norm without including it
#include "trainer/train/loop.h"
#include "trainer/train/train_config.h"

namespace runnel::cli {
namespace {

using nlohmann::json;

struct DemoOptions {
  std::string out = "runs/demo";
  std::string config;        // default: models/multistream.json from the runfiles
  long steps = 0;            // 0 = the demo default
  long employees = 0, days = 0;
  int threads = 2;
};

// The demo's overrides of models/multistream.json (JSON merge patch, plus the smaller
// model in demo()): fewer steps and a smaller synthetic log, so that it trains in about a
// minute on 2 cores.
const char* kDemoPatch = R"({
  "data": {"employees": 24, "days": 20, "window": 32},
  "train": {"steps": 2000, "batch_size": 16, "shards": 2, "eval_every": 0, "log_every": 25,
            "checkpoint_every": 0, "warmup_steps": 20}
})";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// models/multistream.json: next to the binary's runfiles (bazel run / bazel-bin), else
// relative to the current directory.
std::string default_config() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::vector<std::string> candidates = {
      ec ? std::string() : exe.string() + ".runfiles/runnel/models/multistream.json",
      "models/multistream.json",
  };
  for (const std::string& c : candidates)
    if (!c.empty() && std::filesystem::exists(c)) return c;
  throw std::runtime_error("models/multistream.json not found (pass --config)");
}

int demo(const DemoOptions& o) {
  const std::string out_dir = resolve_user_path(o.out);
  const std::string config_path = o.config.empty() ? default_config() : resolve_user_path(o.config);
  json cfg = config::parse_strict_json(read_file(config_path), o.config.empty() ? config_path : o.config);
  cfg.merge_patch(json::parse(kDemoPatch));
  // Small model: width 16, one Transformer layer per stream over the last 16 events.
  cfg["model"]["d"] = 16;
  for (json& stream : cfg["model"]["streams"]) {
    json& enc = stream["encoder"];
    if (enc.value("kind", "") != "transformer") continue;
    enc["layers"] = 1;
    enc["ff"] = 32;
    enc["window"] = 16;
  }
  if (o.steps > 0) cfg["train"]["steps"] = o.steps;
  if (o.employees > 0) cfg["data"]["employees"] = o.employees;
  if (o.days > 0) cfg["data"]["days"] = o.days;
  std::filesystem::create_directories(out_dir);
  {
    io::write_file_atomically(out_dir + "/config.json", cfg.dump(2) + "\n");
  }
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(o.threads));

  std::printf("runnel demo: multistream model on synthetic employee events -> %s\n", o.out.c_str());
  std::fflush(stdout);
  const std::string base_dir = std::filesystem::path(config_path).parent_path().string();
  const config::EffectiveConfig effective;   // summary.json gets the config as trained
  std::unique_ptr<data::Dataset> dataset = data::make_dataset(cfg.at("data"), base_dir.empty() ? "." : base_dir);
  const auto* log = dynamic_cast<const data::EventLogDataset*>(dataset.get());
  if (log == nullptr) throw std::runtime_error(config_path + ": the demo needs an event-log data section");
  std::printf("data: %zu entities, %zu train events, %zu validation events, %zu held-out test events\n",
              log->streams().size(), log->train_events(), log->validation_events(), log->test_events());
  std::fflush(stdout);

  model::SequenceModel model(cfg.at("model"), dataset->schema());
  const train::TrainConfig tc = train::parse_train_config(cfg.at("train"));
  train::TrainOptions topt;
  topt.out_dir = out_dir;
  topt.config = effective.applied_to(cfg);
  topt.config["train"] = tc.to_json();
  topt.threads = o.threads;
  const auto t0 = std::chrono::steady_clock::now();
  train::train_model(model, *dataset, tc, topt);
  const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("trained %ld steps in %.1f s; exported %s/model.rnl\n", tc.steps, train_seconds, o.out.c_str());

  // Stream every entity's events through the engine; score the held-out test ones (the
  // checkpoint was selected on validation).
  LoadedModel loaded = load_model(out_dir + "/model.rnl");
  const Model& engine = *loaded.model;
  const rnl::ModelFile& file = engine.file();
  const std::vector<std::string>& fields = log->options().fields;
  std::vector<int> model_field(fields.size(), -1);
  for (size_t f = 0; f < fields.size(); ++f) model_field[f] = file.find_vocab(fields[f]);
  EventStreamer streamer(engine, 1);
  std::vector<int32_t> ids(file.n_vocabs(), 0);
  std::vector<float> numeric(file.n_numeric(), 0.f);
  for (size_t e = 0; e < log->streams().size(); ++e) {
    const data::RawStream& s = log->streams()[e];
    for (size_t i = 0; i < s.events.size(); ++i) {
      const data::RawEvent& ev = s.events[i];
      for (size_t f = 0; f < fields.size(); ++f)
        if (model_field[f] >= 0)
          ids[static_cast<size_t>(model_field[f])] =
              static_cast<int32_t>(file.vocab(static_cast<uint32_t>(model_field[f])).id(ev.fields[f]));
      for (size_t k = 0; k < numeric.size() && k < ev.numeric.size(); ++k) numeric[k] = ev.numeric[k];
      const Status st = streamer.push(s.entity, ev.time, ids.data(), numeric.data(), nullptr,
                                      i >= log->test_start(e));
      if (st != Status::kOk)
        throw std::runtime_error("engine step for entity '" + s.entity + "': " + status_name(st));
    }
  }

  const data::BaselineReport base = data::split_baselines(*log, data::Part::kTest);
  std::printf("\nnext-event top-1 accuracy on %zu held-out test events (engine, streamed one event at a time):\n",
              log->test_events());
  std::printf("  %-12s %8s %9s %8s %8s\n", "field", "runnel", "majority", "last", "markov");
  json acc = json::object();
  for (const FieldAccuracy& f : streamer.accuracy()) {
    size_t b = 0;
    while (b < base.fields.size() && base.fields[b] != f.field) ++b;
    auto pct = [&](const char* name) {
      return b < base.fields.size() ? base.get(name).accuracy[b] : 0.0;
    };
    std::printf("  %-12s %7.2f%% %8.2f%% %7.2f%% %7.2f%%\n", f.field.c_str(), 100.0 * f.accuracy(), pct("majority"),
                pct("last"), pct("bigram"));
    acc[f.field] = {{"runnel", 100.0 * f.accuracy()}, {"majority", pct("majority")}, {"last", pct("last")},
                    {"markov", pct("bigram")}, {"scored", f.total}};
  }
  const double p50 = percentile(streamer.step_micros(), 0.5), p99 = percentile(streamer.step_micros(), 0.99);
  std::printf("\nlatency per event: median %.1f us, p99 %.1f us (%zu events, batch 1, one thread)\n", p50, p99,
              streamer.events());
  std::printf("memory: %zu bytes per session, %zu bytes scratch shared, model file %zu bytes\n",
              engine.session_bytes(), engine.scratch_bytes(), loaded.file->size());
  const json summary = {{"accuracy_percent", acc},
                        {"latency_us", {{"median", p50}, {"p99", p99}}},
                        {"session_bytes", engine.session_bytes()},
                        {"scratch_bytes", engine.scratch_bytes()},
                        {"model_bytes", loaded.file->size()},
                        {"train_seconds", train_seconds},
                        {"steps", tc.steps}};
  // The synthetic log itself, so that `runnel run` can replay it.
  if (cfg["data"].value("kind", "") == "synthetic_employees") {
    data::EmployeeOptions gen;
    gen.employees = cfg["data"].value("employees", gen.employees);
    gen.days = cfg["data"].value("days", gen.days);
    gen.seed = cfg["data"].value("seed", gen.seed);
    OutputFile csv(o.out + "/events.csv");
    csv.stream() << data::synthetic_employees_csv(gen);
    csv.commit();
  }
  OutputFile out(o.out + "/demo.json");
  out.stream() << summary.dump(2) << "\n";
  out.commit();
  std::printf("\nrun directory: %s (model.rnl, metrics.csv, summary.json, demo.json, events.csv)\n", out_dir.c_str());
  std::printf("next: bazel run //tools:runnel -- run --model %s/model.rnl --events %s/events.csv "
              "--out %s/preds.csv --beam 4 --horizon 3\n",
              o.out.c_str(), o.out.c_str(), o.out.c_str());
  return 0;
}

}  // namespace

CommandRunner setup_demo(CLI::App& sub) {
  auto o = std::make_shared<DemoOptions>();
  sub.add_option("--out", o->out, "run directory (default runs/demo)");
  sub.add_option("--config", o->config, "model config (default models/multistream.json)");
  sub.add_option("--steps", o->steps, "training steps (default 2000)")->check(CLI::PositiveNumber);
  sub.add_option("--employees", o->employees, "synthetic employees (default 24)")->check(CLI::PositiveNumber);
  sub.add_option("--days", o->days, "working days per employee (default 20)")->check(CLI::PositiveNumber);
  sub.add_option("--threads", o->threads, "training threads (default 2)")->check(CLI::PositiveNumber);
  return [o] { return demo(*o); };
}

}  // namespace runnel::cli
