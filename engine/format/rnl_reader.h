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

// The vocabulary of one categorical input field: id <-> string, id 0 = "" (unknown).
class VocabView {
 public:
  VocabView() = default;
  VocabView(const RnlVocab* entry, const uint32_t* offsets, const char* strings)
      : entry_(entry), offsets_(offsets), strings_(strings) {}

  std::string_view field() const;
  uint32_t size() const { return entry_ == nullptr ? 0 : entry_->size; }
  // The string of `id`; "" for id 0 and for ids outside the vocabulary.
  std::string_view string(uint32_t id) const;
  // The id of `s`; 0 (unknown) for strings not in the vocabulary, and for "".
  uint32_t id(std::string_view s) const;

 private:
  const RnlVocab* entry_ = nullptr;
  const uint32_t* offsets_ = nullptr;  // size + 1 entries, relative to strings_
  const char* strings_ = nullptr;
};

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

 private:
  friend Status open(const void* data, size_t size, ModelFile* out);

  const uint8_t* base_ = nullptr;
  const RnlHeader* header_ = nullptr;
  const RnlRecord* records_ = nullptr;
  const RnlTensor* tensors_ = nullptr;
  const RnlVocab* vocabs_ = nullptr;
  uint32_t widths_[kMaxRecords] = {};
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
