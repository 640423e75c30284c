// Per-layer parity: for each op, a tiny model (event inputs -> the layer -> dense -> output)
// with random (perturbed) parameters and a random ragged batch (T > W for windowed
// layers); the trainer's sequence form must match the engine stepping the exported file
// event by event within 1e-4 at every position.
#define BOOST_TEST_MODULE parity_layers
#include <boost/test/unit_test.hpp>

#include <functional>
#include <iostream>

#include "tests/parity_util.h"
#include "trainer/nn/modules.h"

namespace runnel {
namespace {

using nn::Graph;
using rnl::Activation;
constexpr std::size_t kD = 8;
constexpr std::size_t kWindow = 4;

// build(g, x) adds the layer(s) under test reading node x (width kD) and returns the node
// the head reads.
using Build = std::function<int(Graph&, int)>;

double check(const std::string& name, const Build& build, std::size_t T = 11, float perturbation = 0.2f) {
  const data::DataSchema schema = parity::make_schema({5, 7}, 3, 2);
  Graph g;
  const int e = g.emplace<nn::Embed>({}, "in.embed", std::vector<int>{0, 1}, std::vector<std::size_t>{5, 7}, kD);
  const int n = g.emplace<nn::Numeric>({}, "in.num", 0, 3, kD);
  const int x = g.emplace<nn::Add>({e, n}, kD);
  const int y = build(g, x);
  const int logits = g.emplace<nn::Dense>({y}, "head.cat", g.width(y), 5);
  g.emplace<nn::Output>({logits}, 5, rnl::OutputKind::kCategorical, 0, -1);
  const int value = g.emplace<nn::Dense>({y}, "head.reg", g.width(y), 1);
  g.emplace<nn::Output>({value}, 1, rnl::OutputKind::kRegression, -1, 2);

  nn::Params params;
  g.init(params, 7);
  parity::perturb(params, 11, perturbation);
  const data::Batch batch = parity::random_batch(schema, 4, T, 3);
  const auto expected = parity::graph_outputs(g, params, batch);
  const double err = parity::engine_max_error(nn::export_graph(g, params, schema).bytes(), expected, batch);
  std::cout << "parity " << name << ": max abs error " << err << "\n";
  BOOST_CHECK_LE(err, 1e-4);
  return err;
}

BOOST_AUTO_TEST_CASE(embed) {
  check("embed", [](Graph& g, int x) {
    const int e = g.emplace<nn::Embed>({}, "t.embed", std::vector<int>{1}, std::vector<std::size_t>{7}, kD);
    return g.emplace<nn::Add>({x, e}, kD);
  });
}

BOOST_AUTO_TEST_CASE(numeric) {
  check("numeric", [](Graph& g, int x) {
    const int n = g.emplace<nn::Numeric>({}, "t.num", 1, 2, kD);
    return g.emplace<nn::Add>({x, n}, kD);
  });
}

BOOST_AUTO_TEST_CASE(time_embed) {
  check("time_embed", [](Graph& g, int x) {
    const int te = g.emplace<nn::TimeEmbed>({}, "t.time", 8, kD);   // dt up to 2^12: clipped buckets
    return g.emplace<nn::Add>({x, te}, kD);
  });
  BOOST_CHECK_EQUAL(nn::TimeEmbed::bucket(0.0, 8), 0);
  BOOST_CHECK_EQUAL(nn::TimeEmbed::bucket(0.99, 8), 0);
  BOOST_CHECK_EQUAL(nn::TimeEmbed::bucket(1.0, 8), 1);
  BOOST_CHECK_EQUAL(nn::TimeEmbed::bucket(3.9, 8), 2);
  BOOST_CHECK_EQUAL(nn::TimeEmbed::bucket(4.0, 8), 3);
  BOOST_CHECK_EQUAL(nn::TimeEmbed::bucket(1e9, 8), 7);
}

BOOST_AUTO_TEST_CASE(static_input) {
  check("static_input", [](Graph& g, int x) {
    const int s = g.emplace<nn::StaticInput>({}, 0, 2);
    return g.emplace<nn::Concat>({x, s}, std::vector<std::size_t>{kD, 2});
  });
}

BOOST_AUTO_TEST_CASE(add) {
  check("add", [](Graph& g, int x) {
    const int d = g.emplace<nn::Dense>({x}, "t.d", kD, kD, Activation::kTanh);
    return g.emplace<nn::Add>({x, d}, kD);
  });
}

BOOST_AUTO_TEST_CASE(concat) {
  check("concat", [](Graph& g, int x) {
    const int s = g.emplace<nn::StaticInput>({}, 1, 1);
    const int e = g.emplace<nn::Embed>({}, "t.embed", std::vector<int>{0}, std::vector<std::size_t>{5}, 3);
    return g.emplace<nn::Concat>({s, x, e}, std::vector<std::size_t>{1, kD, 3});
  });
}

BOOST_AUTO_TEST_CASE(dense) {
  check("dense", [](Graph& g, int x) {
    int y = x;
    std::size_t w = kD;
    int i = 0;
    for (Activation a : {Activation::kRelu, Activation::kGeluTanh, Activation::kGeluErf, Activation::kTanh,
                         Activation::kSigmoid, Activation::kNone}) {
      const std::size_t out = 6 + (i % 3);
      y = g.emplace<nn::Dense>({y}, "t.d" + std::to_string(i++), w, out, a);
      w = out;
    }
    return y;
  });
}

BOOST_AUTO_TEST_CASE(layer_norm) {
  check("layer_norm", [](Graph& g, int x) { return g.emplace<nn::LayerNorm>({x}, "t.ln", kD, 1e-5f); });
}

BOOST_AUTO_TEST_CASE(activation) {
  check("activation", [](Graph& g, int x) {
    int y = x;
    for (Activation a : {Activation::kGeluErf, Activation::kRelu, Activation::kGeluTanh, Activation::kSigmoid,
                         Activation::kTanh, Activation::kNone})
      y = g.emplace<nn::Activation>({y}, kD, a);
    return y;
  });
}

BOOST_AUTO_TEST_CASE(l2_normalize) {
  check("l2_normalize", [](Graph& g, int x) { return g.emplace<nn::L2Normalize>({x}, kD, 1e-12f); });
}

BOOST_AUTO_TEST_CASE(pos_sinusoidal) {
  check("pos_sinusoidal", [](Graph& g, int x) { return g.emplace<nn::PosSinusoidal>({x}, kD); }, 60);
}

BOOST_AUTO_TEST_CASE(pos_learned) {
  check("pos_learned", [](Graph& g, int x) { return g.emplace<nn::PosLearned>({x}, "t.pos", 11, kD); }, 11);
}

BOOST_AUTO_TEST_CASE(cumulative) {
  check("cumulative", [](Graph& g, int x) {
    const int a = g.emplace<nn::Cumulative>({x}, kD, rnl::Reduce::kMean);
    const int b = g.emplace<nn::Cumulative>({x}, kD, rnl::Reduce::kMax);
    const int c = g.emplace<nn::Cumulative>({x}, kD, rnl::Reduce::kSum);
    return g.emplace<nn::Concat>({a, b, c}, std::vector<std::size_t>{kD, kD, kD});
  });
}

BOOST_AUTO_TEST_CASE(linear_decay) {
  check("linear_decay", [](Graph& g, int x) { return g.emplace<nn::LinearDecay>({x}, kD, kWindow); });
}

BOOST_AUTO_TEST_CASE(exp_decay) {
  check("exp_decay", [](Graph& g, int x) { return g.emplace<nn::ExpDecay>({x}, kD, 0.7f); });
}

BOOST_AUTO_TEST_CASE(learned_pos_weights) {
  check("learned_pos_weights", [](Graph& g, int x) { return g.emplace<nn::LearnedPosWeights>({x}, "t.lpw", kD, kWindow); });
}

BOOST_AUTO_TEST_CASE(attention_pool) {
  check("attention_pool", [](Graph& g, int x) { return g.emplace<nn::AttentionPool>({x}, "t.pool", kD); });
}

BOOST_AUTO_TEST_CASE(conv1d) {
  check("conv1d", [](Graph& g, int x) {
    const int c1 = g.emplace<nn::Conv1d>({x}, "t.conv1", kD, 6, 3, 1, Activation::kRelu);
    return g.emplace<nn::Conv1d>({c1}, "t.conv2", 6, 5, 2, 3, Activation::kNone);
  });
}

BOOST_AUTO_TEST_CASE(gru) {
  check("gru", [](Graph& g, int x) { return g.emplace<nn::Gru>({x}, "t.gru", kD, 6); });
}

BOOST_AUTO_TEST_CASE(lstm) {
  check("lstm", [](Graph& g, int x) { return g.emplace<nn::Lstm>({x}, "t.lstm", kD, 5); });
}

BOOST_AUTO_TEST_CASE(self_attention) {
  check("self_attention", [](Graph& g, int x) {
    const int a = g.emplace<nn::SelfAttention>({x}, "t.none", kD, 2, kWindow, rnl::PositionBias::kNone);
    const int b = g.emplace<nn::SelfAttention>({x}, "t.rel", kD, 2, kWindow, rnl::PositionBias::kRelative);
    const int c = g.emplace<nn::SelfAttention>({x}, "t.alibi", kD, 4, kWindow, rnl::PositionBias::kAlibi);
    const int d = g.emplace<nn::SelfAttention>({x}, "t.long", kD, 1, 32, rnl::PositionBias::kNone);  // W > T
    return g.emplace<nn::Concat>({a, b, c, d}, std::vector<std::size_t>{kD, kD, kD, kD});
  });
}

BOOST_AUTO_TEST_CASE(cross_attention) {
  check("cross_attention", [](Graph& g, int x) {
    const int s1 = g.emplace<nn::Dense>({x}, "t.s1", kD, kD, Activation::kTanh);
    const int s2 = g.emplace<nn::Cumulative>({x}, kD, rnl::Reduce::kMean);
    return g.emplace<nn::CrossAttention>({x, s1, s2}, "t.fuse", kD, 2, 3, 1e-5f);
  });
}

BOOST_AUTO_TEST_CASE(copy_head) {
  // Field 0 (5 ids) over the last kWindow events; the batch is longer than the window.
  check("copy_head", [](Graph& g, int x) {
    const int logits = g.emplace<nn::Dense>({x}, "t.gen", kD, 5);
    return g.emplace<nn::CopyHead>({x, logits}, "t.copy", 0, 5, kD, 3, kWindow);
  });
}

BOOST_AUTO_TEST_CASE(output) {
  // Both output kinds on their own (every test above also ends in both).
  check("output", [](Graph&, int x) { return x; });
}

// Every op of RUNNEL_OP_LIST (rnl_spec.h) has a test case above named after it: a new op
// without its parity case fails here.
BOOST_AUTO_TEST_CASE(every_op_has_a_parity_case) {
  const boost::unit_test::test_suite& suite = boost::unit_test::framework::master_test_suite();
#define RUNNEL_PARITY_CASE(name, snake, code) \
  BOOST_TEST((suite.get(#snake) != boost::unit_test::INV_TEST_UNIT_ID), "op k" #name " has no parity case " #snake);
  RUNNEL_OP_LIST(RUNNEL_PARITY_CASE)
#undef RUNNEL_PARITY_CASE
}

}  // namespace
}  // namespace runnel
