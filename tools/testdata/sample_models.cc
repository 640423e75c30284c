#include "tools/testdata/sample_models.h"

#include <cstdint>
#include <random>

#include "engine/format/rnl_reader.h"

namespace runnel {
namespace testdata {
namespace {

using rnl::Op;

// The writer plus deterministic weights: mt19937 is specified bit for bit by the
// standard, and the float mapping below is ours (the std distributions are not).
class Builder {
 public:
  explicit Builder(uint32_t seed) : rng_(seed) {}

  uint32_t random(const std::string& name, const std::vector<uint32_t>& shape) {
    std::vector<float> data(elements(shape));
    for (float& x : data) x = static_cast<float>(rng_() >> 8) * (1.0f / 16777216.0f) - 0.5f;
    return writer.add_tensor(name, shape, data);
  }
  uint32_t filled(const std::string& name, uint32_t d, float value) {
    return writer.add_tensor(name, {d}, std::vector<float>(d, value));
  }
  // tensor0 = Wq, bq, Wk, bk, Wv, bv, Wo, bo over width d.
  std::vector<uint32_t> attention_projections(const std::string& prefix, uint32_t d) {
    std::vector<uint32_t> t;
    for (const char* p : {"q", "k", "v", "o"}) {
      t.push_back(random(prefix + ".w" + p, {d, d}));
      t.push_back(random(prefix + ".b" + p, {d}));
    }
    return t;
  }
  uint32_t dense(const std::string& name, uint32_t in_record, uint32_t in, uint32_t out,
                 rnl::Activation act) {
    const uint32_t w = random(name + ".w", {out, in});
    const uint32_t b = random(name + ".b", {out});
    return writer.add_record(Op::kDense, {in_record}, {static_cast<int32_t>(act)}, {w, b});
  }
  uint32_t layer_norm(const std::string& name, uint32_t in_record, uint32_t d) {
    const uint32_t gamma = filled(name + ".gamma", d, 1.0f);
    const uint32_t beta = filled(name + ".beta", d, 0.0f);
    return writer.add_record(Op::kLayerNorm, {in_record}, {rnl::float_to_hp(1e-5f)}, {gamma, beta});
  }
  uint32_t categorical_head(const std::string& name, uint32_t in_record, uint32_t field) {
    const uint32_t r = writer.add_record(
        Op::kOutput, {in_record},
        {static_cast<int32_t>(rnl::OutputKind::kCategorical), static_cast<int32_t>(field), -1}, {});
    writer.name_output(r, name);
    return r;
  }
  // y = scale * x + shift: the target's train std and mean.
  uint32_t regression_head(const std::string& name, uint32_t in_record, int32_t numeric_target, float scale,
                           float shift) {
    const uint32_t r = writer.add_record(Op::kOutput, {in_record},
                                         {static_cast<int32_t>(rnl::OutputKind::kRegression), -1, numeric_target,
                                          rnl::float_to_hp(scale), rnl::float_to_hp(shift)},
                                         {});
    writer.name_output(r, name);
    return r;
  }

  rnl::RnlWriter writer;

