// Whole-model parity: SequenceModels assembled from JSON configs (multistream-like,
// seq_tabular-like, GRU, conv, every other encoder), checked against the engine stepping
// the exported file, before and after a few Adam steps. Plus the loss contract (row
// partitions add up to the batch loss) and config errors naming their field.
#define BOOST_TEST_MODULE parity_models
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tests/parity_util.h"
#include "trainer/model/sequence_model.h"
#include "trainer/optim/optimizer.h"

namespace runnel {
namespace {

using nlohmann::json;
using model::SequenceModel;

double model_parity(const SequenceModel& m, const nn::Params& p, const data::Batch& b) {
  auto outs = m.outputs(p, b);
  std::vector<xt::xarray<float>> expected;
  for (const auto& h : m.heads()) {
    expected.push_back(outs.at(h.name));
    // A degenerate model (every output constant) would pass parity trivially.
    const xt::xarray<float>& y = expected.back();
    const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
    BOOST_CHECK_MESSAGE(*hi - *lo > 1e-3f, "head " << h.name << ": outputs do not vary");
  }
  return parity::engine_max_error(m.export_rnl(p).bytes(), expected, b);
}

// Parity at init (perturbed), then after `steps` Adam steps on the batch; the loss must go down.
void check_model(const std::string& name, const json& config, const data::DataSchema& schema,
                 const data::Batch& batch, int steps = 4) {
  const SequenceModel m(config, schema);
  nn::Params p;
  m.init_parameters(p, 5);
  parity::perturb(p, 9, 0.05f);
  const double before = model_parity(m, p, batch);
  std::cout << "parity " << name << " at init: max abs error " << before << "\n";
  BOOST_CHECK_LE(before, 1e-4);

  optim::Adam<float>::Options o;
  optim::Adam<float> adam(p, o);
  double first_loss = 0, last_loss = 0;
  for (int s = 0; s < steps; ++s) {
    p.zero_grad();
    const model::ForwardResult r = m.forward(p, batch, 0, batch.rows, true, static_cast<uint64_t>(s));
    ag::backward(r.loss);
    adam.step(1e-2f);
    (s == 0 ? first_loss : last_loss) = r.loss.value()();
  }
  const double after = model_parity(m, p, batch);
  std::cout << "parity " << name << " after " << steps << " Adam steps: max abs error " << after << " (loss "
            << first_loss << " -> " << last_loss << ")\n";
  BOOST_CHECK_LE(after, 1e-4);
  BOOST_CHECK_LT(last_loss, first_loss);
}

data::DataSchema employee_schema() {
  data::DataSchema s = parity::make_schema({6, 5, 7, 4}, 1, 0);
  const char* names[] = {"EventType", "Location", "CostCode", "JobCode"};
  s.targets.clear();
  for (int f = 0; f < 4; ++f) {
    s.fields[f].name = names[f];
    s.targets.push_back({std::string("next:") + names[f], true, false, s.fields[f].vocab.size()});
  }
  return s;
}

BOOST_AUTO_TEST_CASE(multistream_transformers_cross_attention) {
  const data::DataSchema s = employee_schema();
  const json config = json::parse(R"({
    "d": 8,
    "streams": [
      {"fields": ["EventType"], "time": {"buckets": 8}, "position": "sinusoidal",
       "encoder": {"kind": "transformer", "layers": 2, "heads": 2, "ff": 16, "window": 4, "position_bias": "relative"}},
      {"fields": ["Location"], "position": "learned", "max_len": 16,
       "encoder": {"kind": "transformer", "layers": 1, "heads": 2, "ff": 16, "window": 4, "position_bias": "alibi"}},
      {"fields": ["CostCode"], "numeric": ["num0"],
       "encoder": {"kind": "transformer", "layers": 1, "heads": 1, "ff": 12, "window": 3}},
      {"fields": ["JobCode", "EventType"],
       "encoder": {"kind": "transformer", "layers": 1, "heads": 4, "ff": 8, "window": 5, "position_bias": "relative"}}
    ],
    "fusion": {"kind": "cross_attention", "heads": 2},
    "heads": [
      {"target": "next:EventType"}, {"target": "next:Location"},
      {"target": "next:CostCode", "hidden": 8}, {"target": "next:JobCode", "weight": 0.5}
    ]
  })");
  check_model("multistream", config, s, parity::random_batch(s, 3, 9, 21));
}

data::DataSchema tabular_schema() {
  data::DataSchema s = parity::make_schema({5}, 2, 3);
  s.targets.push_back({"value", false, true, 0});
  s.targets.push_back({"class", true, true, 4});
  s.targets.push_back({"next:num1", false, false, 0});
  return s;
}

data::Batch tabular_batch(const data::DataSchema& s, std::size_t B, std::size_t T, uint32_t seed) {
  data::Batch b = parity::random_batch(s, B, T, seed);
  data::Target value, cls, next;
  value.values = xt::zeros<float>({B});
  value.mask = xt::ones<float>({B});
  cls.classes = xt::zeros<int64_t>({B});
  next.values = xt::zeros<float>({B, T});
  next.mask = xt::zeros<float>({B, T});
  for (std::size_t r = 0; r < B; ++r) {
    value.values(r) = b.statics(r, 0) + 0.5f * b.numeric(r, 0, 0);
    cls.classes(r) = 1 + static_cast<int64_t>(r % 3);
    for (std::size_t t = 0; t + 1 < b.lengths[r]; ++t) {
      next.values(r, t) = b.numeric(r, t + 1, 1);
      next.mask(r, t) = 1.f;
    }
  }
  b.targets["value"] = value;
  b.targets["class"] = cls;
  b.targets["next:num1"] = next;
  return b;
}

BOOST_AUTO_TEST_CASE(seq_tabular_static_pooling_regression) {
  const data::DataSchema s = tabular_schema();
  for (const char* pool : {"last", "mean", "max", "cls"}) {
    json config = json::parse(R"({
      "d": 8,
      "streams": [{"fields": ["field0"], "numeric": ["num0", "num1"], "time": true,
                   "encoder": {"kind": "linear_decay", "window": 3}}],
      "static": {"features": ["stat0", "stat1", "stat2"], "dense": 4, "activation": "tanh"},
      "fusion": {"kind": "concat", "d": 8, "activation": "relu"},
      "pooling": {"kind": "last", "l2_normalize": true, "projection": 6},
      "heads": [{"name": "value", "target": "value", "weight": 2.0}, {"target": "class"}]
    })");
    config["pooling"]["kind"] = pool;
    check_model(std::string("seq_tabular/") + pool, config, s, tabular_batch(s, 4, 8, 5));
  }
}

