#include "engine/format/op_rules.h"

#include <cmath>
#include <cstring>
#include <initializer_list>

namespace runnel {
namespace rnl {
namespace {

// Checks one record. Failures are sticky: the first one is kept and every later check is
// a no-op, so the per-op functions below read as plain lists of requirements.
class RecordCheck {
 public:
  RecordCheck(const GraphContext& graph, const RnlRecord& record)
      : graph_(graph), record_(record) {}

  Status status() const { return status_; }
  uint32_t width() const { return width_; }
  bool failed() const { return status_ != Status::kOk; }

  bool require(bool ok, Status failure) {
    if (!ok && status_ == Status::kOk) status_ = failure;
    return ok && status_ == Status::kOk;
  }

  uint32_t n_inputs() const { return record_.n_inputs; }
  uint32_t in_width(uint32_t k) const { return graph_.widths[record_.in[k]]; }
  uint32_t n_vocabs() const { return graph_.header->n_vocabs; }
  uint32_t n_numeric() const { return graph_.header->n_numeric; }
  uint32_t n_static() const { return graph_.header->n_static; }
  uint32_t vocab_size(uint32_t field) const { return graph_.vocabs[field].size; }
  VocabKind vocab_kind(uint32_t field) const { return static_cast<VocabKind>(graph_.vocabs[field].kind); }

  // hp[k] in [lo, hi]; marks hp[k] as used (unused ones must be 0).
  int32_t hp(uint32_t k, int64_t lo, int64_t hi) {
    used_hp_ |= 1u << k;
    const int32_t value = record_.hp[k];
    require(value >= lo && value <= hi, Status::kBadHyperParameter);
    return value;
  }

  // hp[k] as the bits of a finite float in [lo, hi] (or [lo, hi) when !hi_inclusive).
  float hp_float(uint32_t k, float lo, float hi, bool lo_inclusive, bool hi_inclusive) {
    used_hp_ |= 1u << k;
    float value;
    std::memcpy(&value, &record_.hp[k], sizeof value);
    const bool above = lo_inclusive ? value >= lo : value > lo;
    const bool below = hi_inclusive ? value <= hi : value < hi;
    require(std::isfinite(value) && above && below, Status::kBadHyperParameter);
    return value;
  }

  // Dimension `axis` of the tensor in slot `slot` (for ops whose width comes from a
  // weight's shape); the full shape is then checked by expect_shape().
  uint32_t dim(uint32_t slot, uint32_t axis) {
    const RnlTensor* t = claim(slot);
    return t == nullptr ? 0 : t->shape[axis];
  }

  // The tensor in slot `slot` must exist and have exactly `dims` as its shape.
  void expect_shape(uint32_t slot, std::initializer_list<uint64_t> dims) {
    const RnlTensor* t = claim(slot);
    if (t == nullptr) return;
    bool same = t->rank == dims.size();
    uint32_t axis = 0;
    for (uint64_t d : dims) same = same && axis < kMaxRank && t->shape[axis++] == d;
    require(same, Status::kShapeMismatch);
  }

  void set_width(uint64_t width) {
    if (require(width >= 1 && width <= kMaxDim, Status::kLimitExceeded))
      width_ = static_cast<uint32_t>(width);
  }

  // After the op's rule: hyper-parameters and tensor slots it did not use must be empty.
  void require_unused_slots_empty() {
    for (uint32_t k = 0; k < kRecordParams; ++k)
      if ((used_hp_ & (1u << k)) == 0) require(record_.hp[k] == 0, Status::kBadHyperParameter);
    for (uint32_t s = 0; s < kRecordTensors; ++s)
      if ((claimed_tensors_ & (1u << s)) == 0) require(record_.tensor[s] == kNoRef, Status::kBadGraph);
  }

 private:
  const RnlTensor* claim(uint32_t slot) {
    claimed_tensors_ |= 1u << slot;
    const uint32_t index = record_.tensor[slot];
    // Indices were range-checked by check_record(); kNoRef here means a missing tensor.
    if (!require(index != kNoRef, Status::kBadGraph)) return nullptr;
    return &graph_.tensors[index];
  }

