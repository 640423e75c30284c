// The .rnl flat model file: the one contract between the trainer (writer) and the engine
// (reader). Both include this header; engine/format/FORMAT.md explains it in prose.
//
// Layout (all little-endian, all offsets from the start of the file):
//   [RnlHeader, 128 bytes]
//   [RnlRecord  x header.n_records]   graph: a flat op list in execution order (SSA)
//   [RnlTensor  x header.n_tensors]   tensor table
//   [RnlVocab   x header.n_vocabs]    one vocabulary per categorical field
//   [RnlColumn  x header.n_columns]   input schema: entity, time, numeric, static columns
//   [RnlHead    x header.n_heads]     one name per kOutput record, in record order
//   [vocabulary blob]                 per vocab: uint32 offsets[size+1], then UTF-8 bytes
//   [data section]                    tensor bytes, each tensor at a 64-byte aligned offset
// The CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) covers the whole file, bytes
// [0, file_bytes), with the four bytes of header.file_crc32 read as zero.
//
// Depends on nothing but <cstdint>: it is included by engine/ (no heap, no exceptions)
// and by the trainer's writer.
#ifndef RUNNEL_ENGINE_FORMAT_RNL_SPEC_H_
#define RUNNEL_ENGINE_FORMAT_RNL_SPEC_H_

#include <cstdint>

