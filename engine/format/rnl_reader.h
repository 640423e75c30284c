// Zero-copy reader of .rnl model files (see engine/format/FORMAT.md).
//
// rnl::open() validates every byte the engine will ever look at (header, CRC, tables,
// offsets, shapes against each op's hyper-parameters, vocabularies, limits) and only
// then fills a ModelFile whose accessors point straight into the caller's buffer. The
// buffer must outlive the ModelFile and stay unchanged. Nothing here allocates, throws
// or prints; a malformed or hostile buffer yields a Status, never an out-of-bounds read.
//
// Usage:
//   rnl::ModelFile model;                       // ~16 KiB (output widths); keep it static
//   Status s = rnl::open(bytes, size, &model);  // bytes: 64-byte aligned (mmap, flash, ...)
//   if (s != Status::kOk) return s;
//   rnl::TensorView w = model.tensor(model.record(3).tensor[0]);
#ifndef RUNNEL_ENGINE_FORMAT_RNL_READER_H_
#define RUNNEL_ENGINE_FORMAT_RNL_READER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/format/rnl_spec.h"
#include "engine/status.h"

namespace runnel {
namespace rnl {

// One tensor of the table, its data read in place.
struct TensorView {
  std::string_view name;
  uint32_t rank = 0;
  const uint32_t* shape = nullptr;   // rank entries (dims past rank are 1)
  uint64_t elements = 0;             // product of the shape
  const float* data = nullptr;       // `elements` floats, 64-byte aligned, inside the buffer
};

// One entry of the input schema (RnlColumn), read in place.
struct ColumnView {
  std::string_view name;
  ColumnRole role = ColumnRole::kNumeric;
  Transform transform = Transform::kNone;
  bool missing_indicator = false;
  uint32_t index = 0;      // numeric: where its value goes in Event::numeric; static: its index
  float mean = 0.0f;
  float std = 1.0f;
};

// The vocabulary of one categorical field: id <-> string, id 0 = "" (unknown).
class VocabView {
 public:
  VocabView() = default;
  VocabView(const RnlVocab* entry, const uint32_t* offsets, const char* strings)
      : entry_(entry), offsets_(offsets), strings_(strings) {}

  std::string_view field() const;
  uint32_t size() const { return entry_ == nullptr ? 0 : entry_->size; }
  // kEventField: a categorical column of the events; kClassLabels: a target's class names.
  VocabKind kind() const { return entry_ == nullptr ? VocabKind::kEventField : static_cast<VocabKind>(entry_->kind); }
  // The string of `id`; "" for id 0 and for ids outside the vocabulary.
  std::string_view string(uint32_t id) const;
  // The id of `s`; 0 (unknown) for strings not in the vocabulary, and for "".
  uint32_t id(std::string_view s) const;

 private:
  const RnlVocab* entry_ = nullptr;
  const uint32_t* offsets_ = nullptr;  // size + 1 entries, relative to strings_
  const char* strings_ = nullptr;
};

// Records a ModelFile holds the output widths of (4 bytes each): the format's kMaxRecords,
// or RUNNEL_MAX_NODES when a build sets it on the command line to bound the engine's
// memory (engine/model.h; firmware builds set it small). Files with more records are
// refused with kLimitExceeded.
#if defined(RUNNEL_MAX_NODES)
constexpr uint32_t kLoadableRecords = RUNNEL_MAX_NODES < kMaxRecords ? RUNNEL_MAX_NODES : kMaxRecords;
#else
constexpr uint32_t kLoadableRecords = kMaxRecords;
#endif

// A validated model file. Default-constructed (or after a failed open): empty.
class ModelFile {
 public:
  const RnlHeader& header() const { return *header_; }
  uint64_t file_bytes() const { return header_ == nullptr ? 0 : header_->file_bytes; }

  uint32_t n_records() const { return header_ == nullptr ? 0 : header_->n_records; }
  const RnlRecord& record(uint32_t i) const { return records_[i]; }   // i < n_records()
  Op op(uint32_t i) const { return static_cast<Op>(records_[i].op); }
  // Width of record i's output vector, derived from its op, hp, inputs and tensors.
  uint32_t output_width(uint32_t i) const { return widths_[i]; }

  uint32_t n_tensors() const { return header_ == nullptr ? 0 : header_->n_tensors; }
  TensorView tensor(uint32_t i) const;                                // i < n_tensors()
  // The tensor in slot `slot` of record `record` (a slot its op requires, so never kNoRef
  // for a validated file; an unused slot gives an empty view).
  TensorView record_tensor(uint32_t record, uint32_t slot) const;
  // Index of the first tensor named `name`, or -1.
  int32_t find_tensor(std::string_view name) const;

  uint32_t n_vocabs() const { return header_ == nullptr ? 0 : header_->n_vocabs; }
  VocabView vocab(uint32_t field) const;                             // field < n_vocabs()
  // Index of the categorical field named `name`, or -1.
  int32_t find_vocab(std::string_view field) const;

  uint32_t n_numeric() const { return header_ == nullptr ? 0 : header_->n_numeric; }
  uint32_t n_static() const { return header_ == nullptr ? 0 : header_->n_static; }

  // The input schema: entity and time columns, numeric and static columns with their
  // transforms and train statistics (categorical columns are the kEventField vocabularies).
  uint32_t n_columns() const { return header_ == nullptr ? 0 : header_->n_columns; }
  ColumnView column(uint32_t i) const;                               // i < n_columns()
  // Index of the first column with `role` (e.g. the entity column), or -1.
  int32_t find_column(ColumnRole role) const;

  // Head k names the k-th kOutput record (the engine's output k).
  uint32_t n_heads() const { return header_ == nullptr ? 0 : header_->n_heads; }
  std::string_view head_name(uint32_t k) const;                      // k < n_heads()
  uint32_t head_record(uint32_t k) const { return heads_[k].record; }
  // Index of the head named `name`, or -1.
  int32_t find_head(std::string_view name) const;

 private:
  friend Status open(const void* data, size_t size, ModelFile* out);

  const uint8_t* base_ = nullptr;
  const RnlHeader* header_ = nullptr;
  const RnlRecord* records_ = nullptr;
  const RnlTensor* tensors_ = nullptr;
  const RnlVocab* vocabs_ = nullptr;
  const RnlColumn* columns_ = nullptr;
  const RnlHead* heads_ = nullptr;
  uint32_t widths_[kLoadableRecords] = {};
};

// Validates `size` bytes at `data` as an .rnl file and, on kOk, points `out` at them.
// `data` must be 64-byte aligned (else kBufferMisaligned: tensors are read in place as
// float arrays at 64-byte aligned offsets; copy into an aligned buffer or mmap the file).
// `size` may exceed the file (e.g. a flash partition); only header.file_bytes are used.
// On any other status `out` is left empty.
Status open(const void* data, size_t size, ModelFile* out);

// "kDense", "kSelfAttention", ...; "unknown" for codes not in the Op enum.
const char* op_name(uint32_t op);

// Whether hp[k] of `op` holds float32 bits (eps, alpha) rather than an integer.
bool hp_is_float(uint32_t op, uint32_t k);

// Bit pattern <-> float of hyper-parameters marked "f32 bits" in rnl_spec.h.
float hp_to_float(int32_t bits);
int32_t float_to_hp(float value);

}  // namespace rnl
}  // namespace runnel

#endif  // RUNNEL_ENGINE_FORMAT_RNL_READER_H_
