// Streaming tests of the stateless plumbing and position layers: add, concat, dense,
// layer_norm, activation, l2_normalize, pos_sinusoidal, pos_learned. Expected values are
// computed here in double from the formulas of rnl_spec.h.
#define BOOST_TEST_MODULE layers_basic
#include "tests/layer_test_util.h"

#include "engine/format/rnl_reader.h"
#include "engine/layers/activation.h"
#include "engine/layers/add.h"
#include "engine/layers/concat.h"
#include "engine/layers/dense.h"
#include "engine/layers/l2_normalize.h"
#include "engine/layers/layer_norm.h"
#include "engine/layers/output.h"
#include "engine/layers/pos_learned.h"
#include "engine/layers/pos_sinusoidal.h"
#include "trainer/export/quantize.h"

using namespace runnel;
using namespace runnel::testing;
namespace L = runnel::layers;

namespace {

constexpr int kEvents = 23;

double activation_exact(rnl::Activation act, double x) {
  switch (act) {
    case rnl::Activation::kNone: return x;
    case rnl::Activation::kRelu: return x > 0 ? x : 0;
    case rnl::Activation::kGeluTanh:
      return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
    case rnl::Activation::kGeluErf: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case rnl::Activation::kTanh: return std::tanh(x);
    case rnl::Activation::kSigmoid: return 1 / (1 + std::exp(-x));
  }
  return 0;
}

const rnl::Activation kActivations[] = {
    rnl::Activation::kNone,    rnl::Activation::kRelu, rnl::Activation::kGeluTanh,
    rnl::Activation::kGeluErf, rnl::Activation::kTanh, rnl::Activation::kSigmoid};

double sinusoid(int64_t t, int j, int d) {
  const double angle = double(t) / std::pow(10000.0, 2.0 * (j / 2) / d);
  return j % 2 == 0 ? std::sin(angle) : std::cos(angle);
}

}  // namespace

BOOST_AUTO_TEST_CASE(allocation_counter_sees_heap_use) {
  // The no-allocation checks of expect_stream_matches are only as good as the counter.
  const long before = allocation_count();
  auto* p = new std::vector<float>(3);
  BOOST_TEST(allocation_count() >= before + 2);
  delete p;
}

BOOST_AUTO_TEST_SUITE(plumbing)

BOOST_AUTO_TEST_CASE(add_streams) {
  const int d = 13;
  const Stream a = random_stream(kEvents, d, -2, 2, 1), b = random_stream(kEvents, d, -2, 2, 2);
  Expected want(kEvents, DVec(d));
  for (int t = 0; t < kEvents; ++t)
    for (int i = 0; i < d; ++i) want[t][i] = double(a[t][i]) + b[t][i];
  expect_stream_matches(L::Add::make(d), kEvents, Inputs({&a, &b}), want);
}

BOOST_AUTO_TEST_CASE(concat_three_inputs_of_different_widths) {
  const int widths[] = {3, 1, 6};
  const Stream a = random_stream(kEvents, 3, -1, 1, 3), b = random_stream(kEvents, 1, -1, 1, 4),
               c = random_stream(kEvents, 6, -1, 1, 5);
  Expected want(kEvents);
  for (int t = 0; t < kEvents; ++t)
    for (const Stream* s : {&a, &b, &c}) want[t].insert(want[t].end(), (*s)[t].begin(), (*s)[t].end());
  const L::Concat layer = L::Concat::make(widths, 3);
  BOOST_TEST(layer.out_width() == 10);
  expect_stream_matches(layer, kEvents, Inputs({&a, &b, &c}), want, 0.0);
}

BOOST_AUTO_TEST_CASE(dense_each_activation_with_and_without_bias) {
  const int in = 9, out = 6;
  std::mt19937 rng(6);
  const Vec w = random_vec(out * in, -0.6f, 0.6f, rng), b = random_vec(out, -0.5f, 0.5f, rng);
  const Stream x = random_stream(kEvents, in, -2, 2, 7);
  for (rnl::Activation act : kActivations) {
    for (const float* bias : {b.data(), static_cast<const float*>(nullptr)}) {
      Expected want(kEvents, DVec(out));
      for (int t = 0; t < kEvents; ++t)
        for (int o = 0; o < out; ++o) {
          double s = bias ? bias[o] : 0.0;
          for (int i = 0; i < in; ++i) s += double(w[o * in + i]) * x[t][i];
          want[t][o] = activation_exact(act, s);
        }
      BOOST_TEST_CONTEXT("act=" << int(act) << " bias=" << (bias != nullptr)) {
        expect_stream_matches(L::Dense::make(w.data(), bias, in, out, act), kEvents, Inputs({&x}), want);
      }
    }
  }
}

