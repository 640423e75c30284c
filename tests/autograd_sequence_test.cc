// Sequence ops (attention, convolution, recurrent, cumulative, pooling) against finite
// differences, on small random [B, T, D] shapes that include size 1.
#define BOOST_TEST_MODULE autograd_sequence
#include <cmath>

#include <xtensor/xmath.hpp>

#include "tests/autograd_fd.h"

using namespace runnel::testing;
namespace ag = runnel::ag;

BOOST_AUTO_TEST_CASE(op_causal_attention) {
  Rng rng(41);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s{rng.dim(1, 2), rng.dim(1, 2), rng.dim(1, 5), rng.dim(1, 3)};
    const std::size_t window = rng.dim(1, s[2] + 1);
    const double scale = 1 / std::sqrt(double(s[3]));
    expect_gradients_match(
        [=](const Vars& v) { return ag::causal_attention(v[0], v[1], v[2], window, scale); },
        {rng.uniform(s), rng.uniform(s), rng.uniform(s)}, "attention " + str(s) + " W " + std::to_string(window));
    expect_gradients_match(
        [=](const Vars& v) { return ag::causal_attention(v[0], v[1], v[2], window, scale, v[3]); },
        {rng.uniform(s), rng.uniform(s), rng.uniform(s), rng.uniform({s[1], window})},
        "attention with relative bias " + str(s));
  }
}

// T = 9: windows 1 and 2 take the windowed kernel (4W < T), 3 and 9 the dense one.
BOOST_AUTO_TEST_CASE(op_causal_attention_both_kernels) {
  Rng rng(48);
  const Shape s{1, 2, 9, 2};
  for (std::size_t window : {1, 2, 3, 9}) {
    expect_gradients_match(
        [=](const Vars& v) { return ag::causal_attention(v[0], v[1], v[2], window, 0.7, v[3]); },
        {rng.uniform(s), rng.uniform(s), rng.uniform(s), rng.uniform({2, window})},
        "attention T 9 W " + std::to_string(window));
  }
}

// Heads side by side in the last axis ([B, T, H·Dh]) is the same function as the
// [B, H, T, Dh] form with transposes around it, for both kernels; gradients match
// finite differences.
BOOST_AUTO_TEST_CASE(op_multi_head_causal_attention) {
  Rng rng(49);
  for (std::size_t window : {1, 2, 3, 9}) {
    const std::size_t b = 2, t = 9, h = 2, dh = 3;
    const A q = rng.uniform({b, t, h * dh}), k = rng.uniform({b, t, h * dh}), v = rng.uniform({b, t, h * dh});
    const A bias = rng.uniform({h, window});
    const auto c = [](const A& a) { return ag::constant<double>(a); };
    const auto split = [&](const A& x) { return ag::transpose(ag::reshape(c(x), {b, t, h, dh}), {0, 2, 1, 3}); };
    const A expected =
        ag::reshape(ag::transpose(ag::causal_attention(split(q), split(k), split(v), window, 0.6, c(bias)), {0, 2, 1, 3}),
                    {b, t, h * dh})
            .value();
    const A got = ag::multi_head_causal_attention(c(q), c(k), c(v), h, window, 0.6, c(bias)).value();
    BOOST_TEST(xt::amax(xt::abs(got - expected))() < 1e-12, "W " << window);
    expect_gradients_match(
        [=](const Vars& x) { return ag::multi_head_causal_attention(x[0], x[1], x[2], h, window, 0.6, x[3]); },
        {q, k, v, bias}, "multi-head attention W " + std::to_string(window));
  }
  BOOST_CHECK_THROW(ag::multi_head_causal_attention(ag::constant<double>(rng.uniform({1, 4, 6})),
                                                    ag::constant<double>(rng.uniform({1, 4, 6})),
                                                    ag::constant<double>(rng.uniform({1, 4, 6})), 4, 2, 1.0),
                    std::invalid_argument);
}