BOOST_AUTO_TEST_CASE(gru_event_heads) {
  const data::DataSchema s = tabular_schema();
  const json config = json::parse(R"({
    "d": 6,
    "streams": [{"fields": ["field0"], "numeric": ["num0"], "encoder": {"kind": "gru", "layers": 2, "hidden": 7}}],
    "heads": [{"target": "next:field0"}, {"target": "next:num1"}]
  })");
  check_model("gru", config, s, tabular_batch(s, 4, 10, 8));
}

BOOST_AUTO_TEST_CASE(conv_sequence_regression) {
  const data::DataSchema s = tabular_schema();
  const json config = json::parse(R"({
    "d": 6,
    "streams": [{"fields": ["field0"], "numeric": ["num0", "num1"],
                 "encoder": {"kind": "conv", "layers": 3, "kernel": 3, "dilations": [1, 2, 4]}}],
    "static": {},
    "pooling": {"kind": "max"},
    "heads": [{"target": "value"}]
  })");
  check_model("conv", config, s, tabular_batch(s, 4, 12, 13));
}

BOOST_AUTO_TEST_CASE(every_other_encoder) {
  const data::DataSchema s = tabular_schema();
  const json config = json::parse(R"({
    "d": 6,
    "streams": [
      {"fields": ["field0"], "encoder": {"kind": "mean"}},
      {"numeric": ["num0"], "encoder": {"kind": "max"}},
      {"fields": ["field0"], "encoder": {"kind": "sum"}},
      {"numeric": ["num1"], "time": true, "encoder": {"kind": "exp_decay", "alpha": 0.8}},
      {"fields": ["field0"], "encoder": {"kind": "learned_pos_weights", "window": 3}},
      {"fields": ["field0"], "numeric": ["num0"], "encoder": {"kind": "attention_pool"}},
      {"fields": ["field0"], "encoder": {"kind": "lstm", "hidden": 5}}
    ],
    "fusion": {"kind": "concat", "d": 10, "activation": "gelu_erf"},
    "heads": [{"target": "next:field0"}, {"target": "value"}, {"target": "class"}]
  })");
  check_model("all_encoders", config, s, tabular_batch(s, 4, 9, 17));
}