// Int8 weights (one scale per output row) against the double-precision formula on the
// dequantised weights; the rest is the int8 matvec's 16-bit rounding of x (|x| <= 2 here:
// at most 2 / 65534 · sum |w| ~ 1e-4), far below a wrong row or scale.
BOOST_AUTO_TEST_CASE(dense_int8_weights) {
  const int in = 9, out = 6;
  std::mt19937 rng(16);
  const Vec w = random_vec(out * in, -0.6f, 0.6f, rng), b = random_vec(out, -0.5f, 0.5f, rng);
  const quant::QuantizedRows q = quant::quantize_rows(w, out, in);
  const Vec dequantised = quant::dequantize_rows(q, out, in);
  const Stream x = random_stream(kEvents, in, -2, 2, 17);
  for (rnl::Activation act : {rnl::Activation::kNone, rnl::Activation::kGeluErf}) {
    Expected want(kEvents, DVec(out));
    for (int t = 0; t < kEvents; ++t)
      for (int o = 0; o < out; ++o) {
        double s = b[o];
        for (int i = 0; i < in; ++i) s += double(dequantised[o * in + i]) * x[t][i];
        want[t][o] = activation_exact(act, s);
      }
    const L::Dense layer = L::Dense::make(kernels::Matrix::int8(q.q.data(), q.scales.data()), b.data(), in, out, act);
    BOOST_TEST_CONTEXT("act=" << int(act)) { expect_stream_matches(layer, kEvents, Inputs({&x}), want, 1e-4); }
  }
}

BOOST_AUTO_TEST_CASE(layer_norm_streams) {
  const int d = 11;
  std::mt19937 rng(8);
  const Vec gamma = random_vec(d, 0.5f, 1.5f, rng), beta = random_vec(d, -1, 1, rng);
  const Stream x = random_stream(kEvents, d, -3, 5, 9);
  const float eps = rnl::hp_to_float(0x3727c5ac);  // 1e-5f as the file stores it
  BOOST_TEST(eps == 1e-5f);
  Expected want(kEvents, DVec(d));
  for (int t = 0; t < kEvents; ++t) {
    double mean = 0, var = 0;
    for (float v : x[t]) mean += v;
    mean /= d;
    for (float v : x[t]) var += (v - mean) * (v - mean);
    var /= d;
    for (int i = 0; i < d; ++i) want[t][i] = (x[t][i] - mean) / std::sqrt(var + eps) * gamma[i] + beta[i];
  }
  expect_stream_matches(L::LayerNorm::make(gamma.data(), beta.data(), d, eps), kEvents, Inputs({&x}), want);
}

BOOST_AUTO_TEST_CASE(activation_layer_each_function) {
  const int d = 17;
  const Stream x = random_stream(kEvents, d, -6, 6, 10);
  for (rnl::Activation act : kActivations) {
    Expected want(kEvents, DVec(d));
    for (int t = 0; t < kEvents; ++t)
      for (int i = 0; i < d; ++i) want[t][i] = activation_exact(act, x[t][i]);
    BOOST_TEST_CONTEXT("act=" << int(act)) {
      expect_stream_matches(L::Activation::make(act, d), kEvents, Inputs({&x}), want);
    }
  }
}

BOOST_AUTO_TEST_CASE(l2_normalize_including_zero_vector) {
  const int d = 10;
  Stream x = random_stream(kEvents, d, -3, 3, 11);
  x[4].assign(d, 0.f);     // ||x|| = 0 < eps: stays 0 rather than NaN
  x[7].assign(d, 1e-7f);   // ||x|| ~ 3e-7 > eps
  const float eps = 1e-12f;
  Expected want(kEvents, DVec(d));
  for (int t = 0; t < kEvents; ++t) {
    double norm = 0;
    for (float v : x[t]) norm += double(v) * v;
    norm = std::max(std::sqrt(norm), double(eps));
    for (int i = 0; i < d; ++i) want[t][i] = x[t][i] / norm;
  }
  expect_stream_matches(L::L2Normalize::make(d, eps), kEvents, Inputs({&x}), want);
}

