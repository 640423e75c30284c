// Streaming correctness of the sequence layers: each layer is fed one event at a time and,
// after every event, its output is compared with a full-sequence computation written here
// in double precision straight from the formulas of engine/format/rnl_spec.h.
#define BOOST_TEST_MODULE layers_sequence
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "engine/layers/conv1d.h"
#include "engine/layers/cross_attention.h"
#include "engine/layers/gru.h"
#include "engine/layers/lstm.h"
#include "engine/layers/self_attention.h"
#include "tests/alloc_counter.h"
#include "tests/for_each_isa.h"
#include "trainer/export/quantize.h"

namespace runnel {
namespace {

using layers::Conv1d;
using layers::CrossAttention;
using layers::Gru;
using layers::Lstm;
using layers::SelfAttention;

using Vec = std::vector<float>;
using VecD = std::vector<double>;
using Stream = std::vector<Vec>;         // one input (or output) vector per event
using StreamD = std::vector<VecD>;

constexpr double kTolerance = 1e-5;
// Int8 layers against the double-precision reference on their dequantised weights: what
// remains is the int8 matvec's rounding of its inputs to 16 bits (kernels_reference.h),
// up to 2.5e-4 seen through d-64 attention with outputs of a few units (relative ~5e-5).
// A wrong row, scale or matrix is off by ~0.1 or more.
constexpr double kInt8Tolerance = 1e-3;

// ---------------------------------------------------------------------------------------
// random data

struct Random {
  std::mt19937 gen;
  explicit Random(unsigned seed) : gen(seed) {}
  Vec vec(size_t n, float amplitude = 0.5f) {
    std::uniform_real_distribution<float> u(-amplitude, amplitude);
    Vec v(n);
    for (float& x : v) x = u(gen);
    return v;
  }
  Stream stream(int events, int width, float amplitude = 1.f) {
    Stream s;
    for (int t = 0; t < events; ++t) s.push_back(vec(width, amplitude));
    return s;
  }
};

// ---------------------------------------------------------------------------------------
// streaming harness: state poisoned before reset() and scratch poisoned before every step
// (so nothing may be read before it is written); guard floats after state, scratch and
// output (and ASan in its config) catch writes past them; step() must not allocate.

constexpr float kPoison = std::numeric_limits<float>::quiet_NaN();
constexpr size_t kGuardFloats = 16;
constexpr float kGuard = 1234.5f;

template <class Layer>
class Streamer {
 public:
  explicit Streamer(const Layer& layer)
      : layer_(layer), state_(layer.state_floats() + kGuardFloats, kGuard),
        scratch_(layer.scratch_floats() + kGuardFloats, kGuard), out_(layer.out_width() + kGuardFloats, kGuard) {
    BOOST_REQUIRE(layer.valid());
    reset();
  }
  void reset() {
    std::fill(state_.begin(), state_.end() - kGuardFloats, kPoison);
    layer_.reset(state_.data());
    t_ = 0;
  }
  Vec step(const std::vector<const float*>& inputs) {
    std::fill(scratch_.begin(), scratch_.end() - kGuardFloats, kPoison);
    std::fill(out_.begin(), out_.end() - kGuardFloats, kPoison);
    StepArgs a;
    a.t = t_++;
    a.in = inputs.data();
    a.n_in = static_cast<int>(inputs.size());
    const long allocations_before = testing::allocation_count();
    const Status s = layer_.step(a, state_.data(), scratch_.data(), out_.data());
    BOOST_REQUIRE_EQUAL(testing::allocation_count() - allocations_before, 0);
    BOOST_REQUIRE_EQUAL(status_name(s), status_name(Status::kOk));
    for (const Vec* buffer : {&state_, &scratch_, &out_})
      BOOST_REQUIRE(std::all_of(buffer->end() - kGuardFloats, buffer->end(), [](float g) { return g == kGuard; }));
    return Vec(out_.begin(), out_.end() - kGuardFloats);
  }
  Vec step(const Vec& input) { return step(std::vector<const float*>{input.data()}); }
  Stream run(const Stream& inputs) {
    Stream outs;
    for (const Vec& x : inputs) outs.push_back(step(x));
    return outs;
  }