  const GraphContext& graph_;
  const RnlRecord& record_;
  Status status_ = Status::kOk;
  uint32_t width_ = 0;
  uint32_t used_hp_ = 0;
  uint32_t claimed_tensors_ = 0;
};

constexpr int64_t kMaxActivation = static_cast<int64_t>(Activation::kSigmoid);
constexpr int64_t kMaxReduce = static_cast<int64_t>(Reduce::kSum);
constexpr int64_t kMaxPositionBias = static_cast<int64_t>(PositionBias::kAlibi);
constexpr int64_t kMaxOutputKind = static_cast<int64_t>(OutputKind::kRegression);
// dt in seconds is bucketed by the bit width of a 64-bit integer: 65 buckets reach all.
constexpr int64_t kMaxTimeBuckets = 65;

// --- event inputs ------------------------------------------------------------------------

void check_embed(RecordCheck& c) {
  const int32_t n_fields = c.hp(0, 1, kMaxEmbedFields);
  const int32_t d = c.hp(9, 1, kMaxDim);
  if (c.failed()) return;
  for (int32_t i = 0; i < n_fields; ++i) {
    const int32_t field = c.hp(1 + i, 0, static_cast<int64_t>(c.n_vocabs()) - 1);
    if (c.failed()) return;
    // Only event fields are in an event; class-label vocabularies name outputs.
    if (!c.require(c.vocab_kind(field) == VocabKind::kEventField, Status::kBadHyperParameter)) return;
    c.expect_shape(i, {c.vocab_size(field), static_cast<uint64_t>(d)});
  }
  c.set_width(d);
}

void check_numeric(RecordCheck& c) {
  const int32_t first = c.hp(0, 0, c.n_numeric());
  const int32_t count = c.hp(1, 1, static_cast<int64_t>(c.n_numeric()) - first);
  const int32_t d = c.hp(2, 1, kMaxDim);
  if (c.failed()) return;
  c.expect_shape(0, {static_cast<uint64_t>(d), static_cast<uint64_t>(count)});
  c.expect_shape(1, {static_cast<uint64_t>(d)});
  c.set_width(d);
}

void check_time_embed(RecordCheck& c) {
  const int32_t buckets = c.hp(0, 1, kMaxTimeBuckets);
  const int32_t d = c.hp(1, 1, kMaxDim);
  if (c.failed()) return;
  c.expect_shape(0, {static_cast<uint64_t>(buckets), static_cast<uint64_t>(d)});
  c.set_width(d);
}

void check_static_input(RecordCheck& c) {
  const int32_t first = c.hp(0, 0, c.n_static());
  const int32_t count = c.hp(1, 1, static_cast<int64_t>(c.n_static()) - first);
  if (!c.failed()) c.set_width(count);
}

// --- element-wise and plumbing -------------------------------------------------------------

void check_add(RecordCheck& c) {
  c.require(c.in_width(0) == c.in_width(1), Status::kShapeMismatch);
  c.set_width(c.in_width(0));
}

void check_concat(RecordCheck& c) {
  uint64_t sum = 0;
  for (uint32_t k = 0; k < c.n_inputs(); ++k) sum += c.in_width(k);
  c.set_width(sum);
}

void check_dense(RecordCheck& c) {
  c.hp(0, 0, kMaxActivation);
  const uint32_t out = c.dim(0, 0);
  c.expect_shape(0, {out, c.in_width(0)});
  c.expect_shape(1, {out});
  c.set_width(out);
}

void check_layer_norm(RecordCheck& c) {
  c.hp_float(0, 0.0f, 1.0f, /*lo_inclusive=*/false, /*hi_inclusive=*/true);
  c.expect_shape(0, {c.in_width(0)});
  c.expect_shape(1, {c.in_width(0)});
  c.set_width(c.in_width(0));
}

void check_activation(RecordCheck& c) {
  c.hp(0, 0, kMaxActivation);
  c.set_width(c.in_width(0));
}

void check_l2_normalize(RecordCheck& c) {
  c.hp_float(0, 0.0f, 1.0f, /*lo_inclusive=*/false, /*hi_inclusive=*/true);
  c.set_width(c.in_width(0));
}

// --- positions -----------------------------------------------------------------------------

void check_same_width(RecordCheck& c) { c.set_width(c.in_width(0)); }

void check_pos_learned(RecordCheck& c) {
  const uint32_t max_len = c.dim(0, 0);
  c.expect_shape(0, {max_len, c.in_width(0)});
  c.set_width(c.in_width(0));
}

// --- encoders ------------------------------------------------------------------------------

void check_cumulative(RecordCheck& c) {
  c.hp(0, 0, kMaxReduce);
  c.set_width(c.in_width(0));
}

void check_linear_decay(RecordCheck& c) {
  c.hp(0, 1, kMaxWindow);
  c.set_width(c.in_width(0));
}

void check_exp_decay(RecordCheck& c) {
  c.hp_float(0, 0.0f, 1.0f, /*lo_inclusive=*/true, /*hi_inclusive=*/false);
  c.set_width(c.in_width(0));
}

void check_learned_pos_weights(RecordCheck& c) {
  const int32_t window = c.hp(0, 1, kMaxWindow);
  if (c.failed()) return;
  c.expect_shape(0, {static_cast<uint64_t>(window)});
  c.set_width(c.in_width(0));
}

void check_attention_pool(RecordCheck& c) {
  c.expect_shape(0, {c.in_width(0)});
  c.set_width(c.in_width(0));
}

void check_conv1d(RecordCheck& c) {
  const int32_t k = c.hp(0, 1, kMaxWindow);
  const int32_t dilation = c.hp(1, 1, kMaxWindow);
  c.hp(2, 0, kMaxActivation);
  if (c.failed()) return;
  // The ring buffer holds the receptive field, (K-1)*dilation + 1 events: a window.
  const int64_t receptive_field = static_cast<int64_t>(k - 1) * dilation + 1;
  if (!c.require(receptive_field <= kMaxWindow, Status::kBadHyperParameter)) return;
  const uint32_t out = c.dim(0, 0);
  c.expect_shape(0, {out, c.in_width(0), static_cast<uint64_t>(k)});
  c.expect_shape(1, {out});
  c.set_width(out);
}

// GRU (3 gates) and LSTM (4 gates): the hidden size H comes from w_hh [G*H, H].
void check_recurrent(RecordCheck& c, uint64_t gates) {
  const uint64_t hidden = c.dim(1, 1);
  c.expect_shape(0, {gates * hidden, c.in_width(0)});
  c.expect_shape(1, {gates * hidden, hidden});
  c.expect_shape(2, {gates * hidden});
  c.expect_shape(3, {gates * hidden});
  c.set_width(hidden);
}

void check_gru(RecordCheck& c) { check_recurrent(c, 3); }
void check_lstm(RecordCheck& c) { check_recurrent(c, 4); }

// Wq, bq, Wk, bk, Wv, bv, Wo, bo in slots first..first+7, all over width d.
void expect_attention_projections(RecordCheck& c, uint32_t first, uint32_t d) {
  for (uint32_t p = 0; p < 4; ++p) {
    c.expect_shape(first + 2 * p, {d, d});
    c.expect_shape(first + 2 * p + 1, {d});
  }
}

int32_t attention_heads(RecordCheck& c, uint32_t hp_index, uint32_t d) {
  const int32_t heads = c.hp(hp_index, 1, kMaxHeads);
  if (!c.failed()) c.require(d % static_cast<uint32_t>(heads) == 0, Status::kBadHyperParameter);
  return heads;
}

void check_self_attention(RecordCheck& c) {
  const uint32_t d = c.in_width(0);
  const int32_t heads = attention_heads(c, 0, d);
  const int32_t window = c.hp(1, 1, kMaxWindow);
  const int32_t bias = c.hp(2, 0, kMaxPositionBias);
  if (c.failed()) return;
  expect_attention_projections(c, 0, d);
  if (bias == static_cast<int32_t>(PositionBias::kRelative))
    c.expect_shape(8, {static_cast<uint64_t>(heads), static_cast<uint64_t>(window)});
  c.set_width(d);
}

// --- fusion --------------------------------------------------------------------------------

void check_cross_attention(RecordCheck& c) {
  const uint32_t d = c.in_width(0);
  for (uint32_t k = 1; k < c.n_inputs(); ++k) c.require(c.in_width(k) == d, Status::kShapeMismatch);
  attention_heads(c, 0, d);
  c.hp_float(1, 0.0f, 1.0f, /*lo_inclusive=*/false, /*hi_inclusive=*/true);
  if (c.failed()) return;
  c.expect_shape(0, {d});
  expect_attention_projections(c, 1, d);
  c.expect_shape(9, {d});
  c.expect_shape(10, {d});
  c.set_width(d);
}

// --- heads ---------------------------------------------------------------------------------

// in0 = state [d], in1 = generator logits over event field f's vocabulary [V]; the key
// width k comes from Wq [k, d].
void check_copy_head(RecordCheck& c) {
  const int32_t field = c.hp(0, 0, static_cast<int64_t>(c.n_vocabs()) - 1);
  const int32_t window = c.hp(1, 1, kMaxWindow);
  if (c.failed()) return;
  // The ring holds ids of the events' own field: a class-label vocabulary has none.
  if (!c.require(c.vocab_kind(field) == VocabKind::kEventField, Status::kBadHyperParameter)) return;
  const uint64_t d = c.in_width(0), V = c.vocab_size(field);
  if (!c.require(c.in_width(1) == V, Status::kShapeMismatch)) return;
  const uint32_t k = c.dim(0, 0);
  c.expect_shape(0, {k, d});
  c.expect_shape(1, {k});
  c.expect_shape(2, {V, k});
  c.expect_shape(3, {static_cast<uint64_t>(window)});
  c.expect_shape(4, {1, d});
  c.expect_shape(5, {1});
  c.set_width(V);
}

// --- outputs -------------------------------------------------------------------------------

void check_output(RecordCheck& c) {
  const int32_t kind = c.hp(0, 0, kMaxOutputKind);
  if (c.failed()) return;
  if (kind == static_cast<int32_t>(OutputKind::kCategorical)) {
    // Logits over a field's vocabulary: predicts that field of the next event.
    const int32_t field = c.hp(1, 0, static_cast<int64_t>(c.n_vocabs()) - 1);
    c.hp(2, -1, -1);
    if (c.failed()) return;
    c.require(c.in_width(0) == c.vocab_size(field), Status::kShapeMismatch);
  } else {
    // A scalar; hp2 optionally names the numeric input it predicts; y = scale * x + shift
    // de-standardises it.
    c.hp(1, -1, -1);
    c.hp(2, -1, static_cast<int64_t>(c.n_numeric()) - 1);
    c.hp_float(3, 0.0f, 3.4e38f, /*lo_inclusive=*/false, /*hi_inclusive=*/true);
    c.hp_float(4, -3.4e38f, 3.4e38f, /*lo_inclusive=*/true, /*hi_inclusive=*/true);
    c.require(c.in_width(0) == 1, Status::kShapeMismatch);
  }
  c.set_width(c.in_width(0));
}

// One rule per op: how many inputs it takes, its check, which hp hold float bits.
struct OpRule {
  Op op;
  uint32_t min_inputs;
  uint32_t max_inputs;
  void (*check)(RecordCheck&);
  HpInfo hp[kRecordParams];   // what hp[k] means, for printing (unused: name nullptr)
};

using T = HpType;
constexpr HpInfo kField{"field", T::kField};

// In the order of RUNNEL_OP_LIST (rnl_spec.h); the static_assert below keeps it so.
constexpr OpRule kOpRules[] = {
    {Op::kEmbed, 0, 0, check_embed,
     {{"n_fields", T::kInt}, kField, kField, kField, kField, kField, kField, kField, kField, {"d", T::kInt}}},
    {Op::kNumeric, 0, 0, check_numeric, {{"first", T::kNumeric}, {"count", T::kInt}, {"d", T::kInt}}},
    {Op::kTimeEmbed, 0, 0, check_time_embed, {{"buckets", T::kInt}, {"d", T::kInt}}},
    {Op::kStaticInput, 0, 0, check_static_input, {{"first", T::kStatic}, {"count", T::kInt}}},
    {Op::kAdd, 2, 2, check_add, {}},
    {Op::kConcat, 1, kRecordInputs, check_concat, {}},
    {Op::kDense, 1, 1, check_dense, {{"activation", T::kActivation}}},
    {Op::kLayerNorm, 1, 1, check_layer_norm, {{"eps", T::kF32}}},
    {Op::kActivation, 1, 1, check_activation, {{"activation", T::kActivation}}},
    {Op::kL2Normalize, 1, 1, check_l2_normalize, {{"eps", T::kF32}}},
    {Op::kPosSinusoidal, 1, 1, check_same_width, {}},
    {Op::kPosLearned, 1, 1, check_pos_learned, {}},
    {Op::kCumulative, 1, 1, check_cumulative, {{"reduce", T::kReduce}}},
    {Op::kLinearDecay, 1, 1, check_linear_decay, {{"window", T::kInt}}},
    {Op::kExpDecay, 1, 1, check_exp_decay, {{"alpha", T::kF32}}},
    {Op::kLearnedPosWeights, 1, 1, check_learned_pos_weights, {{"window", T::kInt}}},
    {Op::kAttentionPool, 1, 1, check_attention_pool, {}},
    {Op::kConv1d, 1, 1, check_conv1d,
     {{"kernel", T::kInt}, {"dilation", T::kInt}, {"activation", T::kActivation}}},
    {Op::kGru, 1, 1, check_gru, {}},
    {Op::kLstm, 1, 1, check_lstm, {}},
    {Op::kSelfAttention, 1, 1, check_self_attention,
     {{"heads", T::kInt}, {"window", T::kInt}, {"position_bias", T::kPositionBias}}},
    {Op::kCrossAttention, 1, kRecordInputs, check_cross_attention,
     {{"heads", T::kInt}, {"eps", T::kF32}}},
    {Op::kCopyHead, 2, 2, check_copy_head, {kField, {"window", T::kInt}}},
    {Op::kOutput, 1, 1, check_output,
     {{"kind", T::kOutputKind}, kField, {"numeric", T::kNumeric}, {"scale", T::kF32}, {"shift", T::kF32}}},
};

constexpr bool rules_follow_op_list() {
  if (sizeof(kOpRules) / sizeof(kOpRules[0]) != kOpCount) return false;
  for (uint32_t i = 0; i < kOpCount; ++i)
    if (kOpRules[i].op != kOps[i]) return false;
  return true;
}
static_assert(rules_follow_op_list(), "kOpRules needs one rule per op of RUNNEL_OP_LIST, in its order");

const OpRule* find_rule(uint32_t op) {
  const int i = op_index(op);
  return i < 0 ? nullptr : &kOpRules[i];
}

// Inputs are earlier records (SSA: the list is in execution order); unused slots empty.
Status check_references(const GraphContext& graph, const RnlRecord& r, uint32_t index,
                        const OpRule& rule) {
  if (r.n_inputs < rule.min_inputs || r.n_inputs > rule.max_inputs) return Status::kBadGraph;
  for (uint32_t k = 0; k < kRecordInputs; ++k) {
    const bool ok = k < r.n_inputs ? r.in[k] < index : r.in[k] == kNoRef;
    if (!ok) return Status::kBadGraph;
  }
  for (uint32_t s = 0; s < kRecordTensors; ++s)
    if (r.tensor[s] != kNoRef && r.tensor[s] >= graph.header->n_tensors) return Status::kBadGraph;
  return Status::kOk;
}

}  // namespace

const HpInfo* hp_info(uint32_t op, uint32_t k) {
  const OpRule* rule = find_rule(op);
  if (rule == nullptr || k >= kRecordParams || rule->hp[k].name == nullptr) return nullptr;
  return &rule->hp[k];
}

uint32_t float_hp_mask(uint32_t op) {
  uint32_t mask = 0;
  for (uint32_t k = 0; k < kRecordParams; ++k) {
    const HpInfo* info = hp_info(op, k);
    if (info != nullptr && info->type == HpType::kF32) mask |= 1u << k;
  }
  return mask;
}

Status check_record(const GraphContext& graph, uint32_t index, uint32_t* width) {
  const RnlRecord& record = graph.records[index];
  const OpRule* rule = find_rule(record.op);
  if (rule == nullptr) return Status::kUnknownOp;
  const Status refs = check_references(graph, record, index, *rule);
  if (refs != Status::kOk) return refs;
  RecordCheck check(graph, record);
  rule->check(check);
  check.require_unused_slots_empty();
  if (check.failed()) return check.status();
  *width = check.width();
  return Status::kOk;
}

const char* find_op_name(uint32_t op) {
  const int i = op_index(op);
  return i < 0 ? nullptr : kOpNames[i];
}

}  // namespace rnl
}  // namespace runnel