BOOST_AUTO_TEST_CASE(output_copies_logits_and_destandardises_regression) {
  const int d = 5;
  const Stream x = random_stream(kEvents, d, -3, 3, 13);
  Expected logits(kEvents, DVec(d));
  for (int t = 0; t < kEvents; ++t)
    for (int i = 0; i < d; ++i) logits[t][i] = x[t][i];
  expect_stream_matches(L::Output::make(rnl::OutputKind::kCategorical, 0, -1, d, 1.f, 0.f), kEvents,
                        Inputs({&x}), logits);
  const Stream z = random_stream(kEvents, 1, -3, 3, 14);
  const float scale = 2.5f, shift = -7.25f;  // the target's train std and mean
  Expected value(kEvents, DVec(1));
  for (int t = 0; t < kEvents; ++t) value[t][0] = double(scale) * z[t][0] + double(shift);
  expect_stream_matches(L::Output::make(rnl::OutputKind::kRegression, -1, 0, 1, scale, shift), kEvents,
                        Inputs({&z}), value);
}

BOOST_AUTO_TEST_CASE(missing_input_is_bad_argument) {
  const L::Add add = L::Add::make(4);
  Session<L::Add> s(add);
  const Stream a = random_stream(1, 4, -1, 1, 12);
  const Inputs inputs({&a});
  expect_step_fails(s, inputs(0), Status::kBadArgument);  // one input where Add needs two
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(positions)

BOOST_AUTO_TEST_CASE(sinusoidal_even_and_odd_width) {
  for (int d : {8, 7}) {
    const Stream x = random_stream(kEvents, d, -1, 1, 13 + d);
    Expected want(kEvents, DVec(d));
    for (int t = 0; t < kEvents; ++t)
      for (int j = 0; j < d; ++j) want[t][j] = x[t][j] + sinusoid(t, j, d);
    BOOST_TEST_CONTEXT("d=" << d) {
      expect_stream_matches(L::PosSinusoidal::make(d), kEvents, Inputs({&x}), want);
    }
  }
}

BOOST_AUTO_TEST_CASE(sinusoidal_precise_far_into_a_stream) {
  // Far positions are where float angles would drift; the layer reduces them exactly.
  const int d = 16;
  const L::PosSinusoidal layer = L::PosSinusoidal::make(d);
  Session<L::PosSinusoidal> s(layer);
  const Stream x = random_stream(1, d, -1, 1, 14);
  const Inputs inputs({&x});
  for (int64_t t : {400LL, 4095LL, 100000LL, 3000000LL}) {
    StepArgs a = inputs(0);
    a.t = t;
    BOOST_TEST(status_name(s.step(a)) == "kOk");
    DVec want(d);
    for (int j = 0; j < d; ++j) want[j] = x[0][j] + sinusoid(t, j, d);
    BOOST_TEST(max_abs_error(s.out.data(), want) <= kTol, "t=" << t);
  }
}

BOOST_AUTO_TEST_CASE(learned_positions_then_out_of_range) {
  const int d = 5, max_len = 9;
  std::mt19937 rng(15);
  const Vec table = random_vec(max_len * d, -1, 1, rng);
  const Stream x = random_stream(max_len, d, -1, 1, 16);
  Expected want(max_len, DVec(d));
  for (int t = 0; t < max_len; ++t)
    for (int i = 0; i < d; ++i) want[t][i] = double(x[t][i]) + table[t * d + i];
  const L::PosLearned layer = L::PosLearned::make(table.data(), max_len, d);
  expect_stream_matches(layer, max_len, Inputs({&x}), want);

  Session<L::PosLearned> s(layer);
  const Inputs inputs({&x});
  StepArgs a = inputs(0);
  for (int64_t t : {int64_t(max_len), int64_t(max_len) + 1, int64_t(1) << 40}) {
    a.t = t;
    BOOST_TEST_CONTEXT("t=" << t) { expect_step_fails(s, a, Status::kPositionOutOfRange); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