// A learnable query per head over N items equals the broadcast-and-reduce composition
// it replaces; gradients match finite differences (q, k and v).
BOOST_AUTO_TEST_CASE(op_query_attention) {
  Rng rng(50);
  const std::size_t b = 2, t = 3, n = 4, h = 2, dh = 3, d = h * dh;
  const A q = rng.uniform({d}), k = rng.uniform({b, t, n, d}), v = rng.uniform({b, t, n, d});
  const auto c = [](const A& a) { return ag::constant<double>(a); };
  const auto heads_first = [&](const A& x) {  // [B, T, N, D] -> [B, T, H, N, Dh]
    return ag::transpose(ag::reshape(c(x), {b, t, n, h, dh}), {0, 1, 3, 2, 4});
  };
  const auto scores = ag::sum(ag::mul(heads_first(k), ag::reshape(c(q), {h, 1, dh})), -1);
  const auto p = ag::reshape(ag::softmax(scores, -1), {b, t, h, n, 1});
  const A expected = ag::reshape(ag::sum(ag::mul(p, heads_first(v)), 3), {b, t, d}).value();
  const A got = ag::query_attention(c(q), c(k), c(v), h).value();
  BOOST_TEST(xt::amax(xt::abs(got - expected))() < 1e-12);
  expect_gradients_match([=](const Vars& x) { return ag::query_attention(x[0], x[1], x[2], h); }, {q, k, v},
                         "query attention");
  expect_gradients_match([=](const Vars& x) { return ag::query_attention(x[0], x[1], x[2], 1); },
                         {rng.uniform({2}), rng.uniform({1, 1, 2}), rng.uniform({1, 1, 2})}, "one item, one head");
  BOOST_CHECK_THROW(ag::query_attention(c(q), c(k), c(v), 4), std::invalid_argument);
}

// Window 1 attends only to itself; ALiBi is a fixed bias of -slope * offset.
BOOST_AUTO_TEST_CASE(op_attention_window_one_and_alibi) {
  Rng rng(42);
  const A q = rng.uniform({1, 2, 4, 3}), k = rng.uniform({1, 2, 4, 3}), v = rng.uniform({1, 2, 4, 3});
  const auto c = [](const A& a) { return ag::constant<double>(a); };
  BOOST_TEST(ag::causal_attention(c(q), c(k), c(v), 1, 1.0).value() == v);
  const A alibi = ag::alibi_bias<double>(2, 3);
  BOOST_TEST(alibi(0, 2) == -2 * std::pow(2.0, -4.0));
  BOOST_TEST(alibi(1, 1) == -std::pow(2.0, -8.0));
  expect_gradients_match(
      [alibi](const Vars& x) { return ag::causal_attention(x[0], x[1], x[2], 3, 0.5, ag::constant<double>(alibi)); },
      {q, k, v}, "attention with alibi");
}

BOOST_AUTO_TEST_CASE(op_causal_conv1d) {
  Rng rng(43);
  for (int t = 0; t < kTrials; ++t) {
    const std::size_t b = rng.dim(1, 2), len = rng.dim(1, 6), cin = rng.dim(1, 3), cout = rng.dim(1, 3),
                      k = rng.dim(1, 3), dil = rng.dim(1, 3);
    expect_gradients_match([dil](const Vars& v) { return ag::causal_conv1d(v[0], v[1], v[2], dil); },
                           {rng.uniform({b, len, cin}), rng.uniform({cout, cin, k}), rng.uniform({cout})},
                           "conv K " + std::to_string(k) + " dilation " + std::to_string(dil));
  }
}

BOOST_AUTO_TEST_CASE(op_gru_and_lstm) {
  Rng rng(44);
  for (int t = 0; t < kTrials; ++t) {
    const std::size_t b = rng.dim(1, 2), len = rng.dim(1, 5), in = rng.dim(1, 3), h = rng.dim(1, 3);
    const auto inputs = [&](std::size_t gates) {
      return std::vector<A>{rng.uniform({b, len, in}), rng.uniform({gates * h, in}), rng.uniform({gates * h, h}),
                            rng.uniform({gates * h}), rng.uniform({gates * h})};
    };
    expect_gradients_match([](const Vars& v) { return ag::gru(v[0], v[1], v[2], v[3], v[4]); }, inputs(3), "gru");
    expect_gradients_match([](const Vars& v) { return ag::lstm(v[0], v[1], v[2], v[3], v[4]); }, inputs(4), "lstm");
  }
}

