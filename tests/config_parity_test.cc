// For every config in models/: shrink it to test size (JSON overrides: tiny widths, few
// steps, few sequences, a short attention window so streams run past it), train a few
// steps, export, load the file in the engine, stream every validation row event by event
// and compare every output at every position with SequenceModel::outputs (max abs error
// <= 1e-4), including positions past the window W.
#define BOOST_TEST_MODULE config_parity
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model.h"
#include "engine/session.h"
#include "tools/util/aligned_bytes.h"
#include "trainer/data/data_config.h"
#include "trainer/model/sequence_model.h"
#include "trainer/optim/optimizer.h"   // loop.h uses optim::clip_grad_norm without including it
#include "trainer/train/checkpoint.h"
#include "trainer/train/loop.h"
#include "trainer/train/optimizer.h"
#include "trainer/train/train_config.h"

namespace runnel {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string models_dir() {
  // Runfiles: the test runs in the workspace directory of its runfiles tree.
  for (const char* c : {"models", "../runnel/models"})
    if (fs::exists(fs::path(c) / "multistream.json")) return c;
  BOOST_FAIL("models/ not found in the runfiles");
  return "";
}

std::vector<std::string> config_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(models_dir()))
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Keys whose integer values are widths/depths/windows, and the test size of each.
int small_value(const std::string& key, int v) {
  static const std::vector<std::pair<std::string, int>> sizes = {
      {"d", 8}, {"d_model", 8}, {"dim", 8}, {"hidden", 8}, {"ff", 16}, {"d_ff", 16}, {"layers", 1},
      {"heads", 2}, {"window", 6}, {"kernel", 3}, {"projection", 8}, {"proj", 8}, {"buckets", 8},
      {"time_buckets", 8}};
  for (const auto& [k, s] : sizes)
    if (key == k) return std::min(v, s);
  return v;
}

void shrink_model(json& j, const std::string& key = "") {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) shrink_model(it.value(), it.key());
  } else if (j.is_array()) {
    for (json& x : j) shrink_model(x, key);
  } else if (j.is_number_integer()) {
    j = small_value(key, j.get<int>());
  }
}