 private:
  const Layer& layer_;
  Vec state_, scratch_, out_;
  int64_t t_ = 0;
};

void expect_close(const Stream& got, const StreamD& want, double tolerance = kTolerance) {
  BOOST_REQUIRE_EQUAL(got.size(), want.size());
  double worst = 0;
  for (size_t t = 0; t < got.size(); ++t) {
    BOOST_REQUIRE_EQUAL(got[t].size(), want[t].size());
    for (size_t i = 0; i < got[t].size(); ++i) {
      const double err = std::abs(static_cast<double>(got[t][i]) - want[t][i]);
      BOOST_TEST_INFO("event " << t << ", component " << i << ": " << got[t][i] << " vs " << want[t][i]);
      BOOST_TEST(err <= tolerance);  // also fails on NaN
      worst = std::max(worst, err);
    }
  }
  BOOST_TEST_MESSAGE("max abs error " << worst);
}

// ---------------------------------------------------------------------------------------
// double-precision references

VecD affine(const Vec& w, const Vec& b, const VecD& x, int rows) {  // W [rows, cols] x + b
  const size_t cols = x.size();
  VecD y(rows);
  for (int r = 0; r < rows; ++r) {
    double s = b.empty() ? 0.0 : b[r];
    for (size_t c = 0; c < cols; ++c) s += static_cast<double>(w[r * cols + c]) * x[c];
    y[r] = s;
  }
  return y;
}
VecD to_double(const Vec& v) { return VecD(v.begin(), v.end()); }

// A weight matrix quantised to int8 (one scale per row). The f32 values it came from are
// replaced by the dequantised ones, so that the double references compute with exactly
// the weights the int8 layer has.
class Int8Matrix {
 public:
  Int8Matrix(Vec& w, int rows) : q_(quant::quantize_rows(w, rows, w.size() / rows)) {
    w = quant::dequantize_rows(q_, rows, w.size() / rows);
  }
  kernels::Matrix view() const { return kernels::Matrix::int8(q_.q.data(), q_.scales.data()); }

