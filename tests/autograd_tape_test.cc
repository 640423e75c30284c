// The tape itself: accumulation, shared sub-expressions, no-grad mode, float32 use.
#define BOOST_TEST_MODULE autograd_tape
#include "tests/autograd_fd.h"
#include "trainer/autograd/positions.h"

using namespace runnel::testing;
namespace ag = runnel::ag;

BOOST_AUTO_TEST_CASE(gradients_accumulate_across_backward_calls) {
  const V x = ag::leaf<double>(A{1.0, 2.0}, "x");
  ag::backward(ag::sum_all(ag::mul(x, x)));
  ag::backward(ag::sum_all(ag::mul(x, x)));
  BOOST_TEST(x.grad() == (A{4.0, 8.0}));
  x.node()->grad = A();
  const_cast<V&>(x).zero_grad();
  BOOST_TEST(!x.has_grad());
  BOOST_TEST(x.name() == "x");
}

// y = a·a + a·a shares `a` along four paths: each must contribute exactly once.
BOOST_AUTO_TEST_CASE(diamond_graph_counts_each_path_once) {
  const V a = ag::leaf<double>(A{3.0});
  const V sq = ag::mul(a, a);
  ag::backward(ag::sum_all(ag::add(sq, sq)));
  BOOST_TEST(a.grad()(0) == 12.0);
}

BOOST_AUTO_TEST_CASE(no_grad_guard_records_nothing_and_restores) {
  const V x = ag::leaf<double>(A{1.0});
  {
    ag::NoGradGuard guard;
    BOOST_TEST(!ag::grad_enabled());
    BOOST_TEST(!ag::exp(x).requires_grad());
  }
  BOOST_TEST(ag::grad_enabled());
  BOOST_TEST(ag::exp(x).requires_grad());
  BOOST_CHECK_THROW(ag::backward(ag::sum_all(ag::constant<double>(A{1.0}))), std::logic_error);
}

BOOST_AUTO_TEST_CASE(deep_chains_do_not_overflow_the_stack) {
  const V x = ag::leaf<double>(A{0.5});
  V y = x;
  for (int i = 0; i < 20000; ++i) y = ag::scale(y, 1.0);
  ag::backward(ag::sum_all(y));
  BOOST_TEST(x.grad()(0) == 1.0);
}

BOOST_AUTO_TEST_CASE(float32_graph_matches_float64) {
  Rng rng(51);
  const A x64 = rng.uniform({3, 4}), w64 = rng.uniform({4, 2});
  const auto run = [&](auto zero) {
    using T = decltype(zero);
    const ag::Var<T> x = ag::leaf<T>(xt::cast<T>(x64)), w = ag::leaf<T>(xt::cast<T>(w64));
    ag::backward(ag::sum_all(ag::tanh(ag::matmul(x, w))));
    return std::pair<A, A>(xt::cast<double>(x.grad()), xt::cast<double>(w.grad()));
  };
  const auto [gx32, gw32] = run(0.0f);
  const auto [gx64, gw64] = run(0.0);
  BOOST_TEST(xt::amax(xt::abs(gx32 - gx64))() < 1e-5);
  BOOST_TEST(xt::amax(xt::abs(gw32 - gw64))() < 1e-5);
}

// The finite-difference check must catch a wrong backward (here: d(x^2) claimed as x).
BOOST_AUTO_TEST_CASE(finite_differences_catch_a_wrong_backward) {
  const runnel::gradcheck::VarFn wrong = [](const Vars& v) {
    const V x = v[0];
    return ag::record<double>(A(x.value() * x.value()), {x}, [x](const A& g) { x.accumulate(A(g * x.value())); });
  };
  BOOST_TEST(runnel::gradcheck::check_finite_differences(wrong, {A{0.5, -1.0}}).max_rel > 0.1);
}

BOOST_AUTO_TEST_CASE(time_buckets_and_sinusoidal_positions_follow_the_spec) {
  BOOST_TEST(ag::time_bucket(-3.0, 8) == 0);
  BOOST_TEST(ag::time_bucket(0.99, 8) == 0);
  BOOST_TEST(ag::time_bucket(1.0, 8) == 1);
  BOOST_TEST(ag::time_bucket(3.5, 8) == 2);
  BOOST_TEST(ag::time_bucket(4.0, 8) == 3);
  BOOST_TEST(ag::time_bucket(1e12, 8) == 7);
  const A pe = ag::sinusoidal_positions<double>(3, 4);
  BOOST_TEST(pe(0, 1) == 1.0);
  BOOST_TEST(std::abs(pe(2, 0) - std::sin(2.0)) < 1e-15);
  BOOST_TEST(std::abs(pe(2, 3) - std::cos(2.0 / 100.0)) < 1e-15);
}
