#include "engine/model.h"

#include <limits>

#include "engine/cache_line.h"
#include "engine/node_dispatch.h"
#include "engine/op_select.h"

namespace runnel {
namespace {

// A running total of floats that stays exact or says it overflowed `limit` (once over,
// it stays over: ok() is checked once at the end).
class PlanSum {
 public:
  explicit PlanSum(uint64_t limit) : limit_(limit) {}
  void add(uint64_t floats) {
    if (floats > limit_ || value_ > limit_ - floats) over_ = true;
    else value_ += floats;
  }
  // Rounded up to a whole 64-byte line first, in 64 bits also on a 32-bit device (inputs
  // are at most 2^50, so no wrap here).
  void add_line(uint64_t floats) { add(round_to_line<float, uint64_t>(floats)); }
  void raise_to(uint64_t floats) {
    if (floats > limit_) over_ = true;
    else if (floats > value_) value_ = floats;
  }
  uint64_t value() const { return value_; }
  bool ok() const { return !over_; }

 private:
  uint64_t limit_;
  uint64_t value_ = 0;
  bool over_ = false;
};

// Reads one record's operands; the reader has already checked every index and shape.
class RecordOperands {
 public:
  RecordOperands(const rnl::ModelFile& file, uint32_t index)
      : file_(file), record_(file.record(index)), index_(index) {}
  const float* tensor(uint32_t slot) const {
    const uint32_t t = record_.tensor[slot];
    return t == rnl::kNoRef ? nullptr : file_.tensor(t).data;
  }
  uint32_t tensor_dim(uint32_t slot, uint32_t axis) const { return file_.tensor(record_.tensor[slot]).shape[axis]; }
  int in_width(uint32_t k) const { return static_cast<int>(file_.output_width(record_.in[k])); }
  int width() const { return static_cast<int>(file_.output_width(index_)); }
  int32_t hp(uint32_t k) const { return record_.hp[k]; }
  float hp_float(uint32_t k) const { return rnl::hp_to_float(record_.hp[k]); }
  rnl::Activation activation(uint32_t k) const { return static_cast<rnl::Activation>(record_.hp[k]); }
  uint32_t n_inputs() const { return record_.n_inputs; }
  const rnl::ModelFile& file() const { return file_; }