// The losses of a partition of the rows add up to the batch loss (what sharding relies on),
// and the gradients too.
BOOST_AUTO_TEST_CASE(row_partition_losses_add_up) {
  const data::DataSchema s = tabular_schema();
  const json config = json::parse(R"({
    "d": 6,
    "streams": [{"fields": ["field0"], "numeric": ["num0"], "encoder": {"kind": "gru"}}],
    "heads": [{"target": "next:field0"}, {"target": "next:num1", "weight": 0.5}, {"target": "value"}]
  })");
  const SequenceModel m(config, s);
  nn::Params p;
  m.init_parameters(p, 3);
  const data::Batch b = tabular_batch(s, 5, 7, 4);
  const double whole = m.forward(p, b, 0, 5, false, 0).loss.value()();
  double parts = 0;
  std::size_t count = 0;
  for (auto range : {std::pair<std::size_t, std::size_t>{0, 2}, {2, 3}, {3, 5}}) {
    const auto r = m.forward(p, b, range.first, range.second, false, 0);
    parts += r.loss.value()();
    count += r.heads[0].count;
  }
  BOOST_CHECK_CLOSE(whole, parts, 1e-3);
  BOOST_CHECK_EQUAL(count, m.forward(p, b, 0, 5, false, 0).heads[0].count);
  const auto all = m.forward(p, b, 0, 5, false, 0);
  BOOST_CHECK_EQUAL(all.heads.size(), 3u);
  BOOST_CHECK_EQUAL(all.heads[0].predicted.size(), 5u);
  BOOST_CHECK_LE(all.heads[0].correct, all.heads[0].correct_top5);
  BOOST_CHECK_EQUAL(all.heads[2].count, 5u);
}

// Dropout masks depend on (seed, node, row) only: shards see the whole batch's masks, and
// evaluation (training = false) is dropout-free, so parity holds for a model trained with it.
BOOST_AUTO_TEST_CASE(dropout_is_shard_invariant) {
  const data::DataSchema s = tabular_schema();
  const json config = json::parse(R"({
    "d": 8, "dropout": 0.3,
    "streams": [{"fields": ["field0"], "numeric": ["num0"],
                 "encoder": {"kind": "transformer", "layers": 1, "heads": 2, "ff": 8, "window": 3}}],
    "heads": [{"target": "next:field0"}, {"target": "value"}]
  })");
  const SequenceModel m(config, s);
  nn::Params p;
  m.init_parameters(p, 3);
  const data::Batch b = tabular_batch(s, 4, 7, 4);
  const double whole = m.forward(p, b, 0, 4, true, 77).loss.value()();
  const double parts = m.forward(p, b, 0, 1, true, 77).loss.value()() + m.forward(p, b, 1, 4, true, 77).loss.value()();
  BOOST_CHECK_CLOSE(whole, parts, 1e-3);
  const double eval = m.forward(p, b, 0, 4, false, 77).loss.value()();
  const double other_seed = m.forward(p, b, 0, 4, true, 78).loss.value()();
  BOOST_CHECK_NE(whole, eval);
  BOOST_CHECK_NE(whole, other_seed);
  check_model("dropout_transformer", config, s, b);
}

void expect_error(const json& config, const data::DataSchema& s, const std::string& fragment) {
  try {
    SequenceModel m(config, s);
    BOOST_ERROR("no ConfigError for " << config.dump() << " (expected '" << fragment << "')");
  } catch (const model::ConfigError& e) {
    BOOST_CHECK_MESSAGE(std::string(e.what()).find(fragment) != std::string::npos,
                        "'" << e.what() << "' does not contain '" << fragment << "'");
  }
}

BOOST_AUTO_TEST_CASE(config_errors_name_the_field) {
  const data::DataSchema s = tabular_schema();
  const json base = json::parse(R"({"d": 6, "streams": [{"fields": ["field0"], "encoder": {"kind": "mean"}}],
                                    "heads": [{"target": "next:field0"}]})");
  json c = base;
  c["streams"][0]["encoder"]["kind"] = "gru2";
  expect_error(c, s, "model.streams[0].encoder.kind: expected one of mean");
  c = base;
  c["streams"][0]["fields"] = json::array({"nope"});
  expect_error(c, s, "model.streams[0].fields");
  c = base;
  c["heads"][0]["target"] = "missing";
  expect_error(c, s, "model.heads[0].target: expected one of the data's targets");
  c = base;
  c["streams"][0]["encoder"] = json::parse(R"({"kind": "transformer", "heads": 4})");
  expect_error(c, s, "model.streams[0].encoder.heads: expected a divisor");
  c = base;
  c["streams"][0]["encoder"] = json::parse(R"({"kind": "transformer", "heads": 2})");
  expect_error(c, s, "model.streams[0].encoder.window: missing");
  c = base;
  c["streams"][0]["encodr"] = 1;
  expect_error(c, s, "model.streams[0].encodr: unknown field");
  c = base;
  c.erase("heads");
  expect_error(c, s, "model.heads: expected a non-empty array");
  c = base;
  c["fusion"] = json::parse(R"({"kind": "cross_attention", "heads": 4})");
  expect_error(c, s, "model.fusion.heads");
  c = base;
  c["d"] = -3;
  expect_error(c, s, "model.d: expected an integer");
}

}  // namespace
}  // namespace runnel