namespace runnel {
namespace rnl {

constexpr uint32_t kMagic = 0x4C4E4E52u;        // "RNNL" read as little-endian uint32
constexpr uint32_t kVersion = 2;
constexpr uint32_t kEndianTag = 0x01020304u;    // reads back 0x04030201 on a big-endian host
constexpr uint32_t kAlignment = 64;             // data-section tensors start at multiples of this
constexpr uint32_t kNoRef = 0xFFFFFFFFu;        // "no input / no tensor"

// Limits the reader enforces (a file exceeding one is rejected, not truncated).
constexpr uint32_t kMaxRecords = 4096;
constexpr uint32_t kMaxTensors = 16384;
constexpr uint32_t kMaxVocabs = 64;             // categorical input fields
constexpr uint32_t kMaxNumeric = 256;           // numeric input values per event
constexpr uint32_t kMaxStatic = 1024;           // static (tabular) features per entity
constexpr uint32_t kMaxRank = 4;
constexpr uint32_t kMaxDim = 1u << 20;          // any single dimension
constexpr uint64_t kMaxTensorElements = 1ull << 28;
constexpr uint32_t kMaxVocabSize = 1u << 20;
constexpr uint32_t kMaxWindow = 1u << 16;       // attention / ring-buffer window W
constexpr uint32_t kMaxHeads = 64;               // attention heads
constexpr uint32_t kMaxEmbedFields = 8;          // categorical fields one kEmbed record sums
constexpr uint32_t kMaxOutputs = 64;             // kOutput records (= RnlHead entries)
constexpr uint32_t kMaxColumns = kMaxNumeric + kMaxStatic + 2;  // + entity and time
constexpr uint32_t kNameBytes = 48;             // NUL-padded names
constexpr float kCopyHeadEps = 1e-6f;           // kCopyHead: y = log(p + eps), p >= 0

// Records one engine Model binds (engine/model.h): not a limit of the format, but of the
// engine's fixed node table; a build may change it with -DRUNNEL_MAX_NODES=N. The trainer
// refuses models with more ops than the default.
#ifndef RUNNEL_MAX_NODES
#define RUNNEL_MAX_NODES 256
#endif
constexpr uint32_t kMaxNodes = RUNNEL_MAX_NODES;

struct RnlHeader {                   // 128 bytes
  uint32_t magic;                    // kMagic
  uint32_t version;                  // kVersion
  uint32_t endian_tag;               // kEndianTag
  uint32_t header_bytes;             // sizeof(RnlHeader)
  uint64_t file_bytes;               // total file size
  uint32_t file_crc32;               // CRC-32 of bytes [0, file_bytes), this field read as 0
  uint32_t n_records;
  uint32_t n_tensors;
  uint32_t n_vocabs;                 // categorical fields (event fields and class labels)
  uint32_t n_numeric;                // numeric values per event (after preparation)
  uint32_t n_static;                 // static features per entity (set once per session)
  uint32_t n_columns;                // input schema entries (RnlColumn)
  uint32_t n_heads;                  // head names, one per kOutput record (RnlHead)
  uint64_t vocab_blob_offset;        // start of the vocabulary blob
  uint64_t data_offset;              // start of the data section (64-byte aligned)
  uint32_t reserved[14];             // 0
};
static_assert(sizeof(RnlHeader) == 128, "header is 128 bytes");

// The op list: every op of the format, once. Each entry is X(Name, snake_name, code):
//   - the enum value rnl::Op::kName with file code `code` (codes are the file's: never
//     renumber or reuse one),
//   - the name "kName" that inspect and error messages print,
//   - the layer's name everywhere else: trainer/nn/<snake_name>.h (class nn::Name),
//     engine/layers/<snake_name>.h (struct layers::Name) and the parity test case
//     <snake_name> in tests/parity_layers_test.cc.
// The Op enum, kOpCount, kOps[] and op names come from this list; the reader's rule table
// (op_rules.cc), the engine's node union, binding and dispatch (model.h, model.cc,
// node_dispatch.h) and the trainer's module check (trainer/nn/modules.h) are derived from
// it or tied to it by static_assert, so an op missing from any of them does not compile.
// docs/ADDING_AN_OP.md is the checklist.
//
// Every op reads its inputs (earlier records' outputs, by record index) and writes one
// output vector whose width the reader derives and checks. hp[] are integer
// hyper-parameters; where marked "f32 bits" an hp holds the bit pattern of a float32.
// Tensor shapes are row-major; a matrix that multiplies a vector is stored [out, in].
// Unused hp are 0 and unused in[] / tensor[] slots kNoRef; the exact ranges the reader
// enforces (eps in (0,1], n_buckets <= 65, ...) are listed in FORMAT.md / op_rules.cc.
//
// --- event inputs ---------------------------------------------------------------------
// kEmbed             sum of per-field embeddings. hp0 = n_fields (1..kMaxEmbedFields = 8), hp1..hp8 = field
//                    indices, hp9 = d. tensor[i] = table [V_field, d]; id 0 = unknown.
// kNumeric           projection of numeric values. hp0 = first numeric index, hp1 = count n,
//                    hp2 = d. tensor0 = W [d, n], tensor1 = b [d].
// kTimeEmbed         time since the entity's previous event, log-bucketed. hp0 = n_buckets,
//                    hp1 = d. bucket = min(n_buckets-1, bit_width(floor(max(dt,0)))), i.e.
//                    0 for dt < 1, else floor(log2(dt)) + 1. tensor0 = table [n_buckets, d].
//                    The first event of a stream uses bucket 0.
// kStaticInput       the entity's static features. hp0 = first index, hp1 = count.
// --- element-wise and plumbing --------------------------------------------------------
// kAdd               in0 + in1 (same width).
// kConcat            concatenation of in0..in(k-1) (k = number of inputs given).
// kDense             act(W·in0 + b). hp0 = Activation. tensor0 = W [out, in], tensor1 = b [out].
// kLayerNorm         hp0 = eps (f32 bits). tensor0 = gamma [d], tensor1 = beta [d]. Biased var.
// kActivation        hp0 = Activation.
// kL2Normalize       x / max(||x||, eps). hp0 = eps (f32 bits).
// --- positions ------------------------------------------------------------------------
// kPosSinusoidal     in0 + PE(t), PE(t)[2i] = sin(t / 10000^(2i/d)), PE(t)[2i+1] = cos(..).
// kPosLearned        in0 + P[t]. tensor0 = P [max_len, d]. t >= max_len: kPositionOutOfRange.
// --- encoders: streaming state noted; t is the event index within the stream ----------
// kCumulative        hp0 = Reduce (mean | max | sum) over events 0..t. State: running vector.
// kLinearDecay       hp0 = W. y = sum_i w_i x(t-i) / sum_i w_i, w_i = (W-i)/W, i < min(t+1,W).
//                    State: ring buffer of W inputs.
// kExpDecay          hp0 = alpha (f32 bits, 0 <= alpha < 1). s = x + alpha*s, n = 1 + alpha*n,
//                    y = s/n. State: running vector and scalar.
// kLearnedPosWeights hp0 = W. y = sum_{i < min(t+1,W)} w[i] x(t-i). tensor0 = w [W].
// kAttentionPool     y = sum_{j<=t} softmax_j(q·x_j / sqrt(d)) x_j. tensor0 = q [d].
//                    State: online-softmax running max, sum and weighted vector.
// kConv1d            causal conv, one layer. hp0 = K, hp1 = dilation, hp2 = Activation.
//                    y(t)[o] = b[o] + sum_{i,k} w[o,i,k] x(t-(K-1-k)*dilation)[i], x(<0) = 0.
//                    tensor0 = w [Cout, Cin, K], tensor1 = b [Cout]. State: ring buffer.
// kGru               PyTorch GRU cell, gate order r,z,n. tensor0 = w_ih [3H, I],
//                    tensor1 = w_hh [3H, H], tensor2 = b_ih [3H], tensor3 = b_hh [3H].
// kLstm              PyTorch LSTM cell, gate order i,f,g,o; tensors as kGru with 4H.
// kSelfAttention     multi-head causal self-attention over the last W events (keys j with
//                    t-W < j <= t). hp0 = n_heads, hp1 = W, hp2 = PositionBias.
//                    tensor0..7 = Wq [d,d], bq [d], Wk, bk, Wv, bv, Wo, bo;
//                    tensor8 = relative bias [n_heads, W] (bias[h][t-j]) when hp2 = kRelative.
//                    ALiBi slopes: head h (0-based) gets 2^(-8(h+1)/n_heads), bias -slope*(t-j).
//                    scale 1/sqrt(d/n_heads). State: K and V ring buffers [W, d].
// --- fusion ---------------------------------------------------------------------------
// kCrossAttention    learnable query over the stream vectors in0..in(k-1) (all width d):
//                    y = LayerNorm(q + MHA(q, S, S)). hp0 = n_heads, hp1 = eps (f32 bits).
//                    tensor0 = q [d], tensor1..8 = Wq,bq,Wk,bk,Wv,bv,Wo,bo, tensor9 = gamma,
//                    tensor10 = beta.
// --- heads ----------------------------------------------------------------------------
// kCopyHead          pointer-generator head for the next value of categorical field f:
//                    in0 = state h [d], in1 = generator logits l [V] (V = field f's
//                    vocabulary size). hp0 = f, hp1 = W. tensor0 = Wq [k, d], tensor1 =
//                    bq [k], tensor2 = keys K [V, k], tensor3 = relative bias r [W],
//                    tensor4 = wg [1, d], tensor5 = bg [1]. With x_j = event t-j's id of f,
//                    j < m = min(t+1, W):  q = Wq h + bq,
//                    a = softmax_j(q·K[x_j] / sqrt(k) + r[j]), g = sigmoid(wg·h + bg),
//                    p[v] = g softmax(l)[v] + (1-g) sum_{j: x_j = v} a_j,
//                    y[v] = log(p[v] + kCopyHeadEps)   (log-probabilities: usable as logits).
//                    State: ring buffer of the last W ids.
// --- outputs --------------------------------------------------------------------------
// kOutput            marks in0 as a model output. hp0 = OutputKind, hp1 = field index
//                    (categorical: width must equal that field's vocabulary size), hp2 =
//                    numeric index (regression target) or -1. Categorical: hp2 = -1.
//                    Regression: hp1 = -1, width 1, y = hp3 * in0 + hp4 (hp3 = scale > 0,
//                    hp4 = shift, f32 bits): the head is trained on the standardised
//                    target and de-standardised here. Its name is the RnlHead entry.
#define RUNNEL_OP_LIST(X)                             \
  X(Embed, embed, 1)                                  \
  X(Numeric, numeric, 2)                              \
  X(TimeEmbed, time_embed, 3)                         \
  X(StaticInput, static_input, 4)                     \
  X(Add, add, 10)                                     \
  X(Concat, concat, 11)                               \
  X(Dense, dense, 12)                                 \
  X(LayerNorm, layer_norm, 13)                        \
  X(Activation, activation, 14)                       \
  X(L2Normalize, l2_normalize, 15)                    \
  X(PosSinusoidal, pos_sinusoidal, 20)                \
  X(PosLearned, pos_learned, 21)                      \
  X(Cumulative, cumulative, 30)                       \
  X(LinearDecay, linear_decay, 31)                    \
  X(ExpDecay, exp_decay, 32)                          \
  X(LearnedPosWeights, learned_pos_weights, 33)       \
  X(AttentionPool, attention_pool, 34)                \
  X(Conv1d, conv1d, 35)                               \
  X(Gru, gru, 36)                                     \
  X(Lstm, lstm, 37)                                   \
  X(SelfAttention, self_attention, 38)                \
  X(CrossAttention, cross_attention, 40)              \
  X(CopyHead, copy_head, 45)                          \
  X(Output, output, 50)

enum class Op : uint32_t {
#define RUNNEL_OP_ENUM(name, snake, code) k##name = code,
  RUNNEL_OP_LIST(RUNNEL_OP_ENUM)
#undef RUNNEL_OP_ENUM
};

// Every op, in the list's order, and how many there are.
constexpr Op kOps[] = {
#define RUNNEL_OP_VALUE(name, snake, code) Op::k##name,
    RUNNEL_OP_LIST(RUNNEL_OP_VALUE)
#undef RUNNEL_OP_VALUE
};
constexpr uint32_t kOpCount = sizeof(kOps) / sizeof(kOps[0]);

// "kEmbed", ... in the list's order.
constexpr const char* kOpNames[] = {
#define RUNNEL_OP_NAME(name, snake, code) "k" #name,
    RUNNEL_OP_LIST(RUNNEL_OP_NAME)
#undef RUNNEL_OP_NAME
};

// Position of `code` in the list, or -1 when no op has that code.
constexpr int op_index(uint32_t code) {
  for (uint32_t i = 0; i < kOpCount; ++i)
    if (static_cast<uint32_t>(kOps[i]) == code) return static_cast<int>(i);
  return -1;
}

// True for a type that has been defined (not only declared) at this point: the static_assert
// that names the missing layer or module of an op in the list.
template <class T, class = void>
struct is_complete {
  static constexpr bool value = false;
};
template <class T>
struct is_complete<T, decltype(void(sizeof(T)))> {
  static constexpr bool value = true;
};

// True when `ops` is exactly the op list, in its order: the static_assert of every table
// keyed by op.
template <uint32_t N>
constexpr bool is_op_list(const Op (&ops)[N]) {
  if (N != kOpCount) return false;
  for (uint32_t i = 0; i < N; ++i)
    if (ops[i] != kOps[i]) return false;
  return true;
}

enum class Activation : int32_t { kNone = 0, kRelu = 1, kGeluTanh = 2, kGeluErf = 3, kTanh = 4, kSigmoid = 5 };
enum class Reduce : int32_t { kMean = 0, kMax = 1, kSum = 2 };
enum class PositionBias : int32_t { kNone = 0, kRelative = 1, kAlibi = 2 };
enum class OutputKind : int32_t { kCategorical = 0, kRegression = 1 };
enum class DType : uint32_t { kF32 = 1 };     // tensor dtypes; more may be added
enum class VocabKind : uint32_t {
  kEventField = 0,     // a categorical column of the events (CSV column named by the vocab)
  kClassLabels = 1,    // names of a categorical target's classes, not an event input
};
enum class ColumnRole : uint8_t { kEntity = 1, kTime = 2, kNumeric = 3, kStatic = 4 };
enum class Transform : uint8_t { kNone = 0, kLog1p = 1 };   // log1p: sign(x) * log(1 + |x|)

constexpr uint32_t kRecordInputs = 8;
constexpr uint32_t kRecordParams = 10;
constexpr uint32_t kRecordTensors = 12;

struct RnlRecord {                   // 128 bytes
  uint32_t op;                       // Op
  uint32_t n_inputs;                 // number of used entries of in[]
  uint32_t in[kRecordInputs];        // indices of earlier records (must be < own index)
  int32_t hp[kRecordParams];         // hyper-parameters, meaning per op above
  uint32_t tensor[kRecordTensors];   // tensor-table indices or kNoRef
};
static_assert(sizeof(RnlRecord) == 128, "record is 128 bytes");

struct RnlTensor {                   // 96 bytes
  char name[kNameBytes];             // NUL-padded, e.g. "stream0.enc.layer1.attn.wq"
  uint32_t dtype;                    // DType
  uint32_t rank;                     // 1..kMaxRank
  uint32_t shape[kMaxRank];          // unused dims are 1
  uint64_t offset;                   // absolute, multiple of kAlignment, inside data section
  uint64_t bytes;                    // == product(shape) * sizeof(dtype)
  uint64_t reserved;                 // 0
};
static_assert(sizeof(RnlTensor) == 96, "tensor entry is 96 bytes");

struct RnlVocab {                    // 64 bytes: categorical field f
  char field[kNameBytes];            // column name (class labels: the target's name), NUL-padded
  uint32_t size;                     // V_f, including id 0 (unknown / padding, string "")
  uint32_t kind;                     // VocabKind
  uint64_t blob_offset;              // absolute: uint32 offsets[size+1] relative to the
                                     // end of that array, then the strings' bytes
};
static_assert(sizeof(RnlVocab) == 64, "vocab entry is 64 bytes");

// One column of the events the model reads, besides the categorical ones (those are the
// kEventField vocabularies). A numeric or static column's raw value x becomes
//   (transform(x) - mean) / std                 (mean, std: train statistics)
// and a missing numeric cell becomes 0 (= the train mean) followed, when
// missing_indicator is 1, by a second value: 1 if the cell was missing, else 0. Numeric
// columns fill the event's numeric vector in order (index = where its value goes), static
// columns the static features in order. Entity and time columns only name the columns
// (unused fields 0); time is unix seconds or ISO-8601.
struct RnlColumn {                   // 64 bytes
  char name[kNameBytes];             // CSV column name, NUL-padded
  uint8_t role;                      // ColumnRole
  uint8_t transform;                 // Transform (numeric, static)
  uint8_t missing_indicator;         // numeric: 0 or 1
  uint8_t reserved;                  // 0
  uint32_t index;                    // numeric: index into the event's numeric values;
                                     // static: index into the static features
  float mean;                        // train mean after the transform
  float std;                         // train standard deviation after the transform, > 0
};
static_assert(sizeof(RnlColumn) == 64, "column entry is 64 bytes");

// The name of one output: head k names the k-th kOutput record (in record order).
struct RnlHead {                     // 64 bytes
  char name[kNameBytes];             // unique among heads, NUL-padded
  uint32_t record;                   // index of its kOutput record
  uint32_t reserved[3];              // 0
};
static_assert(sizeof(RnlHead) == 64, "head entry is 64 bytes");

}  // namespace rnl
}  // namespace runnel

#endif  // RUNNEL_ENGINE_FORMAT_RNL_SPEC_H_