BOOST_AUTO_TEST_CASE(op_cumulative) {
  Rng rng(45);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(3);
    expect_gradients_match([](const Vars& v) { return ag::cumsum(v[0], 1); }, {rng.uniform(s)}, "cumsum");
    expect_gradients_match([](const Vars& v) { return ag::cummean(v[0], -2); }, {rng.uniform(s)}, "cummean");
    expect_gradients_match([](const Vars& v) { return ag::cummax(v[0], 1); }, {rng.distinct(s)}, "cummax");
  }
}

BOOST_AUTO_TEST_CASE(op_decay_and_positional_weights) {
  Rng rng(46);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(3, 1, 5);
    const std::size_t window = rng.dim(1, s[1] + 1);
    expect_gradients_match([window](const Vars& v) { return ag::linear_decay(v[0], window); }, {rng.uniform(s)},
                           "linear_decay");
    expect_gradients_match([](const Vars& v) { return ag::exp_decay(v[0], 0.8); }, {rng.uniform(s)}, "exp_decay");
    expect_gradients_match([](const Vars& v) { return ag::learned_pos_weights(v[0], v[1]); },
                           {rng.uniform(s), rng.uniform({window})}, "learned_pos_weights");
  }
  // Linear decay at t = 1, W = 2: (1·x1 + 0.5·x0) / 1.5.
  A x(Shape{1, 2, 1});
  x(0, 0, 0) = 2.0;
  x(0, 1, 0) = 5.0;
  BOOST_TEST(std::abs(ag::linear_decay(ag::constant<double>(x), 2).value()(0, 1, 0) - 4.0) < 1e-12);
}

BOOST_AUTO_TEST_CASE(op_attention_pool) {
  Rng rng(47);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(3, 1, 5);
    expect_gradients_match([](const Vars& v) { return ag::attention_pool(v[0], v[1]); },
                           {rng.uniform(s, -2, 2), rng.uniform({s[2]}, -2, 2)}, "attention_pool " + str(s));
  }
  // Large scores must not overflow the online softmax.
  A big(Shape{1, 3, 1});
  big(0, 0, 0) = 900.0, big(0, 1, 0) = -900.0, big(0, 2, 0) = 1000.0;
  const V y = ag::attention_pool(ag::constant<double>(big), ag::constant<double>(A(Shape{1}, 1.0)));
  BOOST_TEST(std::isfinite(y.value()(0, 1, 0)));
  BOOST_TEST(std::abs(y.value()(0, 2, 0) - 1000.0) < 1e-9);
}

// The copy head's mixture: ids repeat inside the window (several offsets point at one
// value) and W is both shorter and longer than T.
BOOST_AUTO_TEST_CASE(op_copy_mixture) {
  Rng rng(53);
  for (int trial = 0; trial < kTrials; ++trial) {
    const std::size_t B = rng.dim(1, 2), T = rng.dim(1, 6), K = rng.dim(1, 3), V = rng.dim(2, 5);
    const std::size_t W = rng.dim(1, T + 1);
    xt::xarray<std::int64_t> ids = xt::zeros<std::int64_t>({B, T});
    for (auto& id : ids) id = static_cast<std::int64_t>(rng.dim(0, V - 1));
    expect_gradients_match(
        [=](const Vars& v) { return ag::copy_mixture(v[0], v[1], v[2], v[3], v[4], ids, 1e-6); },
        {rng.uniform({B, T, K}, -2, 2), rng.uniform({V, K}, -2, 2), rng.uniform({W}, -1, 1),
         rng.uniform({B, T, 1}, -2, 2), rng.uniform({B, T, V}, -2, 2)},
        "copy_mixture B " + std::to_string(B) + " T " + std::to_string(T) + " V " + std::to_string(V) + " W " +
            std::to_string(W));
  }
}