json test_size(json cfg) {
  json& d = cfg["data"];
  const std::string kind = d.value("kind", "");
  if (kind == "synthetic_employees") { d["employees"] = 4; d["days"] = 3; }
  if (kind == "csv") d["max_vocab"] = 12;
  if (kind == "csv" || kind == "synthetic_employees") d["window"] = 16;
  if (kind != "csv" && kind != "synthetic_employees") {
    d["train"] = 8;
    d["validation"] = 4;
    if (d.contains("length")) d["length"] = 16;
    if (d.contains("min_length")) d["min_length"] = 10;
    if (d.contains("max_length")) d["max_length"] = 16;
  }
  shrink_model(cfg["model"]);
  cfg["train"]["steps"] = 2;
  cfg["train"]["batch_size"] = 4;
  cfg["train"]["shards"] = 1;
  cfg["train"]["eval_every"] = 0;
  cfg["train"]["log_every"] = 0;
  cfg["train"]["checkpoint_every"] = 0;
  cfg["train"].erase("warmup_steps");
  return cfg;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

struct Parity {
  double max_err = 0;
  size_t positions = 0, past_window = 0;
  std::set<rnl::Op> ops;  // the ops of the exported file
};

Parity check_config(const std::string& path) {
  const json cfg = test_size(read_json(path));
  const std::string name = fs::path(path).stem().string();
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/config_parity/" + name;
  fs::remove_all(dir);

  auto dataset = data::make_dataset(cfg.at("data"), models_dir());
  model::SequenceModel m(cfg.at("model"), dataset->schema());
  const train::TrainConfig tc = train::parse_train_config(cfg.at("train"));
  train::TrainOptions opt;
  opt.out_dir = dir;
  opt.config = cfg;
  opt.log = nullptr;
  train::train_model(m, *dataset, tc, opt);

  // The trained parameters, from the final checkpoint.
  ag::ParameterSet<float> params;
  m.init_parameters(params, tc.seed);
  // What `runnel train` checks against --max-memory before creating anything (issue 17).
  BOOST_TEST(m.parameter_count() == params.element_count());
  train::TrainOptimizer optimizer(params, tc);
  const auto latest = train::latest_checkpoint(dir + "/checkpoints");
  BOOST_REQUIRE(latest.has_value());
  train::load_checkpoint(*latest, params, optimizer);

  // The exported file (the one training wrote) in the engine.
  std::ifstream in(dir + "/model.rnl", std::ios::binary);
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  AlignedBytes file(bytes);
  auto engine = std::make_unique<Model>();
  BOOST_REQUIRE_EQUAL(status_name(engine->load(file.data(), file.size())), "kOk");
  BOOST_REQUIRE_EQUAL(engine->n_outputs(), m.heads().size());
  AlignedBytes memory(std::vector<uint8_t>(engine->session_bytes())), scratch(std::vector<uint8_t>(engine->scratch_bytes()));
  Session session;
  BOOST_REQUIRE(session.init(*engine, memory.data(), memory.size(), scratch.data(), scratch.size()) == Status::kOk);

  const int window = cfg["model"].value("window", 6);
  Parity p;
  for (uint32_t i = 0; i < engine->file().n_records(); ++i) p.ops.insert(engine->file().op(i));
  for (const data::Batch& batch : dataset->validation_batches(4)) {
    const auto outs = m.outputs(params, batch);
    const size_t F = batch.ids.dimension() == 3 ? batch.ids.shape(2) : 0;
    const size_t N = batch.numeric.dimension() == 3 ? batch.numeric.shape(2) : 0;
    const size_t S = batch.statics.dimension() == 2 ? batch.statics.shape(1) : 0;
    // Output-only vocabularies (class labels) come after the event fields: id 0 for them.
    std::vector<int32_t> ids(std::max<size_t>(F, engine->file().n_vocabs()), 0);
    std::vector<float> numeric(N), statics(S);
    for (size_t b = 0; b < batch.rows; ++b) {
      session.reset();
      for (size_t s = 0; s < S; ++s) statics[s] = batch.statics(b, s);
      BOOST_REQUIRE(session.set_static(statics.data(), static_cast<uint32_t>(S)) == Status::kOk);
      for (size_t t = 0; t < batch.lengths[b]; ++t) {
        for (size_t f = 0; f < F; ++f) ids[f] = static_cast<int32_t>(batch.ids(b, t, f));
        for (size_t k = 0; k < N; ++k) numeric[k] = batch.numeric(b, t, k);
        Event e;
        e.ids = ids.data(); e.n_ids = static_cast<int>(ids.size());
        e.numeric = numeric.data(); e.n_numeric = static_cast<int>(N);
        e.dt = batch.dt.dimension() == 2 ? batch.dt(b, t) : 0.f;
        BOOST_REQUIRE_EQUAL(status_name(session.step(e)), "kOk");
        for (size_t h = 0; h < m.heads().size(); ++h) {
          const xt::xarray<float>& ref = outs.at(m.heads()[h].name);
          const uint32_t width = engine->output(static_cast<uint32_t>(h)).width;
          BOOST_REQUIRE_EQUAL(ref.shape(2), width);
          const float* got = session.output(static_cast<uint32_t>(h));
          for (uint32_t i = 0; i < width; ++i) {
            const double err = std::abs(static_cast<double>(got[i]) - static_cast<double>(ref(b, t, i)));
            p.max_err = std::max(p.max_err, std::isfinite(err) ? err : 1e30);
          }
        }
        ++p.positions;
        if (static_cast<int>(t) >= window) ++p.past_window;
      }
    }
  }
  return p;
}

// Also: every op of RUNNEL_OP_LIST is used by some config of models/ (but those listed in
// not_from_configs), so an op whose config kind was never added to trainer/model/
// (docs/ADDING_AN_OP.md) fails here.
BOOST_AUTO_TEST_CASE(every_config_streams_like_the_trainer) {
  const auto files = config_files();
  BOOST_TEST(files.size() >= 20u);
  std::set<rnl::Op> used;
  for (const std::string& path : files) {
    BOOST_TEST_CONTEXT(path) {
      const Parity p = check_config(path);
      used.insert(p.ops.begin(), p.ops.end());
      BOOST_TEST_MESSAGE(path << ": " << p.positions << " positions (" << p.past_window
                              << " past the window), max abs error " << p.max_err);
      BOOST_TEST(p.positions > 0u);
      BOOST_TEST(p.max_err <= 1e-4);
    }
  }
  // Ops no config kind builds, on purpose: kActivation stands alone only in hand-built
  // graphs (tools/testdata); configs fuse every activation into its dense layer.
  const std::set<rnl::Op> not_from_configs = {rnl::Op::kActivation};
  for (uint32_t i = 0; i < rnl::kOpCount; ++i) {
    const rnl::Op op = rnl::kOps[i];
    if (not_from_configs.count(op)) {
      BOOST_TEST(used.count(op) == 0u, rnl::kOpNames[i] << " is now built by a config: take it off not_from_configs");
      continue;
    }
    BOOST_TEST(used.count(op) == 1u, "no config in models/ uses " << rnl::kOpNames[i]
                                         << ": its config kind (trainer/model/) or a config using it is missing");
  }
}

}  // namespace
}  // namespace runnel
