// Softmax, losses, normalisation, embedding and dropout against finite differences.
#define BOOST_TEST_MODULE autograd_nn
#include "tests/autograd_fd.h"

using namespace runnel::testing;
namespace ag = runnel::ag;

BOOST_AUTO_TEST_CASE(op_softmax_and_log_softmax) {
  Rng rng(31);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(3);
    const int axis = static_cast<int>(rng.dim(0, 2)) - 3 * rng.coin();
    expect_gradients_match([axis](const Vars& v) { return ag::softmax(v[0], axis); }, {rng.uniform(s, -3, 3)},
                           "softmax " + str(s));
    expect_gradients_match([axis](const Vars& v) { return ag::log_softmax(v[0], axis); }, {rng.uniform(s, -3, 3)},
                           "log_softmax " + str(s));
  }
}

BOOST_AUTO_TEST_CASE(op_cross_entropy) {
  Rng rng(32);
  for (int t = 0; t < kTrials; ++t) {
    const std::size_t n = rng.dim(1, 5), c = rng.dim(1, 5);
    std::vector<std::int64_t> target(n);
    for (auto& y : target) y = static_cast<std::int64_t>(rng.dim(0, c - 1));
    target[0] = -100;  // ignored
    expect_gradients_match([target](const Vars& v) { return ag::cross_entropy(v[0], target, -100); },
                           {rng.uniform({n, c}, -2, 2)}, "cross_entropy");
  }
  // All rows ignored: loss 0 and zero gradient, not NaN.
  const V logits = ag::leaf<double>(A(Shape{2, 3}, 0.5));
  const V loss = ag::cross_entropy(logits, {-1, -1}, -1);
  ag::backward(loss);
  BOOST_TEST(loss.value()() == 0.0);
  BOOST_TEST(xt::amax(xt::abs(logits.grad()))() == 0.0);
}

BOOST_AUTO_TEST_CASE(op_mse) {
  Rng rng(33);
  const Shape s = rng.shape(2);
  const A target = rng.uniform(s);
  expect_gradients_match([target](const Vars& v) { return ag::mse(v[0], target); }, {rng.uniform(s)}, "mse");
}

BOOST_AUTO_TEST_CASE(op_layer_norm) {
  Rng rng(34);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(rng.dim(1, 3), 1, 5);
    const Shape d{s.back()};
    expect_gradients_match([](const Vars& v) { return ag::layer_norm(v[0], v[1], v[2], 1e-5); },
                           {rng.uniform(s), rng.uniform(d), rng.uniform(d)}, "layer_norm " + str(s));
  }
}

BOOST_AUTO_TEST_CASE(op_l2_normalize) {
  Rng rng(35);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(2);
    expect_gradients_match([](const Vars& v) { return ag::l2_normalize(v[0], 1e-12); }, {rng.uniform(s)},
                           "l2_normalize " + str(s));
  }
  // Below eps the op is x / eps, a linear map.
  expect_gradients_match([](const Vars& v) { return ag::l2_normalize(v[0], 10.0); }, {rng.uniform({2, 3})},
                         "l2_normalize clamped");
}

BOOST_AUTO_TEST_CASE(op_embedding) {
  Rng rng(36);
  const std::size_t v = 6, d = 3;
  xt::xarray<std::int64_t> ids = {{1, 4, 1}, {5, 1, 4}};
  expect_gradients_match([ids](const Vars& x) { return ag::embedding(x[0], ids); }, {rng.uniform({v, d})},
                         "embedding");
  // Untouched rows (0, 2, 3) get exactly zero gradient.
  const V w = ag::leaf<double>(rng.uniform({v, d}));
  ag::backward(ag::sum_all(ag::embedding(w, ids)));
  for (std::size_t row : {0, 2, 3})
    for (std::size_t j = 0; j < d; ++j) BOOST_TEST(w.grad()(row, j) == 0.0);
  BOOST_TEST(w.grad()(1, 0) == 3.0);
  BOOST_CHECK_THROW(ag::embedding(w, xt::xarray<std::int64_t>{6}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(op_dropout) {
  Rng rng(37);
  expect_gradients_match([](const Vars& v) { return ag::dropout(v[0], 0.3, 99, true); }, {rng.uniform({4, 5})},
                         "dropout");
  const V x = ag::constant<double>(A(Shape{1000}, 1.0));
  const A a = ag::dropout(x, 0.25, 5, true).value(), b = ag::dropout(x, 0.25, 5, true).value();
  BOOST_TEST(a == b);  // same seed, same mask
  const double kept = double(xt::sum(xt::cast<double>(a > 0.0))());
  BOOST_TEST(kept > 700);
  BOOST_TEST(kept < 800);
  BOOST_TEST(ag::dropout(x, 0.25, 5, false).value() == x.value());  // eval mode: identity
}
