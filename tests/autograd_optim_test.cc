// Optimizers, clipping, schedule and initialisation against their formulas.
#define BOOST_TEST_MODULE autograd_optim
#include <boost/test/unit_test.hpp>

#include <cmath>

#include <xtensor/xmath.hpp>

#include "trainer/optim/init.h"
#include "trainer/optim/optimizer.h"
#include "trainer/optim/schedule.h"

namespace ag = runnel::ag;
namespace op = runnel::optim;
using A = ag::Array<double>;

namespace {
// One parameter p = [1, -2] whose gradient we set by hand each step.
struct OneParam {
  ag::ParameterSet<double> params;
  OneParam() { params.add("p", A{1.0, -2.0}); }
  void set_grad(const A& g) {
    params.zero_grad();
    params["p"].node()->accumulate(g);
  }
  A value() const { return params["p"].value(); }
};
bool close(const A& a, const A& b) { return xt::amax(xt::abs(a - b))() < 1e-12; }
}  // namespace

BOOST_AUTO_TEST_CASE(sgd_with_momentum) {
  OneParam m;
  op::Sgd<double> sgd(m.params, 0.9);
  m.set_grad(A{1.0, 1.0});
  sgd.step(0.1);  // buf = g
  BOOST_TEST(close(m.value(), A{0.9, -2.1}));
  m.set_grad(A{1.0, 0.0});
  sgd.step(0.1);  // buf = 0.9 buf + g = [1.9, 0.9]
  BOOST_TEST(close(m.value(), A{0.9 - 0.19, -2.1 - 0.09}));
}

BOOST_AUTO_TEST_CASE(adam_and_adamw_follow_pytorch) {
  for (const bool decoupled : {false, true}) {
    OneParam m;
    op::Adam<double>::Options o;
    o.weight_decay = 0.1;
    o.decoupled = decoupled;
    op::Adam<double> adam(m.params, o);
    A p = m.value(), mm = {0.0, 0.0}, vv = {0.0, 0.0};
    for (int t = 1; t <= 3; ++t) {
      A g = {0.5 * t, -0.25};
      m.set_grad(g);
      adam.step(0.01);
      if (decoupled) p = p * (1 - 0.01 * 0.1);
      else g = g + 0.1 * p;
      mm = 0.9 * mm + 0.1 * g;
      vv = 0.999 * vv + 0.001 * g * g;
      p = p - 0.01 * (mm / (1 - std::pow(0.9, t))) / (xt::sqrt(vv / (1 - std::pow(0.999, t))) + 1e-8);
      BOOST_TEST(close(m.value(), p));
    }
  }
}

BOOST_AUTO_TEST_CASE(parameters_without_gradient_are_left_alone) {
  ag::ParameterSet<double> params;
  params.add("used", A{1.0});
  params.add("unused", A{5.0});
  params["used"].node()->accumulate(A{1.0});
  auto adamw = op::adamw(params);
  adamw.step(0.1);
  BOOST_TEST(params["unused"].value()(0) == 5.0);
  BOOST_TEST(params["used"].value()(0) < 1.0);
  BOOST_CHECK_THROW(params.add("used", A{0.0}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(clip_by_global_norm) {
  ag::ParameterSet<double> params;
  params.add("a", A{0.0});
  params.add("b", A{0.0, 0.0});
  params["a"].node()->accumulate(A{3.0});
  params["b"].node()->accumulate(A{0.0, 4.0});
  BOOST_TEST(op::clip_grad_norm(params, 10.0) == 5.0);  // below the limit: unchanged
  BOOST_TEST(params["a"].grad()(0) == 3.0);
  BOOST_TEST(op::clip_grad_norm(params, 1.0) == 5.0);
  BOOST_TEST(std::abs(params["a"].grad()(0) - 0.6) < 1e-6);
  BOOST_TEST(std::abs(params["b"].grad()(1) - 0.8) < 1e-6);
}

BOOST_AUTO_TEST_CASE(warmup_then_cosine) {
  const op::WarmupCosine s{1.0, 4, 14, 0.1};
  BOOST_TEST(s.lr(0) == 0.25);
  BOOST_TEST(s.lr(3) == 1.0);
  BOOST_TEST(s.lr(4) == 1.0);
  BOOST_TEST(std::abs(s.lr(9) - 0.55) < 1e-12);  // half way: mean of peak and floor
  BOOST_TEST(s.lr(14) == 0.1);
  BOOST_TEST(s.lr(100) == 0.1);
  for (long t = 4; t < 14; ++t) BOOST_TEST(s.lr(t + 1) <= s.lr(t));
}

BOOST_AUTO_TEST_CASE(initialisers_are_seeded_and_scaled) {
  op::Rng a(3), b(3);
  BOOST_TEST(op::xavier_uniform<double>({64, 32}, a) == op::xavier_uniform<double>({64, 32}, b));
  const auto f = op::fans({16, 4, 3});
  BOOST_TEST(f.in == 12.0);
  BOOST_TEST(f.out == 48.0);
  op::Rng rng(4);
  const A xu = op::xavier_uniform<double>({200, 100}, rng);
  BOOST_TEST(xt::amax(xt::abs(xu))() <= std::sqrt(6.0 / 300.0));
  const A ku = op::kaiming_uniform<double>({200, 100}, rng);
  BOOST_TEST(xt::amax(xt::abs(ku))() <= std::sqrt(2.0) * std::sqrt(3.0 / 100.0));
  const auto stddev = [](const A& x) { return std::sqrt(xt::mean(x * x)()); };
  BOOST_TEST(std::abs(stddev(op::xavier_normal<double>({200, 100}, rng)) - std::sqrt(2.0 / 300.0)) < 0.005);
  BOOST_TEST(std::abs(stddev(op::kaiming_normal<double>({200, 100}, rng)) - std::sqrt(2.0 / 100.0)) < 0.005);
  // float32 draws are the float64 draws rounded.
  op::Rng c(9), d(9);
  const auto f32 = op::kaiming_normal<float>({3, 5}, c);
  const auto f64 = op::kaiming_normal<double>({3, 5}, d);
  BOOST_TEST(f32 == xt::cast<float>(f64));
}