 private:
  quant::QuantizedRows q_;
};
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double activate(rnl::Activation act, double x) {
  switch (act) {
    case rnl::Activation::kNone: return x;
    case rnl::Activation::kRelu: return x > 0 ? x : 0;
    case rnl::Activation::kGeluTanh:
      return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
    case rnl::Activation::kGeluErf: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case rnl::Activation::kTanh: return std::tanh(x);
    case rnl::Activation::kSigmoid: return sigmoid(x);
  }
  return x;
}

VecD layer_norm(const VecD& x, const Vec& gamma, const Vec& beta, double eps) {
  const double n = static_cast<double>(x.size());
  double mean = 0, var = 0;
  for (double v : x) mean += v / n;
  for (double v : x) var += (v - mean) * (v - mean) / n;
  VecD y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) / std::sqrt(var + eps) * gamma[i] + beta[i];
  return y;
}

// ---------------------------------------------------------------------------------------
// conv1d

struct ConvWeights {
  Vec w, b;
  int cin, cout, k, dilation;
  rnl::Activation act;
  ConvWeights(Random& rnd, int cin, int cout, int k, int dilation, rnl::Activation act)
      : w(rnd.vec(static_cast<size_t>(cout) * cin * k)), b(rnd.vec(cout)), cin(cin), cout(cout), k(k),
        dilation(dilation), act(act) {}
  Conv1d layer() const { return Conv1d::make(w.data(), b.data(), cin, cout, k, dilation, act); }
};

StreamD conv_reference(const ConvWeights& c, const StreamD& x) {
  StreamD y;
  for (int t = 0; t < static_cast<int>(x.size()); ++t) {
    VecD out(c.cout);
    for (int o = 0; o < c.cout; ++o) {
      double s = c.b[o];
      for (int i = 0; i < c.cin; ++i)
        for (int k = 0; k < c.k; ++k) {
          const int src = t - (c.k - 1 - k) * c.dilation;
          if (src >= 0) s += static_cast<double>(c.w[(static_cast<size_t>(o) * c.cin + i) * c.k + k]) * x[src][i];
        }
      out[o] = activate(c.act, s);
    }
    y.push_back(out);
  }
  return y;
}

StreamD to_double(const Stream& s) {
  StreamD d;
  for (const Vec& v : s) d.push_back(to_double(v));
  return d;
}

BOOST_AUTO_TEST_CASE(conv1d_matches_full_sequence) {
  testing::for_each_isa([&](Isa) {
    struct Case { int cin, cout, k, dilation; rnl::Activation act; };
    const Case cases[] = {{3, 4, 1, 1, rnl::Activation::kNone},   {5, 7, 3, 1, rnl::Activation::kRelu},
                          {5, 7, 3, 2, rnl::Activation::kNone},   {4, 3, 4, 3, rnl::Activation::kTanh},
                          {2, 6, 2, 8, rnl::Activation::kGeluErf}, {6, 6, 5, 1, rnl::Activation::kGeluTanh}};
    Random rnd(1);
    for (const Case& c : cases) {
      BOOST_TEST_CONTEXT("Cin " << c.cin << " Cout " << c.cout << " K " << c.k << " dilation " << c.dilation) {
        const ConvWeights w(rnd, c.cin, c.cout, c.k, c.dilation, c.act);
        const Conv1d layer = w.layer();
        const Stream x = rnd.stream(40, c.cin);
        Streamer<Conv1d> s(layer);
        expect_close(s.run(x), conv_reference(w, to_double(x)));
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(stacked_conv1d_streams_event_by_event) {
  testing::for_each_isa([&](Isa) {
    Random rnd(2);
    const ConvWeights w1(rnd, 4, 6, 3, 1, rnl::Activation::kRelu);
    const ConvWeights w2(rnd, 6, 5, 3, 2, rnl::Activation::kTanh);
    const ConvWeights w3(rnd, 5, 3, 2, 4, rnl::Activation::kNone);
    const Conv1d l1 = w1.layer(), l2 = w2.layer(), l3 = w3.layer();
    Streamer<Conv1d> s1(l1), s2(l2), s3(l3);
    const Stream x = rnd.stream(50, 4);
    Stream got;
    for (const Vec& e : x) {  // interleaved, as the engine runs a graph
      const Vec h1 = s1.step(e);
      const Vec h2 = s2.step(h1);
      got.push_back(s3.step(h2));
    }
    const StreamD want = conv_reference(w3, conv_reference(w2, conv_reference(w1, to_double(x))));
    expect_close(got, want);
  });
}

BOOST_AUTO_TEST_CASE(int8_conv1d_matches_dequantised_reference) {
  testing::for_each_isa([&](Isa) {
    Random rnd(11);
    for (auto act : {rnl::Activation::kRelu, rnl::Activation::kGeluTanh}) {
      ConvWeights w(rnd, 6, 7, 3, 2, act);
      const Int8Matrix q(w.w, w.cout);  // rows: output channels, [Cin, K] each
      const Conv1d layer = Conv1d::make(q.view(), w.b.data(), w.cin, w.cout, w.k, w.dilation, w.act);
      const Stream x = rnd.stream(40, w.cin);
      Streamer<Conv1d> s(layer);
      expect_close(s.run(x), conv_reference(w, to_double(x)), kInt8Tolerance);
    }
  });
}

// ---------------------------------------------------------------------------------------
// GRU, LSTM

struct CellWeights {
  Vec w_ih, w_hh, b_ih, b_hh;
  int in, hidden;
  CellWeights(Random& rnd, int gates, int in, int hidden)
      : w_ih(rnd.vec(static_cast<size_t>(gates) * hidden * in)), w_hh(rnd.vec(static_cast<size_t>(gates) * hidden * hidden)),
        b_ih(rnd.vec(gates * hidden)), b_hh(rnd.vec(gates * hidden)), in(in), hidden(hidden) {}
};

StreamD gru_reference(const CellWeights& c, const Stream& x) {
  const int H = c.hidden;
  VecD h(H, 0.0);
  StreamD y;
  for (const Vec& e : x) {
    const VecD gi = affine(c.w_ih, c.b_ih, to_double(e), 3 * H);
    const VecD gh = affine(c.w_hh, c.b_hh, h, 3 * H);
    VecD next(H);
    for (int j = 0; j < H; ++j) {
      const double r = sigmoid(gi[j] + gh[j]);
      const double z = sigmoid(gi[H + j] + gh[H + j]);
      const double n = std::tanh(gi[2 * H + j] + r * gh[2 * H + j]);
      next[j] = (1 - z) * n + z * h[j];
    }
    h = next;
    y.push_back(h);
  }
  return y;
}

StreamD lstm_reference(const CellWeights& w, const Stream& x) {
  const int H = w.hidden;
  VecD h(H, 0.0), c(H, 0.0);
  StreamD y;
  for (const Vec& e : x) {
    const VecD gi = affine(w.w_ih, w.b_ih, to_double(e), 4 * H);
    const VecD gh = affine(w.w_hh, w.b_hh, h, 4 * H);
    for (int j = 0; j < H; ++j) {
      const double i = sigmoid(gi[j] + gh[j]);
      const double f = sigmoid(gi[H + j] + gh[H + j]);
      const double g = std::tanh(gi[2 * H + j] + gh[2 * H + j]);
      const double o = sigmoid(gi[3 * H + j] + gh[3 * H + j]);
      c[j] = f * c[j] + i * g;
      h[j] = o * std::tanh(c[j]);
    }
    y.push_back(h);
  }
  return y;
}

// Every test of this file but the last two runs once per instruction set this CPU runs
// (kernels/isa.h, tests/for_each_isa.h): the baseline kernels always, the AVX-512 kernels
// and register-tiled AVX-512 cells where the CPU has AVX-512. Cells are made with the
// default Isa, so the test also checks that make() follows the process's level.
// The sizes cover the remainder paths (5, 3, 33, 24, 40), and every whole-batch shape
// 16..64 x 16..64 that has a tiled kernel in at least one corner.
const std::pair<int, int> kCellSizes[] = {{5, 7},   {16, 16}, {3, 33},  {64, 64}, {24, 40},
                                           {32, 48}, {48, 16}, {16, 64}, {64, 32}, {80, 64}};

// Which path make() must have chosen: the tiled kernel for whole 16-float batches up to
// 4 batches each (cell_tiles.h), the baseline path otherwise.
Isa expected_isa(Isa requested, int in, int hidden) {
  const bool tiled = in % 16 == 0 && hidden % 16 == 0 && in <= 64 && hidden <= 64;
  return requested != Isa::kBaseline && tiled ? Isa::kAvx512 : Isa::kBaseline;  // VNNI: the same tiles
}

template <class Cell, class Reference>
void expect_cell_matches(unsigned seed, int gates, Reference reference) {
  Random rnd(seed);
  testing::for_each_isa([&](Isa isa) {
    for (auto [in, hidden] : kCellSizes) {
      BOOST_TEST_CONTEXT("I " << in << " H " << hidden) {
        const CellWeights w(rnd, gates, in, hidden);
        const Cell layer = Cell::make(w.w_ih.data(), w.w_hh.data(), w.b_ih.data(), w.b_hh.data(), in, hidden);
        BOOST_TEST((layer.isa() == expected_isa(isa, in, hidden)));
        const Stream x = rnd.stream(40, in);
        Streamer<Cell> s(layer);
        expect_close(s.run(x), reference(w, x));
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(gru_matches_pytorch_equations) { expect_cell_matches<Gru>(3, 3, gru_reference); }

BOOST_AUTO_TEST_CASE(lstm_matches_pytorch_equations) { expect_cell_matches<Lstm>(4, 4, lstm_reference); }

// Int8 cells run kernels::matvec_q8 of the process's instruction set (never the f32 tiles).
template <class Cell, class Reference>
void expect_int8_cell_matches(unsigned seed, int gates, Reference reference) {
  Random rnd(seed);
  testing::for_each_isa([&](Isa) {
    for (auto [in, hidden] : kCellSizes) {
      BOOST_TEST_CONTEXT("I " << in << " H " << hidden) {
        CellWeights w(rnd, gates, in, hidden);
        const Int8Matrix w_ih(w.w_ih, gates * hidden), w_hh(w.w_hh, gates * hidden);
        const Cell layer = Cell::make(w_ih.view(), w_hh.view(), w.b_ih.data(), w.b_hh.data(), in, hidden);
        BOOST_TEST((layer.isa() == Isa::kBaseline));
        const Stream x = rnd.stream(40, in);
        Streamer<Cell> s(layer);
        expect_close(s.run(x), reference(w, x), kInt8Tolerance);
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(int8_gru_matches_dequantised_reference) { expect_int8_cell_matches<Gru>(12, 3, gru_reference); }

BOOST_AUTO_TEST_CASE(int8_lstm_matches_dequantised_reference) { expect_int8_cell_matches<Lstm>(13, 4, lstm_reference); }

// ---------------------------------------------------------------------------------------
// attention

struct MhaData {
  Vec wq, bq, wk, bk, wv, bv, wo, bo;
  int d, heads;
  MhaData(Random& rnd, int d, int heads)
      : wq(rnd.vec(d * d)), bq(rnd.vec(d)), wk(rnd.vec(d * d)), bk(rnd.vec(d)), wv(rnd.vec(d * d)),
        bv(rnd.vec(d)), wo(rnd.vec(d * d)), bo(rnd.vec(d)), d(d), heads(heads) {}
  MhaWeights view() const {
    MhaWeights m;
    m.wq = wq.data(); m.bq = bq.data(); m.wk = wk.data(); m.bk = bk.data();
    m.wv = wv.data(); m.bv = bv.data(); m.wo = wo.data(); m.bo = bo.data();
    m.d = d;
    m.heads = heads;
    return m;
  }
};

// The four projections of an MhaData quantised (its f32 matrices become the dequantised ones).
struct Int8Mha {
  Int8Matrix wq, wk, wv, wo;
  explicit Int8Mha(MhaData& m) : wq(m.wq, m.d), wk(m.wk, m.d), wv(m.wv, m.d), wo(m.wo, m.d) {}
  MhaWeights view(const MhaData& m) const {
    MhaWeights v = m.view();
    v.wq = wq.view(); v.wk = wk.view(); v.wv = wv.view(); v.wo = wo.view();
    return v;
  }
};

// softmax_j(q_h·k_h(j)/sqrt(dh) + bias(h, j)) v_h(j), concatenated over heads, then Wo, bo.
template <class Bias>
VecD mha_reference(const MhaData& m, const VecD& q, const StreamD& keys, const StreamD& values, Bias bias) {
  const int dh = m.d / m.heads;
  VecD concat(m.d, 0.0);
  for (int h = 0; h < m.heads; ++h) {
    VecD scores;
    for (size_t j = 0; j < keys.size(); ++j) {
      double s = 0;
      for (int c = h * dh; c < (h + 1) * dh; ++c) s += q[c] * keys[j][c];
      scores.push_back(s / std::sqrt(static_cast<double>(dh)) + bias(h, j));
    }
    const double top = *std::max_element(scores.begin(), scores.end());
    double sum = 0;
    for (double& s : scores) sum += (s = std::exp(s - top));
    for (size_t j = 0; j < keys.size(); ++j)
      for (int c = h * dh; c < (h + 1) * dh; ++c) concat[c] += scores[j] / sum * values[j][c];
  }
  return affine(m.wo, m.bo, concat, m.d);
}

StreamD self_attention_reference(const MhaData& m, int window, rnl::PositionBias kind, const Vec& relative,
                                 const Stream& x) {
  StreamD q, k, v, y;
  for (const Vec& e : x) {
    q.push_back(affine(m.wq, m.bq, to_double(e), m.d));
    k.push_back(affine(m.wk, m.bk, to_double(e), m.d));
    v.push_back(affine(m.wv, m.bv, to_double(e), m.d));
  }
  for (int t = 0; t < static_cast<int>(x.size()); ++t) {
    const int first = std::max(0, t - window + 1);  // keys j with t-W < j <= t
    const StreamD keys(k.begin() + first, k.begin() + t + 1), values(v.begin() + first, v.begin() + t + 1);
    auto bias = [&](int h, size_t idx) -> double {
      const int offset = t - (first + static_cast<int>(idx));
      switch (kind) {
        case rnl::PositionBias::kNone: return 0.0;
        case rnl::PositionBias::kRelative: return relative[static_cast<size_t>(h) * window + offset];
        case rnl::PositionBias::kAlibi: return -std::pow(2.0, -8.0 * (h + 1) / m.heads) * offset;
      }
      return 0.0;
    };
    y.push_back(mha_reference(m, q[t], keys, values, bias));
  }
  return y;
}

const char* bias_name(rnl::PositionBias b) {
  return b == rnl::PositionBias::kNone ? "none" : b == rnl::PositionBias::kRelative ? "relative" : "alibi";
}

BOOST_AUTO_TEST_CASE(self_attention_matches_windowed_full_sequence) {
  testing::for_each_isa([&](Isa) {
    struct Case { int d, heads, window, events; };
    // Streams longer than W exercise the ring's wrap-around (W = 4, 29 events and others).
    // The larger cases reach every SIMD path of attention_core.h: key blocks of 8 batches
    // and single batches plus a scalar tail (W = 75), value rows of 8, 4 and 1 batches
    // (d = 64, 32, 16) and the scalar path for heads narrower than a batch (d_h = 4).
    const Case cases[] = {{8, 1, 4, 29},  {8, 2, 4, 29},   {8, 4, 4, 29},    {16, 4, 16, 50},
                          {12, 3, 1, 10}, {8, 2, 7, 30},   {16, 2, 64, 40},  {64, 4, 75, 160},
                          {64, 8, 64, 90}, {32, 2, 20, 45}, {40, 5, 9, 30}};
    const rnl::PositionBias kinds[] = {rnl::PositionBias::kNone, rnl::PositionBias::kRelative, rnl::PositionBias::kAlibi};
    Random rnd(5);
    for (const Case& c : cases)
      for (rnl::PositionBias kind : kinds) {
        BOOST_TEST_CONTEXT("d " << c.d << " heads " << c.heads << " W " << c.window << " bias " << bias_name(kind)) {
          const MhaData m(rnd, c.d, c.heads);
          const Vec relative = rnd.vec(static_cast<size_t>(c.heads) * c.window, 1.f);
          const SelfAttention layer = SelfAttention::make(m.view(), c.window, kind,
                                                          kind == rnl::PositionBias::kRelative ? relative.data() : nullptr);
          const Stream x = rnd.stream(c.events, c.d);
          Streamer<SelfAttention> s(layer);
          expect_close(s.run(x), self_attention_reference(m, c.window, kind, relative, x));
        }
      }
  });
}

BOOST_AUTO_TEST_CASE(int8_self_attention_matches_dequantised_reference) {
  testing::for_each_isa([&](Isa) {
    Random rnd(14);
    struct Case { int d, heads, window, events; };
    for (const Case c : {Case{64, 4, 75, 160}, Case{16, 2, 8, 30}})
      for (rnl::PositionBias kind : {rnl::PositionBias::kNone, rnl::PositionBias::kRelative}) {
        BOOST_TEST_CONTEXT("d " << c.d << " W " << c.window << " bias " << bias_name(kind)) {
          MhaData m(rnd, c.d, c.heads);
          const Int8Mha q(m);
          const Vec relative = rnd.vec(static_cast<size_t>(c.heads) * c.window, 1.f);
          const SelfAttention layer = SelfAttention::make(q.view(m), c.window, kind, relative.data());
          const Stream x = rnd.stream(c.events, c.d);
          Streamer<SelfAttention> s(layer);
          expect_close(s.run(x), self_attention_reference(m, c.window, kind, relative, x), kInt8Tolerance);
        }
      }
  });
}

struct CrossData {
  MhaData m;
  Vec query, gamma, beta;
  float eps = 1e-5f;
  CrossData(Random& rnd, int d, int heads)
      : m(rnd, d, heads), query(rnd.vec(d, 1.f)), gamma(rnd.vec(d, 1.f)), beta(rnd.vec(d)) {}
};

VecD cross_attention_reference(const CrossData& c, const std::vector<Vec>& streams) {
  const VecD q = to_double(c.query);
  StreamD keys, values;
  for (const Vec& s : streams) {
    keys.push_back(affine(c.m.wk, c.m.bk, to_double(s), c.m.d));
    values.push_back(affine(c.m.wv, c.m.bv, to_double(s), c.m.d));
  }
  const VecD attended = mha_reference(c.m, affine(c.m.wq, c.m.bq, q, c.m.d), keys, values,
                                      [](int, size_t) { return 0.0; });
  VecD residual(q.size());
  for (size_t i = 0; i < q.size(); ++i) residual[i] = q[i] + attended[i];
  return layer_norm(residual, c.gamma, c.beta, c.eps);
}

BOOST_AUTO_TEST_CASE(cross_attention_matches_reference) {
  testing::for_each_isa([&](Isa) {
    Random rnd(6);
    for (int streams : {1, 2, 4, 8})
      for (int heads : {1, 4}) {
        BOOST_TEST_CONTEXT(streams << " streams, " << heads << " heads") {
          const int d = 64;
          const CrossData c(rnd, d, heads);
          const CrossAttention layer =
              CrossAttention::make(c.m.view(), c.query.data(), c.gamma.data(), c.beta.data(), c.eps, streams);
          Streamer<CrossAttention> s(layer);
          Stream got;
          StreamD want;
          for (int t = 0; t < 12; ++t) {
            std::vector<Vec> inputs;
            std::vector<const float*> pointers;
            for (int k = 0; k < streams; ++k) inputs.push_back(rnd.vec(d, 1.f));
            for (const Vec& v : inputs) pointers.push_back(v.data());
            got.push_back(s.step(pointers));
            want.push_back(cross_attention_reference(c, inputs));
          }
          expect_close(got, want);
        }
      }
  });
}

BOOST_AUTO_TEST_CASE(int8_cross_attention_matches_dequantised_reference) {
  testing::for_each_isa([&](Isa) {
    Random rnd(15);
    CrossData c(rnd, 64, 4);
    const Int8Mha q(c.m);
    const CrossAttention layer = CrossAttention::make(q.view(c.m), c.query.data(), c.gamma.data(), c.beta.data(), c.eps, 4);
    Streamer<CrossAttention> s(layer);
    Stream got;
    StreamD want;
    for (int t = 0; t < 12; ++t) {
      std::vector<Vec> inputs;
      std::vector<const float*> pointers;
      for (int k = 0; k < 4; ++k) inputs.push_back(rnd.vec(64, 1.f));
      for (const Vec& v : inputs) pointers.push_back(v.data());
      got.push_back(s.step(pointers));
      want.push_back(cross_attention_reference(c, inputs));
    }
    expect_close(got, want, kInt8Tolerance);
  });
}

// ---------------------------------------------------------------------------------------
// reset(): a re-streamed sequence gives bit-identical outputs

template <class Layer>
void expect_reset_restarts(const Layer& layer, const Stream& x) {
  Streamer<Layer> s(layer);
  const Stream first = s.run(x);
  s.reset();
  const Stream second = s.run(x);
  BOOST_TEST((first == second));
}

BOOST_AUTO_TEST_CASE(reset_then_restream_is_identical) {
  Random rnd(7);
  const ConvWeights cw(rnd, 4, 5, 3, 2, rnl::Activation::kRelu);
  expect_reset_restarts(cw.layer(), rnd.stream(23, 4));
  const CellWeights gw(rnd, 3, 6, 8);
  expect_reset_restarts(Gru::make(gw.w_ih.data(), gw.w_hh.data(), gw.b_ih.data(), gw.b_hh.data(), 6, 8), rnd.stream(23, 6));
  const CellWeights lw(rnd, 4, 6, 8);
  expect_reset_restarts(Lstm::make(lw.w_ih.data(), lw.w_hh.data(), lw.b_ih.data(), lw.b_hh.data(), 6, 8), rnd.stream(23, 6));
  const MhaData m(rnd, 8, 2);
  const Vec relative = rnd.vec(2 * 5);
  expect_reset_restarts(SelfAttention::make(m.view(), 5, rnl::PositionBias::kRelative, relative.data()), rnd.stream(23, 8));
}

// ---------------------------------------------------------------------------------------
// argument errors come back as a status

BOOST_AUTO_TEST_CASE(missing_inputs_are_bad_arguments) {
  Random rnd(8);
  const MhaData m(rnd, 8, 2);
  const SelfAttention attention = SelfAttention::make(m.view(), 4, rnl::PositionBias::kNone);
  const CrossData c(rnd, 8, 2);
  const CrossAttention cross = CrossAttention::make(c.m.view(), c.query.data(), c.gamma.data(), c.beta.data(), c.eps, 3);
  Vec state(attention.state_floats()), scratch(std::max(attention.scratch_floats(), cross.scratch_floats())), out(8);
  attention.reset(state.data());
  StepArgs none;
  BOOST_TEST(status_name(attention.step(none, state.data(), scratch.data(), out.data())) ==
             status_name(Status::kBadArgument));
  const Vec x(8, 0.f);
  const float* two[] = {x.data(), x.data()};
  StepArgs too_few;
  too_few.in = two;
  too_few.n_in = 2;
  BOOST_TEST(status_name(cross.step(too_few, nullptr, scratch.data(), out.data())) ==
             status_name(Status::kBadArgument));
  BOOST_TEST(!SelfAttention::make(m.view(), 4, rnl::PositionBias::kRelative, nullptr).valid());
  MhaWeights uneven = m.view();
  uneven.heads = 3;  // 8 is not a multiple of 3
  BOOST_TEST(!uneven.valid());
}

}  // namespace
}  // namespace runnel
