// runnel eval --config C.json --model M.rnl [--topk K] [--json OUT.json]
//
// Scores a trained model once on the test part of the config's data.split (each
// entity's last data.split.test fraction of events; the model was trained on the train
// part and selected on validation, neither of which is scored here). Every entity's whole
// stream goes through the engine one event at a time (test events are predicted from all
// the entity's earlier events, as in streaming use); each test event's prediction is
// compared with it. Printed per categorical field, beside the seven baselines on the
// same events (trainer/data/baselines.h; counts from train + validation): top-1 and
// top-k over all test events and as the mean over entities, and McNemar's exact paired
// test (trainer/data/mcnemar.h) of runnel against the baseline with the best top-1 on
// that field. --json writes the same figures.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/cli/command.h"
#include "tools/cli/count_check.h"
#include "tools/cli/memory_budget.h"
#include "tools/cli/event_log_config.h"
#include "tools/cli/model_loader.h"
#include "tools/cli/run_output.h"
#include "tools/cli/session_pool.h"
#include "tools/cli/vocab_coverage.h"
#include "trainer/data/baselines.h"
#include "trainer/data/mcnemar.h"

namespace runnel::cli {
namespace {

struct EvalArgs {
  std::string config, model, json_out;
  int topk = 5;
  MemoryBudget memory;
};

// Per field: runnel's hits per scored test event, in the baselines' order.
struct ModelHits {
  std::vector<std::string> fields;                       // model output field names
  std::vector<std::vector<std::uint8_t>> hit, hit_topk;  // [field][event]
};

// `source` names the log in messages (the config's data).
ModelHits stream_test_part(const Model& model, const data::EventLogDataset& log, int topk, const std::string& source) {
  const rnl::ModelFile& file = model.file();
  const std::vector<std::string>& names = log.options().fields;
  // The config's field of every model vocabulary (event fields must all be there).
  std::vector<int> field_of(file.n_vocabs(), -1);
  for (uint32_t v = 0; v < file.n_vocabs(); ++v) {
    if (file.vocab(v).kind() != rnl::VocabKind::kEventField) continue;
    const auto it = std::find(names.begin(), names.end(), std::string(file.vocab(v).field()));
    if (it == names.end())
      throw std::runtime_error("the model reads field '" + std::string(file.vocab(v).field()) +
                               "', which the config's data.columns.categorical does not have");
    field_of[v] = static_cast<int>(it - names.begin());
  }
  if (file.n_numeric() != log.schema().numeric.size() || file.n_static() != 0)
    throw std::runtime_error("the model's numeric inputs (" + std::to_string(file.n_numeric()) +
                             ") do not match the config's (" + std::to_string(log.schema().numeric.size()) +
                             "): was it trained with this config?");

  std::vector<std::string> columns(file.n_vocabs());
  for (uint32_t v = 0; v < file.n_vocabs(); ++v)
    if (field_of[v] >= 0) columns[v] = names[static_cast<std::size_t>(field_of[v])];
  VocabCoverage coverage(file, columns);

  EventStreamer streamer(model, topk);
  ModelHits out;
  for (const FieldAccuracy& f : streamer.accuracy()) out.fields.push_back(f.field);
  out.hit.resize(out.fields.size());
  out.hit_topk.resize(out.fields.size());
  streamer.on_scored = [&](std::size_t f, bool top1, bool topk_hit) {
    out.hit[f].push_back(top1);
    out.hit_topk[f].push_back(topk_hit);
  };
  std::vector<int32_t> ids(file.n_vocabs(), 0);
  std::vector<float> numeric(file.n_numeric(), 0.f);
  for (const data::RawStream& s : log.test_streams()) {
    for (std::size_t i = 0; i < s.events.size(); ++i) {
      const data::RawEvent& ev = s.events[i];
      for (uint32_t v = 0; v < file.n_vocabs(); ++v) {
        if (field_of[v] < 0) {
          ids[v] = 0;
          continue;
        }
        const std::string& value = ev.fields[static_cast<std::size_t>(field_of[v])];
        ids[v] = static_cast<int32_t>(file.vocab(v).id(value));
        coverage.add(v, value, ids[v]);
      }
      std::copy(ev.numeric.begin(), ev.numeric.end(), numeric.begin());
      const bool scored = i >= s.validation_start;
      const std::size_t before = out.hit.empty() ? 0 : out.hit[0].size();
      const Status st = streamer.push(s.entity, ev.time, ids.data(), numeric.data(), nullptr, scored);
      if (st != Status::kOk)
        throw std::runtime_error("entity '" + s.entity + "', event " + std::to_string(i) +
                                 ": the engine rejected it: " + status_name(st) + ": " + status_message(st));
      // An event with no earlier event of its entity has no prediction: it counts as wrong
      // (the baselines predict the majority value there).
      if (scored && !out.hit.empty() && out.hit[0].size() == before)
        for (std::size_t f = 0; f < out.fields.size(); ++f) {
          out.hit[f].push_back(0);
          out.hit_topk[f].push_back(0);
        }
    }
  }
  for (const std::string& warning : coverage.check(source)) std::fprintf(stderr, "%s\n", warning.c_str());
  return out;
}

double pct(const std::vector<std::uint8_t>& h) {
  std::size_t n = 0;
  for (auto x : h) n += x;
  return h.empty() ? 0.0 : 100.0 * double(n) / double(h.size());
}

// Mean over entities of the per-entity accuracy (events grouped as the baselines count them).
double entity_mean(const std::vector<std::uint8_t>& h, const std::vector<std::size_t>& per_entity) {
  double sum = 0;
  std::size_t at = 0;
  for (std::size_t n : per_entity) {
    std::size_t right = 0;
    for (std::size_t i = 0; i < n; ++i) right += h[at + i];
    at += n;
    sum += 100.0 * double(right) / double(n);
  }
  return per_entity.empty() ? 0.0 : sum / double(per_entity.size());
}

int run_eval(const EvalArgs& a) {
  const ConfigEventLog c = load_config_event_log(a.config);
  if (c.log->test_events() == 0)
    throw config::ConfigError(a.config + ": data.split.test: the config has no test part (set data.split)");
  LoadedModel loaded = load_model(a.model);
  require_sessions(a.memory, *loaded.model, 1, "one", a.model);
  const data::BaselineReport base = data::split_baselines(*c.log, data::Part::kTest, static_cast<std::size_t>(a.topk));
  const ModelHits m = stream_test_part(*loaded.model, *c.log, a.topk, a.config + " (data, test part)");

  const data::Split& sp = c.log->options().split;
  std::printf("%s, test part: %zu events of %zu entities (each entity's last %g of its events), scored once\n",
              a.config.c_str(), base.scored_events, base.scored_per_entity.size(), sp.test);
  std::printf("runnel: %s, streamed through the engine one event at a time; baselines: counts from the %zu "
              "train + validation events\n",
              a.model.c_str(), base.fit_events);
  nlohmann::json report = {{"config", a.config}, {"model", a.model}, {"k", a.topk},
                           {"test_events", base.scored_events}, {"entities", base.scored_per_entity.size()},
                           {"fields", nlohmann::json::object()}};
  const std::string k = std::to_string(a.topk);
  for (std::size_t f = 0; f < m.fields.size(); ++f) {
    const auto it = std::find(base.fields.begin(), base.fields.end(), m.fields[f]);
    if (it == base.fields.end()) continue;
    const std::size_t bf = static_cast<std::size_t>(it - base.fields.begin());
    if (m.hit[f].size() != base.scored_events)
      throw std::runtime_error("field " + m.fields[f] + ": runnel scored " + std::to_string(m.hit[f].size()) +
                               " test events, the baselines " + std::to_string(base.scored_events));
    std::printf("\n%-18s %9s %12s %9s %12s\n", m.fields[f].c_str(), "top-1", "top-1 ent.", ("top-" + k).c_str(),
                ("top-" + k + " ent.").c_str());
    nlohmann::json rows = nlohmann::json::object();
    auto row = [&](const std::string& name, const std::vector<std::uint8_t>& h1, const std::vector<std::uint8_t>& hk) {
      const double v[4] = {pct(h1), entity_mean(h1, base.scored_per_entity), pct(hk),
                           entity_mean(hk, base.scored_per_entity)};
      std::printf("  %-16s %9.2f %12.2f %9.2f %12.2f\n", name.c_str(), v[0], v[1], v[2], v[3]);
      rows[name] = {{"top1", v[0]}, {"top1_entity_mean", v[1]}, {"topk", v[2]}, {"topk_entity_mean", v[3]}};
    };
    row("runnel", m.hit[f], m.hit_topk[f]);
    const data::BaselineResult* best = nullptr;
    for (const data::BaselineResult& b : base.baselines) {
      row(b.name, b.hit[bf], b.hit_topk[bf]);
      if (best == nullptr || b.accuracy[bf] > best->accuracy[bf]) best = &b;
    }
    const data::McNemar t = data::mcnemar(m.hit[f], best->hit[bf]);
    const double diff = pct(m.hit[f]) - best->accuracy[bf];
    std::printf("  runnel vs %s (best top-1): %+.2f points; %zu events only runnel right, %zu only %s; "
                "McNemar exact p = %.3g\n",
                best->name.c_str(), diff, t.a_only, t.b_only, best->name.c_str(), t.p_value);
    report["fields"][m.fields[f]] = {{"rows", rows},
                                     {"best_baseline", best->name},
                                     {"top1_difference", diff},
                                     {"only_runnel_right", t.a_only},
                                     {"only_baseline_right", t.b_only},
                                     {"mcnemar_p", t.p_value}};
  }
  if (!a.json_out.empty()) {
    OutputFile out(a.json_out);
    out.stream() << report.dump(2) << "\n";
    out.commit();
    std::printf("\nwrote %s\n", a.json_out.c_str());
  }
  return 0;
}

}  // namespace

CommandRunner setup_eval(CLI::App& sub) {
  auto a = std::make_shared<EvalArgs>();
  sub.add_option("--config", a->config, "the model's config (its data section defines the log and the split)")
      ->required();
  sub.add_option("--model", a->model, "model file (.rnl) trained with that config")->required();
  sub.add_option("--topk", a->topk, "k of the top-k columns (default 5)")
      ->check(count_check(1, 64, "k of the top-k columns"));
  sub.add_option("--json", a->json_out, "also write the figures as JSON");
  add_max_memory_option(sub, &a->memory);
  sub.footer("Score the test part once, after choosing the model on validation.");
  return [a] {
    try {
      return run_eval(*a);
    } catch (const config::ConfigError& e) {
      std::fprintf(stderr, "runnel eval: config error: %s\n", e.what());
      return 2;
    }
  };
}

}  // namespace runnel::cli
