// Streaming tests of the pooling encoders: cumulative (mean/max/sum), linear_decay,
// exp_decay, learned_pos_weights, attention_pool. Each streaming output is compared with
// the full-sequence formula over x(0..t) in double, on streams longer than the window so
// the ring buffers wrap around several times, and with windows longer than the stream.
#define BOOST_TEST_MODULE layers_pooling
#include "tests/layer_test_util.h"

#include <cstring>

#include "engine/format/rnl_reader.h"
#include "engine/layers/attention_pool.h"
#include "engine/layers/cumulative.h"
#include "engine/layers/exp_decay.h"
#include "engine/layers/learned_pos_weights.h"
#include "engine/layers/linear_decay.h"

using namespace runnel;
using namespace runnel::testing;
namespace L = runnel::layers;

namespace {

constexpr int kEvents = 23;
constexpr int kD = 9;

// want[t] = sum_{i < min(t+1, W)} weight(t, i) * x(t - i), all in double.
template <class Weight>
Expected windowed(const Stream& x, int window, Weight weight) {
  Expected want(x.size(), DVec(x[0].size()));
  for (size_t t = 0; t < x.size(); ++t)
    for (size_t i = 0; i < std::min<size_t>(t + 1, window); ++i)
      for (size_t k = 0; k < x[0].size(); ++k) want[t][k] += weight(t, i) * x[t - i][k];
  return want;
}

// Streams `events` events into one session, copies its state into a second session at
// event `split` (what beam search does) and checks both continue identically.
template <class Layer>
void expect_state_copy_continues(const Layer& layer, const Stream& x, int split) {
  Session<Layer> a(layer), b(layer);
  const Inputs inputs({&x});
  for (int t = 0; t < split; ++t) BOOST_REQUIRE(a.step(inputs(t)) == Status::kOk);
  std::memcpy(b.state.data(), a.state.data(), sizeof(float) * layer.state_floats());
  for (int t = split; t < static_cast<int>(x.size()); ++t) {
    BOOST_REQUIRE(a.step(inputs(t)) == Status::kOk);
    BOOST_REQUIRE(b.step(inputs(t)) == Status::kOk);
    BOOST_TEST(same_bits(a.out, b.out), "t=" << t);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cumulative)

BOOST_AUTO_TEST_CASE(mean_max_sum_over_a_long_stream) {
  const int events = 300;  // the running mean must not drift
  const Stream x = random_stream(events, kD, -4, 4, 31);
  const std::pair<rnl::Reduce, const char*> reductions[] = {
      {rnl::Reduce::kMean, "mean"}, {rnl::Reduce::kMax, "max"}, {rnl::Reduce::kSum, "sum"}};
  for (const auto& [reduce, name] : reductions) {
    Expected want(events, DVec(kD));
    for (int t = 0; t < events; ++t)
      for (int k = 0; k < kD; ++k) {
        double acc = reduce == rnl::Reduce::kMax ? x[0][k] : 0.0;
        for (int j = 0; j <= t; ++j)
          acc = reduce == rnl::Reduce::kMax ? std::max(acc, double(x[j][k])) : acc + x[j][k];
        want[t][k] = reduce == rnl::Reduce::kMean ? acc / (t + 1) : acc;
      }
    // The sum grows to ~100 here, where one float ulp is 7.6e-6: allow 1e-5 relative to
    // its size (measured: 1.3e-5 absolute).
    const double tol = reduce == rnl::Reduce::kSum ? 1e-4 : kTol;
    BOOST_TEST_CONTEXT(name) {
      const L::Cumulative layer = L::Cumulative::make(reduce, kD);
      expect_stream_matches(layer, events, Inputs({&x}), want, tol);
      expect_state_copy_continues(layer, x, 17);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ring_buffer_encoders)

BOOST_AUTO_TEST_CASE(linear_decay_wraps_around) {
  const Stream x = random_stream(kEvents, kD, -2, 2, 32);
  for (int window : {5, 1, 2, 23, 40}) {  // 5: wraps 4 times; 40: never full
    const Expected want = windowed(x, window, [&](size_t t, size_t i) {
      double norm = 0;
      for (size_t j = 0; j < std::min<size_t>(t + 1, window); ++j) norm += double(window - j) / window;
      return (double(window - i) / window) / norm;
    });
    BOOST_TEST_CONTEXT("W=" << window) {
      const L::LinearDecay layer = L::LinearDecay::make(window, kD);
      BOOST_TEST(layer.state_floats() == size_t(window) * kD);
      expect_stream_matches(layer, kEvents, Inputs({&x}), want);
      expect_state_copy_continues(layer, x, 7);
    }
  }
}

BOOST_AUTO_TEST_CASE(learned_pos_weights_wrap_around) {
  const Stream x = random_stream(kEvents, kD, -2, 2, 33);
  for (int window : {5, 1, 3, 40}) {
    std::mt19937 rng(34 + window);
    const Vec w = random_vec(window, -1, 1, rng);
    const Expected want = windowed(x, window, [&](size_t, size_t i) { return double(w[i]); });
    BOOST_TEST_CONTEXT("W=" << window) {
      const L::LearnedPosWeights layer = L::LearnedPosWeights::make(w.data(), window, kD);
      expect_stream_matches(layer, kEvents, Inputs({&x}), want);
      expect_state_copy_continues(layer, x, 11);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(running_state_encoders)

BOOST_AUTO_TEST_CASE(exp_decay_matches_weighted_mean) {
  const int events = 100;
  const Stream x = random_stream(events, kD, -3, 3, 35);
  for (float alpha : {0.f, 0.5f, 0.95f}) {
    Expected want(events, DVec(kD));
    for (int t = 0; t < events; ++t) {
      double norm = 0;
      for (int j = 0; j <= t; ++j) norm += std::pow(double(alpha), t - j);
      for (int j = 0; j <= t; ++j)
        for (int k = 0; k < kD; ++k) want[t][k] += std::pow(double(alpha), t - j) * x[j][k] / norm;
    }
    BOOST_TEST_CONTEXT("alpha=" << alpha) {
      const L::ExpDecay layer = L::ExpDecay::make(alpha, kD);
      expect_stream_matches(layer, events, Inputs({&x}), want);
      expect_state_copy_continues(layer, x, 13);
    }
  }
  BOOST_TEST(L::ExpDecay::make(rnl::hp_to_float(0x3f000000), kD).alpha == 0.5f);
}

BOOST_AUTO_TEST_CASE(attention_pool_matches_full_softmax) {
  const int events = 60;
  std::mt19937 rng(36);
  const Vec q = random_vec(kD, -1, 1, rng);
  // Scale 30 gives scores of tens: the online rescaling must keep exp from overflowing
  // and the running max must move up and down the stream.
  for (float scale : {1.f, 30.f}) {
    const Stream x = random_stream(events, kD, -scale, scale, 37);
    Expected want(events, DVec(kD));
    for (int t = 0; t < events; ++t) {
      DVec score(t + 1);
      for (int j = 0; j <= t; ++j) {
        for (int k = 0; k < kD; ++k) score[j] += double(q[k]) * x[j][k];
        score[j] /= std::sqrt(double(kD));
      }
      const double m = *std::max_element(score.begin(), score.end());
      double norm = 0;
      for (double s : score) norm += std::exp(s - m);
      for (int j = 0; j <= t; ++j)
        for (int k = 0; k < kD; ++k) want[t][k] += std::exp(score[j] - m) / norm * x[j][k];
    }
    BOOST_TEST_CONTEXT("scale=" << scale) {
      const L::AttentionPool layer = L::AttentionPool::make(q.data(), kD);
      // Outputs of size ~scale: 1e-5 relative (measured 1.4e-5 absolute at scale 30).
      expect_stream_matches(layer, events, Inputs({&x}), want, kTol * scale);
      expect_state_copy_continues(layer, x, 19);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
