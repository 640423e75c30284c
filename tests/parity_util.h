// Parity harness: the trainer's sequence outputs against the engine stepping the exported
// .rnl file one event at a time (the backbone of the test suite, see DESIGN.md).
#ifndef RUNNEL_TESTS_PARITY_UTIL_H_
#define RUNNEL_TESTS_PARITY_UTIL_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "engine/model.h"
#include "engine/session.h"
#include "tools/util/aligned_bytes.h"
#include "trainer/data/batch.h"
#include "trainer/data/dataset.h"
#include "trainer/nn/graph.h"

namespace runnel::parity {

// A schema with `vocab.size()` categorical fields (field i has vocab[i] ids, 0 included),
// n_numeric numeric values, n_static static features and time deltas.
inline data::DataSchema make_schema(const std::vector<std::size_t>& vocab, std::size_t n_numeric,
                                    std::size_t n_static) {
  data::DataSchema s;
  for (std::size_t f = 0; f < vocab.size(); ++f) {
    data::FieldSchema field;
    field.name = "field" + std::to_string(f);
    field.vocab.push_back("");
    for (std::size_t i = 1; i < vocab[f]; ++i) field.vocab.push_back("v" + std::to_string(i));
    s.fields.push_back(field);
    s.targets.push_back({"next:" + field.name, true, false, vocab[f]});
  }
  for (std::size_t i = 0; i < n_numeric; ++i) s.numeric.push_back("num" + std::to_string(i));
  for (std::size_t i = 0; i < n_static; ++i) s.statics.push_back("stat" + std::to_string(i));
  s.has_time = true;
  return s;
}

// B ragged rows (row 0 has all T events, the others 1..T), random ids (0 included),
// numeric values in [-2, 2), dt from 0 to ~2^12 seconds, static features in [-1, 1).
// Padding is zero. Targets: "next:<field>" from the shifted ids, plus any named in
// `extra_targets` (regression/sequence-level filled randomly by the caller if needed).
inline data::Batch random_batch(const data::DataSchema& s, std::size_t B, std::size_t T, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  data::Batch b;
  b.rows = B;
  b.steps = T;
  const std::size_t F = s.fields.size(), N = s.numeric.size(), S = s.statics.size();
  b.ids = xt::zeros<int64_t>({B, T, F});
  b.numeric = xt::zeros<float>({B, T, N});
  b.dt = xt::zeros<float>({B, T});
  b.statics = xt::zeros<float>({B, S});
  for (std::size_t r = 0; r < B; ++r) {
    const std::size_t len = r == 0 ? T : 1 + rng() % T;
    b.lengths.push_back(len);
    for (std::size_t i = 0; i < S; ++i) b.statics(r, i) = u(rng);
    for (std::size_t t = 0; t < len; ++t) {
      for (std::size_t f = 0; f < F; ++f) b.ids(r, t, f) = static_cast<int64_t>(rng() % s.fields[f].vocab.size());
      for (std::size_t i = 0; i < N; ++i) b.numeric(r, t, i) = 2.f * u(rng);
      const int kind = static_cast<int>(rng() % 4);
      b.dt(r, t) = kind == 0 ? 0.5f * (u(rng) + 1.f) : std::ldexp(1.f + 0.5f * (u(rng) + 1.f), static_cast<int>(rng() % 12));
    }
  }
  for (std::size_t f = 0; f < F; ++f) {
    data::Target tg;
    tg.classes = xt::zeros<int64_t>({B, T});
    for (std::size_t r = 0; r < B; ++r)
      for (std::size_t t = 0; t + 1 < b.lengths[r]; ++t) tg.classes(r, t) = b.ids(r, t + 1, f);
    b.targets["next:" + s.fields[f].name] = tg;
  }
  return b;
}

// Adds U(-amount, amount) to every parameter, so that LayerNorm gains, zero-initialised
// biases and relative position biases are all exercised.
inline void perturb(nn::Params& params, uint32_t seed, float amount) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-amount, amount);
  for (const auto& p : params.all()) {
    nn::Var v = p;
    for (float& x : v.mutable_value()) x += u(rng);
  }
}

