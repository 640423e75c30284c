// Streaming test of kCopyHead (engine/layers/copy_head.h): each output is compared with
// the formula over the ids of events t-W+1..t computed in double, on streams longer than
// the window (the id ring wraps several times) and with a window longer than the stream;
// a state copy continues identically; bad ids and fields fail without writing anything.
#define BOOST_TEST_MODULE layers_copy_head
#include "tests/layer_test_util.h"

#include <cstring>

#include "engine/layers/copy_head.h"

using namespace runnel;
using namespace runnel::testing;
namespace L = runnel::layers;

namespace {

constexpr int kEvents = 23;
constexpr int kD = 6;     // state width
constexpr int kK = 3;     // key width
constexpr int kV = 5;     // vocabulary
constexpr int kField = 1; // events carry 2 ids; the head reads the second

struct Weights {
  Vec wq, bq, keys, bias, wg, bg;
  Weights(int window, unsigned seed) {
    std::mt19937 rng(seed);
    wq = random_vec(kK * kD, -1, 1, rng);
    bq = random_vec(kK, -1, 1, rng);
    keys = random_vec(kV * kK, -1.5, 1.5, rng);
    bias = random_vec(window, -2, 2, rng);
    wg = random_vec(kD, -1, 1, rng);
    bg = random_vec(1, -1, 1, rng);
  }
  L::CopyHead layer(int window) const {
    return L::CopyHead::make(wq.data(), bq.data(), keys.data(), bias.data(), wg.data(), bg.data(), kField, window,
                             kD, kK, kV);
  }
};

// The events (ids) and the two input streams (state h, logits l) of one test.
struct CopyStream {
  std::vector<std::vector<int32_t>> ids;
  Stream h, logits;
  std::vector<Event> events;
  std::vector<std::vector<const float*>> in;

  explicit CopyStream(unsigned seed) : h(random_stream(kEvents, kD, -2, 2, seed)), logits(random_stream(kEvents, kV, -3, 3, seed + 1)) {
    std::mt19937 rng(seed + 2);
    for (int t = 0; t < kEvents; ++t) ids.push_back({static_cast<int32_t>(rng() % 7), static_cast<int32_t>(rng() % kV)});
    for (int t = 0; t < kEvents; ++t) {
      Event e;
      e.ids = ids[t].data();
      e.n_ids = 2;
      events.push_back(e);
      in.push_back({h[t].data(), logits[t].data()});
    }
  }
  StepArgs operator()(int t) const {
    StepArgs a;
    a.t = t;
    a.event = &events[t];
    a.in = in[t].data();
    a.n_in = 2;
    return a;
  }
};

// y(t) from the formula in rnl_spec.h, in double.
Expected reference(const Weights& w, const CopyStream& s, int window) {
  Expected want;
  for (int t = 0; t < kEvents; ++t) {
    const Vec& h = s.h[t];
    std::vector<double> q(kK), score;
    for (int c = 0; c < kK; ++c) {
      q[c] = w.bq[c];
      for (int i = 0; i < kD; ++i) q[c] += double(w.wq[c * kD + i]) * h[i];
    }
    const int m = std::min(t + 1, window);
    for (int j = 0; j < m; ++j) {
      const int x = s.ids[t - j][kField];
      double dot = 0;
      for (int c = 0; c < kK; ++c) dot += q[c] * w.keys[x * kK + c];
      score.push_back(dot / std::sqrt(double(kK)) + w.bias[j]);
    }
    const double top = *std::max_element(score.begin(), score.end());
    double z = 0;
    for (double& e : score) z += (e = std::exp(e - top));
    double gate = w.bg[0];
    for (int i = 0; i < kD; ++i) gate += double(w.wg[i]) * h[i];
    const double g = 1 / (1 + std::exp(-gate));
    double lz = 0, ltop = *std::max_element(s.logits[t].begin(), s.logits[t].end());
    for (float l : s.logits[t]) lz += std::exp(l - ltop);
    DVec p(kV);
    for (int v = 0; v < kV; ++v) p[v] = g * std::exp(s.logits[t][v] - ltop) / lz;
    for (int j = 0; j < m; ++j) p[s.ids[t - j][kField]] += (1 - g) * score[j] / z;
    for (double& x : p) x = std::log(x + double(rnl::kCopyHeadEps));
    want.push_back(p);
  }
  return want;
}

}  // namespace

BOOST_AUTO_TEST_CASE(copy_head_matches_the_formula_past_its_window) {
  const CopyStream s(51);
  for (int window : {4, 1, 2, 40}) {  // 4: wraps 5 times; 40: never full
    BOOST_TEST_CONTEXT("W=" << window) {
      const Weights w(window, 60 + window);
      const L::CopyHead layer = w.layer(window);
      BOOST_TEST(layer.state_floats() == size_t(window));
      BOOST_TEST(layer.out_width() == kV);
      expect_stream_matches(layer, kEvents, s, reference(w, s, window));
    }
  }
}

BOOST_AUTO_TEST_CASE(probabilities_sum_to_one_and_repeat_is_reachable) {
  // A large bias on offset 0 and a gate near 0: the head predicts this event's value, the
  // "last" baseline, with probability ~1 (what the copy head is for).
  const CopyStream s(52);
  Weights w(6, 70);
  std::fill(w.bias.begin(), w.bias.end(), 0.f);
  w.bias[0] = 30.f;
  w.bg[0] = -30.f;
  const L::CopyHead layer = w.layer(6);
  Session<L::CopyHead> session(layer);
  for (int t = 0; t < kEvents; ++t) {
    BOOST_REQUIRE(session.step(s(t)) == Status::kOk);
    double total = 0;
    for (int v = 0; v < kV; ++v) total += std::exp(double(session.out[v]));
    BOOST_TEST(std::fabs(total - 1.0) < 1e-4, "t=" << t);
    BOOST_TEST(std::exp(double(session.out[s.ids[t][kField]])) > 0.999, "t=" << t);
  }
}

BOOST_AUTO_TEST_CASE(state_copy_continues_identically) {
  const CopyStream s(53);
  const Weights w(5, 80);
  const L::CopyHead layer = w.layer(5);
  Session<L::CopyHead> a(layer), b(layer);
  for (int t = 0; t < 9; ++t) BOOST_REQUIRE(a.step(s(t)) == Status::kOk);
  std::memcpy(b.state.data(), a.state.data(), sizeof(float) * layer.state_floats());
  for (int t = 9; t < kEvents; ++t) {
    BOOST_REQUIRE(a.step(s(t)) == Status::kOk);
    BOOST_REQUIRE(b.step(s(t)) == Status::kOk);
    BOOST_TEST(same_bits(a.out, b.out), "t=" << t);
  }
}

BOOST_AUTO_TEST_CASE(bad_ids_and_fields_fail_without_writing) {
  CopyStream s(54);
  const Weights w(4, 90);
  const L::CopyHead layer = w.layer(4);
  Session<L::CopyHead> session(layer);
  for (int t = 0; t < 3; ++t) BOOST_REQUIRE(session.step(s(t)) == Status::kOk);
  for (int32_t bad : {-1, kV, 1 << 20}) {
    s.ids[3][kField] = bad;
    expect_step_fails(session, s(3), Status::kIdOutOfRange);
  }
  s.ids[3][kField] = 0;
  s.events[3].n_ids = 1;  // the head's field is not in the event
  expect_step_fails(session, s(3), Status::kBadArgument);
  StepArgs one_input = s(3);
  one_input.n_in = 1;
  expect_step_fails(session, one_input, Status::kBadArgument);
}
