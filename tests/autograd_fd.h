// Helpers for the per-op finite-difference tests: seeded random inputs and one assertion.
#ifndef RUNNEL_TESTS_AUTOGRAD_FD_H_
#define RUNNEL_TESTS_AUTOGRAD_FD_H_

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <string>

#include "trainer/autograd/ops.h"
#include "trainer/gradcheck/compare.h"

namespace runnel::testing {

using ag::Shape;
using A = ag::Array<double>;
using V = ag::Var<double>;
using Vars = std::vector<V>;

// Random shapes and values; every test case seeds its own generator.
struct Rng {
  std::mt19937_64 gen;
  explicit Rng(std::uint64_t seed) : gen(seed) {}

  std::size_t dim(std::size_t lo = 1, std::size_t hi = 4) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(gen);
  }
  bool coin() { return std::bernoulli_distribution(0.5)(gen); }
  Shape shape(std::size_t rank, std::size_t lo = 1, std::size_t hi = 4) {
    Shape s(rank);
    for (auto& d : s) d = dim(lo, hi);
    return s;
  }
  A uniform(const Shape& s, double lo = -1, double hi = 1) {
    A a(s);
    std::uniform_real_distribution<double> u(lo, hi);
    for (auto& v : a) v = u(gen);
    return a;
  }
  // |x| >= 0.1: finite differences never straddle relu's kink.
  A away_from_zero(const Shape& s) {
    A a = uniform(s, 0.1, 1.0);
    for (auto& v : a) v = coin() ? v : -v;
    return a;
  }
  // Values at least 2/N apart in random order: no near-ties for max / cummax.
  A distinct(const Shape& s) {
    A a(s);
    for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = -1.0 + 2.0 * double(i) / double(a.size());
    std::shuffle(a.begin(), a.end(), gen);
    return a;
  }
  // Two shapes that broadcast: b has size-1 dimensions and possibly fewer of them.
  std::pair<Shape, Shape> broadcast_pair() {
    Shape a = shape(dim(1, 3));
    Shape b = a;
    for (auto& d : b)
      if (coin()) d = 1;
    if (b.size() > 1 && coin()) b.erase(b.begin());
    if (coin()) std::swap(a, b);
    return {a, b};
  }
};

inline void expect_gradients_match(const gradcheck::VarFn& f, const std::vector<A>& inputs,
                                   const std::string& what) {
  const gradcheck::ErrorStats s = gradcheck::check_finite_differences(f, inputs);
  BOOST_TEST(s.shape_ok, what);
  BOOST_TEST(s.max_rel <= gradcheck::kTolerance, what << ": max relative error " << s.max_rel
                                                      << " (abs " << s.max_abs << ")");
}

inline std::string str(const Shape& s) {
  std::string r = "[";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

constexpr int kTrials = 4;  // random shapes per op

}  // namespace runnel::testing

#endif  // RUNNEL_TESTS_AUTOGRAD_FD_H_
