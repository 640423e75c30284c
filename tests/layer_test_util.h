// Shared machinery of the streaming-layer tests.
//
// expect_stream_matches() is the core check: it feeds events 0..T-1 one at a time through
// a layer and compares each output with a double-precision full-sequence computation the
// test wrote from the formula, then resets and streams again expecting identical bits.
// Around the steps it also checks that the layer neither allocates nor writes past its
// state, scratch or output (guard floats after each buffer).
#ifndef RUNNEL_TESTS_LAYER_TEST_UTIL_H_
#define RUNNEL_TESTS_LAYER_TEST_UTIL_H_

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "engine/layers/layer.h"
#include "engine/status.h"
#include "tests/alloc_counter.h"

namespace runnel::testing {

using Vec = std::vector<float>;
using DVec = std::vector<double>;
using Stream = std::vector<Vec>;
using Expected = std::vector<DVec>;

constexpr double kTol = 1e-5;
constexpr int kGuardFloats = 16;
constexpr float kGuard = 1234.5f;

inline Vec random_vec(int n, float lo, float hi, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(lo, hi);
  Vec v(n);
  for (float& x : v) x = u(rng);
  return v;
}

inline Stream random_stream(int events, int d, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  Stream s;
  for (int t = 0; t < events; ++t) s.push_back(random_vec(d, lo, hi, rng));
  return s;
}

inline double max_abs_error(const float* got, const DVec& want) {
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double e = std::fabs(got[i] - want[i]);
    worst = std::isnan(e) ? std::numeric_limits<double>::infinity() : std::max(worst, e);
  }
  return worst;
}

inline bool same_bits(const Vec& a, const Vec& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

// The buffers one session of one layer gets from the memory plan, each followed by guard
// floats. The state starts as NaN garbage so reset() must initialise what step() reads.
template <class Layer>
struct Session {
  const Layer& layer;
  Vec state, scratch, out;

  explicit Session(const Layer& l)
      : layer(l),
        state(l.state_floats() + kGuardFloats, kGuard),
        scratch(l.scratch_floats() + kGuardFloats, kGuard),
        out(static_cast<size_t>(l.out_width()) + kGuardFloats, kGuard) {
    std::fill_n(state.begin(), l.state_floats(), std::numeric_limits<float>::quiet_NaN());
    reset();
  }
  void reset() { layer.reset(state.data()); }
  Status step(const StepArgs& a) { return layer.step(a, state.data(), scratch.data(), out.data()); }
  bool guards_intact() const {
    auto intact = [](const Vec& v) {
      return std::all_of(v.end() - kGuardFloats, v.end(), [](float g) { return g == kGuard; });
    };
    return intact(state) && intact(scratch) && intact(out);
  }
};

// Runs events 0..T-1 with args_of(t); returns every output. Nothing may allocate in the
// loop, so outputs are preallocated and copied without growing.
template <class Layer, class ArgsOf>
Stream run_stream(Session<Layer>& s, int events, ArgsOf args_of, std::vector<Status>* statuses) {
  const int width = s.layer.out_width();
  Stream outs(events, Vec(width));
  statuses->assign(events, Status::kOk);
  const long allocations_before = allocation_count();
  for (int t = 0; t < events; ++t) {
    (*statuses)[t] = s.step(args_of(t));
    std::copy_n(s.out.begin(), width, outs[t].begin());
  }
  BOOST_TEST(allocation_count() == allocations_before, "layer allocated during step()");
  BOOST_TEST(s.guards_intact(), "layer wrote past its state, scratch or output");
  return outs;
}

template <class Layer, class ArgsOf>
void expect_stream_matches(const Layer& layer, int events, ArgsOf args_of,
                           const Expected& expected, double tol = kTol) {
  BOOST_REQUIRE_EQUAL(expected.size(), static_cast<size_t>(events));
  Session<Layer> s(layer);
  std::vector<Status> statuses;
  const Stream first = run_stream(s, events, args_of, &statuses);
  for (int t = 0; t < events; ++t) {
    BOOST_TEST_CONTEXT("event t=" << t) {
      BOOST_TEST(status_name(statuses[t]) == status_name(Status::kOk));
      BOOST_TEST(max_abs_error(first[t].data(), expected[t]) <= tol);
    }
  }
  s.reset();
  const Stream again = run_stream(s, events, args_of, &statuses);
  for (int t = 0; t < events; ++t)
    BOOST_TEST(same_bits(first[t], again[t]), "reset() then re-streaming changed event " << t);
}

// A failing step must report `want` and leave the state and the output untouched.
template <class Layer>
void expect_step_fails(Session<Layer>& s, const StepArgs& a, Status want) {
  const Vec state_before = s.state, out_before = s.out;
  const Status got = s.step(a);
  BOOST_TEST(status_name(got) == status_name(want));
  BOOST_TEST(same_bits(s.state, state_before), "failed step wrote state");
  BOOST_TEST(same_bits(s.out, out_before), "failed step wrote output");
}

// The StepArgs of each event of one or more input streams (StepArgs::in points into
// arrays this object keeps alive). Usable as the args_of of expect_stream_matches.
class Inputs {
 public:
  explicit Inputs(std::vector<const Stream*> streams) {
    const size_t events = streams.empty() ? 0 : streams[0]->size();
    for (size_t t = 0; t < events; ++t) {
      ptrs_.emplace_back();
      for (const Stream* s : streams) ptrs_.back().push_back((*s)[t].data());
    }
  }
  StepArgs operator()(int t) const {
    StepArgs a;
    a.t = t;
    a.in = ptrs_[t].data();
    a.n_in = static_cast<int>(ptrs_[t].size());
    return a;
  }

 private:
  std::vector<std::vector<const float*>> ptrs_;
};

}  // namespace runnel::testing

#endif  // RUNNEL_TESTS_LAYER_TEST_UTIL_H_
