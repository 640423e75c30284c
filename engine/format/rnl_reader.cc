#include "engine/format/rnl_reader.h"

#include <cstring>

#include "engine/format/bounds.h"
#include "engine/format/crc32.h"
#include "engine/format/op_rules.h"

namespace runnel {
namespace rnl {
namespace {

constexpr uint64_t kHeaderBytes = sizeof(RnlHeader);
constexpr uint64_t kF32Bytes = 4;

constexpr uint32_t byte_swapped(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
}

// Length of a NUL-padded name field (kNameBytes when it has no NUL).
size_t name_length(const char* name) {
  size_t n = 0;
  while (n < kNameBytes && name[n] != '\0') ++n;
  return n;
}

// Non-empty, NUL-terminated inside its field, and only NULs after the terminator (so two
// writers of the same model produce the same bytes and the same CRC).
Status check_name(const char* name) {
  const size_t n = name_length(name);
  if (n == 0 || n == kNameBytes) return Status::kBadName;
  for (size_t i = n; i < kNameBytes; ++i)
    if (name[i] != '\0') return Status::kBadName;
  return Status::kOk;
}

// Magic, byte order and version: whether this is a file this reader understands at all.
// A big-endian writer stores the magic and the tag byte-swapped; say so rather than
// "bad magic", and check the order before the version, which would read swapped too.
Status check_identity(const RnlHeader& h) {
  if (h.magic == byte_swapped(kMagic)) return Status::kBadEndianness;
  if (h.magic != kMagic) return Status::kBadMagic;
  if (h.endian_tag == byte_swapped(kEndianTag)) return Status::kBadEndianness;
  if (h.endian_tag != kEndianTag) return Status::kBadHeader;
  if (h.version != kVersion) return Status::kBadVersion;
  return Status::kOk;
}

Status check_size_and_crc(const uint8_t* base, const RnlHeader& h, size_t size) {
  if (h.header_bytes != kHeaderBytes || h.file_bytes < kHeaderBytes) return Status::kBadHeader;
  if (h.file_bytes > size) return Status::kTruncated;
  const uint32_t crc = crc32(base + kHeaderBytes, static_cast<size_t>(h.file_bytes - kHeaderBytes));
  if (crc != h.payload_crc32) return Status::kCrcMismatch;
  return Status::kOk;
}

Status check_limits(const RnlHeader& h) {
  const bool within = h.n_records <= kMaxRecords && h.n_tensors <= kMaxTensors &&
                      h.n_vocabs <= kMaxVocabs && h.n_numeric <= kMaxNumeric &&
                      h.n_static <= kMaxStatic;
  return within ? Status::kOk : Status::kLimitExceeded;
}

// The three tables follow the header back to back; then the vocabulary blob, then the
// 64-byte aligned data section, up to the end of the file.
Status check_sections(const RnlHeader& h) {
  const uint64_t tables_end = kHeaderBytes + uint64_t{h.n_records} * sizeof(RnlRecord) +
                              uint64_t{h.n_tensors} * sizeof(RnlTensor) +
                              uint64_t{h.n_vocabs} * sizeof(RnlVocab);
  if (tables_end > h.file_bytes) return Status::kTruncated;
  if (h.vocab_blob_offset != tables_end) return Status::kBadHeader;
  if (h.data_offset % kAlignment != 0) return Status::kBadHeader;
  if (h.data_offset < h.vocab_blob_offset || h.data_offset > h.file_bytes)
    return Status::kOffsetOutOfBounds;
  return Status::kOk;
}

Status check_shape(const RnlTensor& t) {
  if (t.rank < 1 || t.rank > kMaxRank) return Status::kBadTensorEntry;
  uint64_t elements = 1;
  for (uint32_t axis = 0; axis < kMaxRank; ++axis) {
    const uint32_t d = t.shape[axis];
    if (axis >= t.rank) {
      if (d != 1) return Status::kBadTensorEntry;
      continue;
    }
    if (d == 0 || d > kMaxDim) return Status::kShapeOverflow;
    if (!multiply_within(elements, d, kMaxTensorElements, &elements)) return Status::kShapeOverflow;
  }
  if (t.bytes != elements * kF32Bytes) return Status::kBadTensorEntry;
  return Status::kOk;
}

Status check_tensor(const RnlTensor& t, const RnlHeader& h) {
  const Status name = check_name(t.name);
  if (name != Status::kOk) return name;
  if (t.dtype != static_cast<uint32_t>(DType::kF32)) return Status::kUnknownDType;
  if (t.reserved != 0) return Status::kBadTensorEntry;
  const Status shape = check_shape(t);
  if (shape != Status::kOk) return shape;
  if (t.offset % kAlignment != 0) return Status::kMisalignedTensor;
  if (!range_inside(t.offset, t.bytes, h.data_offset, h.file_bytes)) return Status::kOffsetOutOfBounds;
  return Status::kOk;
}

// offsets[size+1] then the strings, all inside the blob [vocab_blob_offset, data_offset).
// Id 0 is the empty string; every other string is non-empty, so offsets strictly grow
// from id 1 on and a lookup of "" can only mean "unknown".
Status check_vocab(const uint8_t* base, const RnlVocab& v, const RnlHeader& h) {
  const Status name = check_name(v.field);
  if (name != Status::kOk) return name;
  if (v.size > kMaxVocabSize) return Status::kLimitExceeded;
  if (v.size == 0 || v.reserved != 0) return Status::kVocabOutOfBounds;
  const uint64_t table_bytes = (uint64_t{v.size} + 1) * sizeof(uint32_t);
  if (v.blob_offset % sizeof(uint32_t) != 0 ||
      !range_inside(v.blob_offset, table_bytes, h.vocab_blob_offset, h.data_offset))
    return Status::kVocabOutOfBounds;
  const uint32_t* offsets = reinterpret_cast<const uint32_t*>(base + v.blob_offset);
  if (offsets[0] != 0 || offsets[1] != 0) return Status::kVocabOutOfBounds;
  for (uint32_t id = 1; id < v.size; ++id)
    if (offsets[id + 1] <= offsets[id]) return Status::kVocabOutOfBounds;
  if (!range_inside(v.blob_offset + table_bytes, offsets[v.size], h.vocab_blob_offset, h.data_offset))
    return Status::kVocabOutOfBounds;
  return Status::kOk;
}

Status check_graph(const GraphContext& graph, uint32_t* widths) {
  bool has_output = false;
  for (uint32_t i = 0; i < graph.header->n_records; ++i) {
    const Status s = check_record(graph, i, &widths[i]);
    if (s != Status::kOk) return s;
    has_output = has_output || graph.records[i].op == static_cast<uint32_t>(Op::kOutput);
  }
  return has_output ? Status::kOk : Status::kBadGraph;
}

template <typename T>
const T* table_at(const uint8_t* base, uint64_t offset) {
  return reinterpret_cast<const T*>(base + offset);
}

Status validate(const uint8_t* base, size_t size, uint32_t* widths) {
  if (size < kHeaderBytes) return Status::kTruncated;
  const RnlHeader& h = *table_at<RnlHeader>(base, 0);
  Status s = check_identity(h);
  if (s == Status::kOk) s = check_size_and_crc(base, h, size);
  if (s == Status::kOk) s = check_limits(h);
  if (s == Status::kOk) s = check_sections(h);
  if (s != Status::kOk) return s;

  const uint64_t tensors_at = kHeaderBytes + uint64_t{h.n_records} * sizeof(RnlRecord);
  const uint64_t vocabs_at = tensors_at + uint64_t{h.n_tensors} * sizeof(RnlTensor);
  const GraphContext graph{&h, table_at<RnlRecord>(base, kHeaderBytes),
                           table_at<RnlTensor>(base, tensors_at), table_at<RnlVocab>(base, vocabs_at),
                           widths};
  for (uint32_t i = 0; i < h.n_tensors; ++i)
    if ((s = check_tensor(graph.tensors[i], h)) != Status::kOk) return s;
  for (uint32_t f = 0; f < h.n_vocabs; ++f)
    if ((s = check_vocab(base, graph.vocabs[f], h)) != Status::kOk) return s;
  return check_graph(graph, widths);
}

}  // namespace

Status open(const void* data, size_t size, ModelFile* out) {
  if (out == nullptr) return Status::kBadArgument;
  out->base_ = nullptr;
  out->header_ = nullptr;
  out->records_ = nullptr;
  out->tensors_ = nullptr;
  out->vocabs_ = nullptr;
  if (data == nullptr) return Status::kBadArgument;
  if (reinterpret_cast<uintptr_t>(data) % kAlignment != 0) return Status::kBufferMisaligned;
  const uint8_t* base = static_cast<const uint8_t*>(data);
  const Status s = validate(base, size, out->widths_);
  if (s != Status::kOk) return s;

  const RnlHeader* h = table_at<RnlHeader>(base, 0);
  out->base_ = base;
  out->header_ = h;
  out->records_ = table_at<RnlRecord>(base, kHeaderBytes);
  out->tensors_ = reinterpret_cast<const RnlTensor*>(out->records_ + h->n_records);
  out->vocabs_ = reinterpret_cast<const RnlVocab*>(out->tensors_ + h->n_tensors);
  return Status::kOk;
}

TensorView ModelFile::tensor(uint32_t i) const {
  const RnlTensor& t = tensors_[i];
  TensorView view;
  view.name = std::string_view(t.name, name_length(t.name));
  view.rank = t.rank;
  view.shape = t.shape;
  view.elements = t.bytes / kF32Bytes;
  view.data = reinterpret_cast<const float*>(base_ + t.offset);
  return view;
}

TensorView ModelFile::record_tensor(uint32_t record, uint32_t slot) const {
  const uint32_t index = records_[record].tensor[slot];
  return index == kNoRef ? TensorView() : tensor(index);
}

int32_t ModelFile::find_tensor(std::string_view name) const {
  for (uint32_t i = 0; i < n_tensors(); ++i)
    if (std::string_view(tensors_[i].name, name_length(tensors_[i].name)) == name)
      return static_cast<int32_t>(i);
  return -1;
}

VocabView ModelFile::vocab(uint32_t field) const {
  const RnlVocab& v = vocabs_[field];
  const uint32_t* offsets = reinterpret_cast<const uint32_t*>(base_ + v.blob_offset);
  return VocabView(&v, offsets, reinterpret_cast<const char*>(offsets + v.size + 1));
}

int32_t ModelFile::find_vocab(std::string_view field) const {
  for (uint32_t f = 0; f < n_vocabs(); ++f)
    if (vocab(f).field() == field) return static_cast<int32_t>(f);
  return -1;
}

std::string_view VocabView::field() const {
  return entry_ == nullptr ? std::string_view() : std::string_view(entry_->field, name_length(entry_->field));
}

std::string_view VocabView::string(uint32_t id) const {
  if (id >= size()) return std::string_view();
  return std::string_view(strings_ + offsets_[id], offsets_[id + 1] - offsets_[id]);
}

uint32_t VocabView::id(std::string_view s) const {
  for (uint32_t id = 1; id < size(); ++id)
    if (string(id) == s) return id;
  return 0;
}

const char* op_name(uint32_t op) {
  const char* name = find_op_name(op);
  return name == nullptr ? "unknown" : name;
}

bool hp_is_float(uint32_t op, uint32_t k) { return k < 32 && (float_hp_mask(op) >> k) & 1u; }

float hp_to_float(int32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

int32_t float_to_hp(float value) {
  int32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

}  // namespace rnl
}  // namespace runnel