 private:
  static size_t elements(const std::vector<uint32_t>& shape) {
    size_t n = 1;
    for (uint32_t d : shape) n *= d;
    return n;
  }
  std::mt19937 rng_;
};

// kEmbed's hp: n_fields, the field indices in hp1..hp8, d in hp9.
std::vector<int32_t> embed_hp(const std::vector<int32_t>& fields, int32_t d) {
  std::vector<int32_t> hp(rnl::kRecordParams, 0);
  hp[0] = static_cast<int32_t>(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) hp[1 + i] = fields[i];
  hp[9] = d;
  return hp;
}

}  // namespace

rnl::RnlWriter single_stream_model() {
  Builder b(1234);
  constexpr uint32_t d = 8;
  const uint32_t event_type = b.writer.add_vocab("EventType", {"login", "logout", "upload", "download", "print"});
  const uint32_t location = b.writer.add_vocab("Location", {"office", "home", "remote"});
  // One numeric column, log1p then standardised, with a missing indicator: 2 values.
  b.writer.set_n_numeric(2);
  b.writer.add_name_column(rnl::ColumnRole::kEntity, "user");
  b.writer.add_name_column(rnl::ColumnRole::kTime, "time");
  b.writer.add_value_column(rnl::ColumnRole::kNumeric, "amount", rnl::Transform::kLog1p, true, 1.5f, 0.75f);
  const uint32_t embed = b.writer.add_record(
      Op::kEmbed, {}, embed_hp({0, 1}, d),
      {b.random("embed.event_type", {6, d}), b.random("embed.location", {4, d})});
  const uint32_t numeric = b.writer.add_record(
      Op::kNumeric, {}, {0, 2, d}, {b.random("numeric.w", {d, 2}), b.random("numeric.b", {d})});
  const uint32_t sum = b.writer.add_record(Op::kAdd, {embed, numeric}, {}, {});
  const uint32_t time = b.writer.add_record(Op::kTimeEmbed, {}, {16, d}, {b.random("time.table", {16, d})});
  const uint32_t event = b.writer.add_record(Op::kAdd, {sum, time}, {}, {});
  const uint32_t positioned = b.writer.add_record(Op::kPosSinusoidal, {event}, {}, {});
  const uint32_t normed = b.layer_norm("norm", positioned, d);
  const uint32_t pooled =
      b.writer.add_record(Op::kAttentionPool, {normed}, {}, {b.random("pool.q", {d})});
  const uint32_t hidden = b.dense("hidden", pooled, d, 16, rnl::Activation::kRelu);
  b.categorical_head("event_type", b.dense("head.event_type", hidden, 16, 6, rnl::Activation::kNone), event_type);
  b.regression_head("amount", b.dense("head.amount", hidden, 16, 1, rnl::Activation::kNone), 0, 0.75f, 1.5f);
  (void)location;
  return b.writer;
}

rnl::RnlWriter two_stream_model() {
  Builder b(5678);
  constexpr uint32_t d = 8, heads = 2, window = 16, hidden_size = 6;
  b.writer.add_vocab("EventType", {"hire", "move", "leave"});
  b.writer.add_vocab("Location", {"north", "south"});
  b.writer.add_vocab("CostCode", {"c100", "c200", "c300", "c400"});
  b.writer.add_vocab("JobCode", {"eng", "ops"});
  b.writer.set_n_static(3);
  b.writer.add_name_column(rnl::ColumnRole::kEntity, "entity");
  b.writer.add_name_column(rnl::ColumnRole::kTime, "time");
  for (const char* column : {"tenure", "grade", "remote"})
    b.writer.add_value_column(rnl::ColumnRole::kStatic, column, rnl::Transform::kNone, false, 0.0f, 1.0f);
  // Stream 0: event types through a transformer-style block, averaged.
  const uint32_t e0 = b.writer.add_record(Op::kEmbed, {}, embed_hp({0}, d), {b.random("s0.embed", {4, d})});
  const uint32_t p0 = b.writer.add_record(Op::kPosLearned, {e0}, {}, {b.random("s0.pos", {32, d})});
  std::vector<uint32_t> attn = b.attention_projections("s0.attn", d);
  attn.push_back(b.random("s0.attn.rel_bias", {heads, window}));
  const uint32_t a0 = b.writer.add_record(
      Op::kSelfAttention, {p0},
      {heads, window, static_cast<int32_t>(rnl::PositionBias::kRelative)}, attn);
  const uint32_t r0 = b.writer.add_record(Op::kAdd, {p0, a0}, {}, {});
  const uint32_t h0 = b.writer.add_record(Op::kCumulative, {r0}, {static_cast<int32_t>(rnl::Reduce::kMean)}, {});
  // Stream 1: location and cost code through a GRU.
  const uint32_t e1 = b.writer.add_record(Op::kEmbed, {}, embed_hp({1, 2}, d),
                                          {b.random("s1.embed.location", {3, d}),
                                           b.random("s1.embed.cost_code", {5, d})});
  const uint32_t h1 = b.writer.add_record(
      Op::kGru, {e1}, {},
      {b.random("s1.gru.w_ih", {3 * hidden_size, d}), b.random("s1.gru.w_hh", {3 * hidden_size, hidden_size}),
       b.random("s1.gru.b_ih", {3 * hidden_size}), b.random("s1.gru.b_hh", {3 * hidden_size})});
  const uint32_t statics = b.writer.add_record(Op::kStaticInput, {}, {0, 3}, {});
  const uint32_t fused = b.writer.add_record(Op::kConcat, {h0, h1, statics}, {}, {});
  const uint32_t z = b.dense("fusion", fused, d + hidden_size + 3, 12, rnl::Activation::kGeluTanh);
  const uint32_t vocab_sizes[] = {4, 3, 5, 3};
  const char* heads_names[] = {"event_type", "location", "cost_code", "job_code"};
  for (uint32_t f = 0; f < 3; ++f)
    b.categorical_head(heads_names[f],
                       b.dense(std::string("head.") + heads_names[f], z, 12, vocab_sizes[f], rnl::Activation::kNone), f);
  // job_code (no stream reads it) through a copy head over its last 4 values, key width 4.
  constexpr uint32_t copy_window = 4, key_dim = 4;
  const uint32_t job_logits = b.dense("head.job_code", z, 12, vocab_sizes[3], rnl::Activation::kNone);
  const uint32_t job_copy = b.writer.add_record(
      Op::kCopyHead, {z, job_logits}, {3, copy_window},
      {b.random("head.job_code.copy.wq", {key_dim, 12}), b.random("head.job_code.copy.bq", {key_dim}),
       b.random("head.job_code.copy.keys", {vocab_sizes[3], key_dim}),
       b.random("head.job_code.copy.bias", {copy_window}), b.random("head.job_code.copy.wg", {1, 12}),
       b.random("head.job_code.copy.bg", {1})});
  b.categorical_head(heads_names[3], job_copy, 3);
  return b.writer;
}

rnl::RnlWriter all_encoders_model() {
  Builder b(9012);
  constexpr uint32_t d = 8;
  b.writer.add_vocab("Symbol", {"a", "b", "c", "d", "e", "f", "g"});
  const uint32_t e = b.writer.add_record(Op::kEmbed, {}, embed_hp({0}, d), {b.random("embed", {8, d})});
  const uint32_t conv = b.writer.add_record(
      Op::kConv1d, {e}, {3, 2, static_cast<int32_t>(rnl::Activation::kRelu)},
      {b.random("conv.w", {d, d, 3}), b.random("conv.b", {d})});
  const uint32_t lstm = b.writer.add_record(
      Op::kLstm, {conv}, {},
      {b.random("lstm.w_ih", {4 * d, d}), b.random("lstm.w_hh", {4 * d, d}), b.random("lstm.b_ih", {4 * d}),
       b.random("lstm.b_hh", {4 * d})});
  const uint32_t linear = b.writer.add_record(Op::kLinearDecay, {lstm}, {4}, {});
  const uint32_t exp = b.writer.add_record(Op::kExpDecay, {lstm}, {rnl::float_to_hp(0.9f)}, {});
  const uint32_t learned = b.writer.add_record(Op::kLearnedPosWeights, {lstm}, {4}, {b.random("posw", {4})});
  std::vector<uint32_t> cross{b.random("fusion.query", {d})};
  for (uint32_t t : b.attention_projections("fusion.attn", d)) cross.push_back(t);
  cross.push_back(b.filled("fusion.gamma", d, 1.0f));
  cross.push_back(b.filled("fusion.beta", d, 0.0f));
  const uint32_t fused = b.writer.add_record(Op::kCrossAttention, {linear, exp, learned},
                                             {2, rnl::float_to_hp(1e-5f)}, cross);
  const uint32_t act = b.writer.add_record(Op::kActivation, {fused}, {static_cast<int32_t>(rnl::Activation::kTanh)}, {});
  const uint32_t unit = b.writer.add_record(Op::kL2Normalize, {act}, {rnl::float_to_hp(1e-6f)}, {});
  const uint32_t running = b.writer.add_record(Op::kCumulative, {unit}, {static_cast<int32_t>(rnl::Reduce::kMax)}, {});
  b.regression_head("score", b.dense("head.score", running, d, 1, rnl::Activation::kNone), -1, 1.0f, 0.0f);
  return b.writer;
}

std::vector<SampleModel> sample_models() {
  return {{"single_stream", single_stream_model()},
          {"two_stream", two_stream_model()},
          {"all_encoders", all_encoders_model()}};
}

}  // namespace testdata
}  // namespace runnel