 private:
  const rnl::ModelFile& file_;
  const rnl::RnlRecord& record_;
  uint32_t index_;
};

// Multi-head attention weights from eight consecutive tensor slots (Wq, bq, ..., Wo, bo).
MhaWeights mha_from(const RecordOperands& r, uint32_t first_slot, int d, int heads) {
  MhaWeights m;
  m.wq = r.tensor(first_slot + 0);
  m.bq = r.tensor(first_slot + 1);
  m.wk = r.tensor(first_slot + 2);
  m.bk = r.tensor(first_slot + 3);
  m.wv = r.tensor(first_slot + 4);
  m.bv = r.tensor(first_slot + 5);
  m.wo = r.tensor(first_slot + 6);
  m.bo = r.tensor(first_slot + 7);
  m.d = d;
  m.heads = heads;
  return m;
}

layers::Embed bind_embed(const RecordOperands& r) {
  const int n = r.hp(0);
  kernels::Matrix tables[layers::Embed::kMaxFields];
  int vocab[layers::Embed::kMaxFields] = {};
  int field[layers::Embed::kMaxFields] = {};
  for (int i = 0; i < n; ++i) {
    field[i] = r.hp(1 + i);
    tables[i] = r.tensor(i);
    vocab[i] = static_cast<int>(r.file().vocab(field[i]).size());
  }
  return layers::Embed::make(tables, vocab, field, n, r.hp(9));
}

layers::Concat bind_concat(const RecordOperands& r) {
  int widths[rnl::kRecordInputs] = {};
  for (uint32_t k = 0; k < r.n_inputs(); ++k) widths[k] = r.in_width(k);
  return layers::Concat::make(widths, static_cast<int>(r.n_inputs()));
}

layers::SelfAttention bind_self_attention(const RecordOperands& r) {
  const auto bias = static_cast<rnl::PositionBias>(r.hp(2));
  return layers::SelfAttention::make(mha_from(r, 0, r.in_width(0), r.hp(0)), r.hp(1), bias,
                             bias == rnl::PositionBias::kRelative ? r.tensor(8) : nullptr);
}

layers::CrossAttention bind_cross_attention(const RecordOperands& r) {
  return layers::CrossAttention::make(mha_from(r, 1, r.in_width(0), r.hp(0)), r.tensor(0), r.tensor(9),
                              r.tensor(10), r.hp_float(1), static_cast<int>(r.n_inputs()));
}

layers::CopyHead bind_copy_head(const RecordOperands& r) {
  const int field = r.hp(0);
  return layers::CopyHead::make(r.tensor(0), r.tensor(1), r.tensor(2), r.tensor(3), r.tensor(4), r.tensor(5), field,
                                r.hp(1), r.in_width(0), static_cast<int>(r.tensor_dim(0, 0)),
                                static_cast<int>(r.file().vocab(field).size()));
}

layers::Output bind_output(const RecordOperands& r, int width) {
  const auto kind = static_cast<rnl::OutputKind>(r.hp(0));
  if (kind == rnl::OutputKind::kCategorical) return layers::Output::make(kind, r.hp(1), r.hp(2), width, 1.0f, 0.0f);
  return layers::Output::make(kind, r.hp(1), r.hp(2), width, r.hp_float(3), r.hp_float(4));
}

// Binds record `i` to its layer in `node`. Each case reads the record exactly as
// rnl_spec.h describes the op.
void bind_layer(const rnl::ModelFile& file, uint32_t i, Node* node) {
  const RecordOperands r(file, i);
  Node::Layer& l = node->layer;
  const int w0 = node->n_in > 0 ? r.in_width(0) : 0;
  switch (node->op) {
    case rnl::Op::kEmbed:
      if constexpr (op_compiled(rnl::Op::kEmbed)) l.embed = bind_embed(r);
      break;
    case rnl::Op::kNumeric:
      if constexpr (op_compiled(rnl::Op::kNumeric)) l.numeric = layers::Numeric::make(r.tensor(0), r.tensor(1), r.hp(0), r.hp(1), r.hp(2));
      break;
    case rnl::Op::kTimeEmbed:
      if constexpr (op_compiled(rnl::Op::kTimeEmbed)) l.time_embed = layers::TimeEmbed::make(r.tensor(0), r.hp(0), r.hp(1));
      break;
    case rnl::Op::kStaticInput:
      if constexpr (op_compiled(rnl::Op::kStaticInput)) l.static_input = layers::StaticInput::make(r.hp(0), r.hp(1));
      break;
    case rnl::Op::kAdd:
      if constexpr (op_compiled(rnl::Op::kAdd)) l.add = layers::Add::make(w0);
      break;
    case rnl::Op::kConcat:
      if constexpr (op_compiled(rnl::Op::kConcat)) l.concat = bind_concat(r);
      break;
    case rnl::Op::kDense:
      if constexpr (op_compiled(rnl::Op::kDense)) l.dense = layers::Dense::make(r.tensor(0), r.tensor(1), w0, r.width(), r.activation(0));
      break;
    case rnl::Op::kLayerNorm:
      if constexpr (op_compiled(rnl::Op::kLayerNorm)) l.layer_norm = layers::LayerNorm::make(r.tensor(0), r.tensor(1), w0, r.hp_float(0));
      break;
    case rnl::Op::kActivation:
      if constexpr (op_compiled(rnl::Op::kActivation)) l.activation = layers::Activation::make(r.activation(0), w0);
      break;
    case rnl::Op::kL2Normalize:
      if constexpr (op_compiled(rnl::Op::kL2Normalize)) l.l2_normalize = layers::L2Normalize::make(w0, r.hp_float(0));
      break;
    case rnl::Op::kPosSinusoidal:
      if constexpr (op_compiled(rnl::Op::kPosSinusoidal)) l.pos_sinusoidal = layers::PosSinusoidal::make(w0);
      break;
    case rnl::Op::kPosLearned:
      if constexpr (op_compiled(rnl::Op::kPosLearned)) l.pos_learned = layers::PosLearned::make(r.tensor(0), static_cast<int>(r.tensor_dim(0, 0)), w0);
      break;
    case rnl::Op::kCumulative:
      if constexpr (op_compiled(rnl::Op::kCumulative)) l.cumulative = layers::Cumulative::make(static_cast<rnl::Reduce>(r.hp(0)), w0);
      break;
    case rnl::Op::kLinearDecay:
      if constexpr (op_compiled(rnl::Op::kLinearDecay)) l.linear_decay = layers::LinearDecay::make(r.hp(0), w0);
      break;
    case rnl::Op::kExpDecay:
      if constexpr (op_compiled(rnl::Op::kExpDecay)) l.exp_decay = layers::ExpDecay::make(r.hp_float(0), w0);
      break;
    case rnl::Op::kLearnedPosWeights:
      if constexpr (op_compiled(rnl::Op::kLearnedPosWeights)) l.learned_pos_weights = layers::LearnedPosWeights::make(r.tensor(0), r.hp(0), w0);
      break;
    case rnl::Op::kAttentionPool:
      if constexpr (op_compiled(rnl::Op::kAttentionPool)) l.attention_pool = layers::AttentionPool::make(r.tensor(0), w0);
      break;
    case rnl::Op::kConv1d:
      if constexpr (op_compiled(rnl::Op::kConv1d)) l.conv1d = layers::Conv1d::make(r.tensor(0), r.tensor(1), w0, r.width(), r.hp(0), r.hp(1), r.activation(2));
      break;
    case rnl::Op::kGru:
      if constexpr (op_compiled(rnl::Op::kGru)) l.gru = layers::Gru::make(r.tensor(0), r.tensor(1), r.tensor(2), r.tensor(3), w0, r.width());
      break;
    case rnl::Op::kLstm:
      if constexpr (op_compiled(rnl::Op::kLstm)) l.lstm = layers::Lstm::make(r.tensor(0), r.tensor(1), r.tensor(2), r.tensor(3), w0, r.width());
      break;
    case rnl::Op::kSelfAttention:
      if constexpr (op_compiled(rnl::Op::kSelfAttention)) l.self_attention = bind_self_attention(r);
      break;
    case rnl::Op::kCrossAttention:
      if constexpr (op_compiled(rnl::Op::kCrossAttention)) l.cross_attention = bind_cross_attention(r);
      break;
    case rnl::Op::kCopyHead:
      if constexpr (op_compiled(rnl::Op::kCopyHead)) l.copy_head = bind_copy_head(r);
      break;
    case rnl::Op::kOutput:
      if constexpr (op_compiled(rnl::Op::kOutput)) l.output = bind_output(r, w0);
      break;
  }
}

}  // namespace

Status Model::load(const void* data, size_t size) {
  n_nodes_ = 0;
  n_outputs_ = 0;
  max_events_ = -1;
  const Status s = rnl::open(data, size, &file_);
  if (s != Status::kOk) return s;
  if (file_.n_records() > kMaxNodes) return Status::kLimitExceeded;
  const Status b = bind_all();
  if (b != Status::kOk) {
    n_nodes_ = 0;
    return b;
  }
  const Status p = plan_memory();
  if (p != Status::kOk) n_nodes_ = 0;
  return p;
}

Status Model::bind_all() {
  const uint32_t n = file_.n_records();
  for (uint32_t i = 0; i < n; ++i) {
    const rnl::RnlRecord& rec = file_.record(i);
    Node& node = nodes_[i];
    node = Node();
    node.op = file_.op(i);
    node.n_in = rec.n_inputs;
    for (uint32_t k = 0; k < rec.n_inputs; ++k) node.in[k] = rec.in[k];
    node.width = file_.output_width(i);
    if (!op_compiled(node.op)) return Status::kOpNotCompiled;
    bind_layer(file_, i, &node);
    if (node.op == rnl::Op::kPosLearned) {
      const int64_t len = node.layer.pos_learned.max_len;
      if (max_events_ < 0 || len < max_events_) max_events_ = len;
    }
    if (node.op == rnl::Op::kOutput) {
      if (n_outputs_ == kMaxOutputs) return Status::kLimitExceeded;
      OutputInfo& o = outputs_[n_outputs_++];
      o.node = i;
      o.kind = node.layer.output.kind;
      o.field = node.layer.output.field;
      o.numeric = node.layer.output.numeric;
      o.width = node.width;
    }
  }
  n_nodes_ = n;
  return Status::kOk;
}

// Scratch: every node's output vector, then the largest layer scratch (shared, since
// layers run one at a time). Session: a 64-byte header, static features, each node's
// state, then the outputs. Every buffer starts on a 64-byte line.
//
// Sizes come from untrusted files (a window of 2^16 over a width of 2^20 is 2^36 floats
// per record), so the plan is summed in 64 bits with every step checked, and refused
// with kLimitExceeded when a total does not fit the host's size_t (a 32-bit device) —
// never wrapped into a small number that a caller would then allocate and overrun.
Status Model::plan_memory() {
  constexpr uint64_t kLimit = std::numeric_limits<size_t>::max() / sizeof(float);
  PlanSum activations(kLimit), layer_scratch(kLimit), state(kLimit), outs(kLimit);
  for (uint32_t i = 0; i < n_nodes_; ++i) {
    Node& node = nodes_[i];
    if (node.op == rnl::Op::kOutput) {
      node.out_offset = static_cast<size_t>(outs.value());
      outs.add_line(node.width);
    } else {
      node.out_offset = static_cast<size_t>(activations.value());
      activations.add_line(node.width);
    }
    node.state_offset = static_cast<size_t>(state.value());
    state.add_line(visit_layer(node, [](const auto& l) { return static_cast<uint64_t>(l.state_floats()); }));
    layer_scratch.raise_to(visit_layer(node, [](const auto& l) { return static_cast<uint64_t>(l.scratch_floats()); }));
  }
  PlanSum scratch(kLimit), session_floats(kLimit);
  scratch.add(activations.value());
  scratch.add_line(layer_scratch.value());
  constexpr size_t kHeaderFloats = kLineBytes / sizeof(float);
  session_floats.add(kHeaderFloats);
  session_floats.add_line(file_.n_static());
  session_floats.add(state.value());
  session_floats.add(outs.value());
  if (!activations.ok() || !layer_scratch.ok() || !state.ok() || !outs.ok() || !scratch.ok() || !session_floats.ok())
    return Status::kLimitExceeded;
  for (uint32_t k = 0; k < n_outputs_; ++k) outputs_[k].offset = nodes_[outputs_[k].node].out_offset;
  layer_scratch_offset_ = static_cast<size_t>(activations.value());
  scratch_floats_ = static_cast<size_t>(scratch.value());
  statics_offset_ = kHeaderFloats * sizeof(float);
  state_offset_ = statics_offset_ + round_to_line<float>(file_.n_static()) * sizeof(float);
  outputs_offset_ = state_offset_ + static_cast<size_t>(state.value()) * sizeof(float);
  session_bytes_ = static_cast<size_t>(session_floats.value()) * sizeof(float);
  return Status::kOk;
}

}  // namespace runnel
