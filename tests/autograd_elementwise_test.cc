// Element-wise, matmul and reduction ops against finite differences (float64).
#define BOOST_TEST_MODULE autograd_elementwise
#include "tests/autograd_fd.h"

using namespace runnel::testing;
namespace ag = runnel::ag;

namespace {
using Binary = V (*)(const V&, const V&);
void check_binary(Binary op, const char* name, std::uint64_t seed, bool positive_b = false) {
  Rng rng(seed);
  for (int t = 0; t < kTrials; ++t) {
    const auto [sa, sb] = rng.broadcast_pair();
    const A b = positive_b ? rng.uniform(sb, 0.5, 1.5) : rng.uniform(sb);
    expect_gradients_match([op](const Vars& v) { return op(v[0], v[1]); }, {rng.uniform(sa), b},
                           std::string(name) + " " + str(sa) + " " + str(sb));
  }
}

using Unary = V (*)(const V&);
void check_unary(Unary op, const char* name, std::uint64_t seed, bool positive = false) {
  Rng rng(seed);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(rng.dim(1, 3));
    const A x = positive ? rng.uniform(s, 0.2, 2.0) : rng.away_from_zero(s);
    expect_gradients_match([op](const Vars& v) { return op(v[0]); }, {x}, std::string(name) + " " + str(s));
  }
}

using AxisOp = V (*)(const V&, int);
void check_axis(AxisOp op, const char* name, std::uint64_t seed) {
  Rng rng(seed);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(rng.dim(1, 3));
    const int axis = static_cast<int>(rng.dim(0, s.size() - 1)) - (rng.coin() ? int(s.size()) : 0);
    expect_gradients_match([op, axis](const Vars& v) { return op(v[0], axis); }, {rng.distinct(s)},
                           std::string(name) + " " + str(s) + " axis " + std::to_string(axis));
  }
}
}  // namespace

BOOST_AUTO_TEST_CASE(op_add) { check_binary(ag::add<double>, "add", 1); }
BOOST_AUTO_TEST_CASE(op_sub) { check_binary(ag::sub<double>, "sub", 2); }
BOOST_AUTO_TEST_CASE(op_mul) { check_binary(ag::mul<double>, "mul", 3); }
BOOST_AUTO_TEST_CASE(op_div) { check_binary(ag::div<double>, "div", 4, true); }
BOOST_AUTO_TEST_CASE(op_exp) { check_unary(ag::exp<double>, "exp", 5); }
BOOST_AUTO_TEST_CASE(op_log) { check_unary(ag::log<double>, "log", 6, true); }
BOOST_AUTO_TEST_CASE(op_tanh) { check_unary(ag::tanh<double>, "tanh", 7); }
BOOST_AUTO_TEST_CASE(op_sigmoid) { check_unary(ag::sigmoid<double>, "sigmoid", 8); }
BOOST_AUTO_TEST_CASE(op_relu) { check_unary(ag::relu<double>, "relu", 9); }
BOOST_AUTO_TEST_CASE(op_gelu_tanh) { check_unary(ag::gelu_tanh<double>, "gelu_tanh", 10); }
BOOST_AUTO_TEST_CASE(op_gelu_erf) { check_unary(ag::gelu_erf<double>, "gelu_erf", 11); }

BOOST_AUTO_TEST_CASE(op_scale) {
  Rng rng(12);
  expect_gradients_match([](const Vars& v) { return ag::scale(v[0], -2.5); }, {rng.uniform({3, 1})}, "scale");
}

BOOST_AUTO_TEST_CASE(op_sum) { check_axis(ag::sum<double>, "sum", 13); }
BOOST_AUTO_TEST_CASE(op_mean) { check_axis(ag::mean<double>, "mean", 14); }
BOOST_AUTO_TEST_CASE(op_max) { check_axis(ag::max<double>, "max", 15); }

BOOST_AUTO_TEST_CASE(op_sum_all_and_mean_all) {
  Rng rng(16);
  const A x = rng.uniform({2, 1, 3});
  expect_gradients_match([](const Vars& v) { return ag::sum_all(v[0]); }, {x}, "sum_all");
  expect_gradients_match([](const Vars& v) { return ag::mean_all(v[0]); }, {x}, "mean_all");
}

// Rows times a shared matrix (any leading dims), and equal batches.
BOOST_AUTO_TEST_CASE(op_matmul) {
  Rng rng(17);
  for (int t = 0; t < kTrials; ++t) {
    const std::size_t m = rng.dim(), k = rng.dim(), n = rng.dim(), s = rng.dim(1, 3);
    const auto mm = [](const Vars& v) { return ag::matmul(v[0], v[1]); };
    expect_gradients_match(mm, {rng.uniform({m, k}), rng.uniform({k, n})}, "2d");
    expect_gradients_match(mm, {rng.uniform({s, m, k}), rng.uniform({k, n})}, "rows x shared");
    expect_gradients_match(mm, {rng.uniform({s, m, k}), rng.uniform({s, k, n})}, "batched");
    expect_gradients_match(mm, {rng.uniform({2, s, m, k}), rng.uniform({2, s, k, n})}, "batched 4d");
  }
  BOOST_CHECK_THROW(ag::matmul(ag::constant<double>(A(Shape{2, 3})), ag::constant<double>(A(Shape{2, 3}))),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(op_linear) {
  Rng rng(18);
  expect_gradients_match([](const Vars& v) { return ag::linear(v[0], v[1], v[2]); },
                         {rng.uniform({2, 3, 4}), rng.uniform({5, 4}), rng.uniform({5})}, "linear");
}
