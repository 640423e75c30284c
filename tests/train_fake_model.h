// A tiny model and dataset with the shape of model::SequenceModel / data::Dataset, for
// exercising the training loop on its own: a linear layer over D features feeding a
// 4-class head ("cls", cross-entropy) and a regression head ("reg", MSE). The data are
// a pure function of (seed, step), like the real datasets'.
#ifndef RUNNEL_TESTS_TRAIN_FAKE_MODEL_H_
#define RUNNEL_TESTS_TRAIN_FAKE_MODEL_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "trainer/autograd/ops.h"
#include "trainer/autograd/parameters.h"
#include "trainer/io/atomic_file.h"
#include "trainer/train/metrics.h"

namespace runnel::testing {

struct FakeBatch {
  std::size_t rows = 0;
  ag::Array<float> x;                // [B, D]
  std::vector<int64_t> cls;          // [B], 1..3 (0 = ignore)
  ag::Array<float> reg;              // [B, 1]
};

struct FakeHead {
  std::string name;
  bool categorical;
  double weight;
};

struct FakeForward {
  ag::Var<float> loss;
  std::vector<train::HeadTotals> heads;
};

struct FakeExport {
  std::string text;
  void write_file(const std::string& path) const { io::write_file_atomically(path, text); }
};

constexpr std::size_t kFakeDim = 6, kFakeClasses = 4;

class FakeDataset {
 public:
  explicit FakeDataset(uint64_t seed, long nan_at_step = -1) : seed_(seed), nan_at_step_(nan_at_step) {}
  FakeBatch make(uint64_t stream, std::size_t rows) const {
    std::mt19937_64 rng(seed_ * 1000003u + stream);
    std::normal_distribution<float> n(0.f, 1.f);
    FakeBatch b;
    b.rows = rows;
    b.x = ag::Array<float>::from_shape({rows, kFakeDim});
    b.reg = ag::Array<float>::from_shape({rows, 1});
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t d = 0; d < kFakeDim; ++d) b.x(r, d) = n(rng);
      const float s = b.x(r, 0) + 0.5f * b.x(r, 1);
      b.cls.push_back(s < -0.5f ? 1 : (s < 0.5f ? 2 : 3));
      b.reg(r, 0) = 2.f * b.x(r, 2) - b.x(r, 3);
    }
    return b;
  }
  FakeBatch train_batch(std::size_t step, std::size_t batch_size) const {
    FakeBatch b = make(step, batch_size);
    if (long(step) + 1 == nan_at_step_) b.reg(0, 0) = std::numeric_limits<float>::quiet_NaN();
    return b;
  }
  std::vector<FakeBatch> validation_batches(std::size_t batch_size) const {
    return {make(1u << 30, batch_size), make((1u << 30) + 1, 5)};
  }

 private:
  uint64_t seed_;
  long nan_at_step_;
};

class FakeModel {
 public:
  const std::vector<FakeHead>& heads() const { return heads_; }
  void init_parameters(ag::ParameterSet<float>& params, uint64_t seed) const {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> n(0.f, 0.3f);
    auto fill = [&](std::vector<std::size_t> shape) {
      ag::Array<float> a = ag::Array<float>::from_shape(shape);
      for (auto& v : a) v = n(rng);
      return a;
    };
    params.add("hidden.w", fill({8, kFakeDim}));
    params.add("hidden.b", fill({8}));
    params.add("cls.w", fill({kFakeClasses, 8}));
    params.add("cls.b", fill({kFakeClasses}));
    params.add("reg.w", fill({1, 8}));
    params.add("reg.b", fill({1}));
  }
  FakeForward forward(const ag::ParameterSet<float>& p, const FakeBatch& b, std::size_t begin, std::size_t end,
                      bool training, uint64_t dropout_seed) const {
    using namespace runnel::ag;
    const std::size_t n = end - begin;
    ag::Array<float> xs = ag::Array<float>::from_shape({n, kFakeDim});
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t d = 0; d < kFakeDim; ++d) xs(r, d) = b.x(begin + r, d);
    Var<float> h = tanh(linear(constant(xs), p["hidden.w"], p["hidden.b"]));
    h = dropout(h, 0.1f, dropout_seed, training);
    Var<float> logits = linear(h, p["cls.w"], p["cls.b"]);
    Var<float> pred = linear(h, p["reg.w"], p["reg.b"]);
    std::vector<int64_t> t(b.cls.begin() + long(begin), b.cls.begin() + long(end));
    ag::Array<float> rt = ag::Array<float>::from_shape({n, 1});
    for (std::size_t r = 0; r < n; ++r) rt(r, 0) = b.reg(begin + r, 0);
    const float share = float(n) / float(b.rows);
    Var<float> l_cls = scale(cross_entropy(logits, t, int64_t(0)), share);
    Var<float> l_reg = scale(mse(pred, rt), share);
    FakeForward out;
    out.loss = scale(add(l_cls, l_reg), 0.5f);
    train::HeadTotals c, r;
    c.loss_sum = double(l_cls.value()()) / share * double(n);
    c.count = n;
    c.true_positive.assign(kFakeClasses, 0);
    c.predicted.assign(kFakeClasses, 0);
    c.actual.assign(kFakeClasses, 0);
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t best = 1;
      for (std::size_t k = 2; k < kFakeClasses; ++k)
        if (logits.value()(i, k) > logits.value()(i, best)) best = k;
      c.correct += best == std::size_t(t[i]);
      c.correct_top5 += 1;
      c.predicted[best]++;
      c.actual[std::size_t(t[i])]++;
      c.true_positive[best] += best == std::size_t(t[i]);
    }
    r.loss_sum = double(l_reg.value()()) / share * double(n);
    r.count = n;
    out.heads = {c, r};
    return out;
  }
  // The parameter count, then every parameter's raw float bits (so tests can tell which
  // parameters were exported).
  FakeExport export_rnl(const ag::ParameterSet<float>& params) const {
    std::string text = "fake model with " + std::to_string(params.element_count()) + " parameters\n";
    for (const auto& p : params.all())
      text.append(reinterpret_cast<const char*>(p.value().data()), p.value().size() * sizeof(float));
    return FakeExport{text};
  }

 private:
  std::vector<FakeHead> heads_ = {{"cls", true, 1.0}, {"reg", false, 1.0}};
};

}  // namespace runnel::testing

#endif  // RUNNEL_TESTS_TRAIN_FAKE_MODEL_H_