// Streams every row of `batch` through the engine (the exported `bytes`) and returns the
// largest |engine - trainer| over all outputs, rows and positions < length.
// `expected[k]` is output k (record order) as [B, T, width].
inline double engine_max_error(const std::vector<uint8_t>& bytes, const std::vector<xt::xarray<float>>& expected,
                               const data::Batch& batch) {
  AlignedBytes file(bytes);
  auto model = std::make_unique<Model>();
  const Status loaded = model->load(file.data(), file.size());
  BOOST_REQUIRE_MESSAGE(loaded == Status::kOk, "Model::load: " << status_name(loaded));
  BOOST_REQUIRE_EQUAL(model->n_outputs(), expected.size());
  std::vector<uint8_t> zeros(std::max<std::size_t>(model->session_bytes(), model->scratch_bytes()) + 64, 0);
  AlignedBytes memory(zeros.data(), model->session_bytes() + 1), scratch(zeros.data(), model->scratch_bytes() + 1);
  Session session;
  BOOST_REQUIRE(session.init(*model, memory.data(), model->session_bytes(), scratch.data(), model->scratch_bytes()) ==
                Status::kOk);
  const std::size_t F = batch.ids.shape()[2], N = batch.numeric.shape()[2];
  const std::size_t S = batch.statics.dimension() == 2 ? batch.statics.shape()[1] : 0;
  std::vector<int32_t> ids(F + 64, 0);
  std::vector<float> numeric(N + 1, 0.f), statics(S + 1, 0.f);
  double worst = 0;
  for (std::size_t r = 0; r < batch.rows; ++r) {
    session.reset();
    if (model->file().n_static() > 0) {
      for (std::size_t i = 0; i < S; ++i) statics[i] = batch.statics(r, i);
      BOOST_REQUIRE(session.set_static(statics.data(), static_cast<uint32_t>(S)) == Status::kOk);
    }
    for (std::size_t t = 0; t < batch.lengths[r]; ++t) {
      for (std::size_t f = 0; f < F; ++f) ids[f] = static_cast<int32_t>(batch.ids(r, t, f));
      for (std::size_t i = 0; i < N; ++i) numeric[i] = batch.numeric(r, t, i);
      Event e;
      e.ids = ids.data();
      e.n_ids = static_cast<int>(model->file().n_vocabs());   // output-only vocabularies read id 0
      e.numeric = numeric.data();
      e.n_numeric = static_cast<int>(N);
      e.dt = batch.dt(r, t);
      const Status st = session.step(e);
      BOOST_REQUIRE_MESSAGE(st == Status::kOk, "step row " << r << " t " << t << ": " << status_name(st));
      for (uint32_t k = 0; k < model->n_outputs(); ++k) {
        const float* y = session.output(k);
        const std::size_t w = model->output(k).width;
        BOOST_REQUIRE_EQUAL(w, expected[k].shape()[2]);
        for (std::size_t j = 0; j < w; ++j) {
          const double err = std::fabs(static_cast<double>(y[j]) - expected[k](r, t, j));
          if (!(err <= worst)) worst = std::isnan(err) ? 1e30 : err;
        }
      }
    }
  }
  return worst;
}

// The outputs of a graph over the whole batch, in output-record order.
inline std::vector<xt::xarray<float>> graph_outputs(const nn::Graph& g, const nn::Params& params,
                                                    const data::Batch& batch) {
  ag::NoGradGuard no_grad;
  nn::Context ctx{params, batch, 0, batch.rows};
  const std::vector<nn::Var> values = g.forward(ctx);
  std::vector<xt::xarray<float>> out;
  for (int i : g.outputs()) out.push_back(values[i].value());
  return out;
}

}  // namespace runnel::parity

#endif  // RUNNEL_TESTS_PARITY_UTIL_H_
