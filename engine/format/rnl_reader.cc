#include "engine/format/rnl_reader.h"

#include <cstddef>
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

// The CRC covers the whole file with its own four bytes read as zero, so a flipped bit
// anywhere (header included) is caught; computed in place, without a copy.
uint32_t file_crc(const uint8_t* base, uint64_t file_bytes) {
  constexpr size_t at = offsetof(RnlHeader, file_crc32);
  constexpr uint8_t zeros[sizeof(uint32_t)] = {};
  uint32_t crc = crc32_update(0, base, at);
  crc = crc32_update(crc, zeros, sizeof zeros);
  return crc32_update(crc, base + at + sizeof zeros, static_cast<size_t>(file_bytes - at - sizeof zeros));
}

Status check_size_and_crc(const uint8_t* base, const RnlHeader& h, size_t size) {
  if (h.header_bytes != kHeaderBytes || h.file_bytes < kHeaderBytes) return Status::kBadHeader;
  if (h.file_bytes > size) return Status::kTruncated;
  if (file_crc(base, h.file_bytes) != h.file_crc32) return Status::kCrcMismatch;
  return Status::kOk;
}

Status check_limits(const RnlHeader& h) {
  const bool within = h.n_records <= kLoadableRecords && h.n_tensors <= kMaxTensors &&
                      h.n_vocabs <= kMaxVocabs && h.n_numeric <= kMaxNumeric &&
                      h.n_static <= kMaxStatic && h.n_columns <= kMaxColumns &&
                      h.n_heads <= kMaxOutputs;
  return within ? Status::kOk : Status::kLimitExceeded;
}

uint64_t tables_end(const RnlHeader& h) {
  return kHeaderBytes + uint64_t{h.n_records} * sizeof(RnlRecord) + uint64_t{h.n_tensors} * sizeof(RnlTensor) +
         uint64_t{h.n_vocabs} * sizeof(RnlVocab) + uint64_t{h.n_columns} * sizeof(RnlColumn) +
         uint64_t{h.n_heads} * sizeof(RnlHead);
}

// The five tables follow the header back to back; then the vocabulary blob, then the
// 64-byte aligned data section, up to the end of the file.
Status check_sections(const RnlHeader& h) {
  const uint64_t end = tables_end(h);
  if (end > h.file_bytes) return Status::kTruncated;
  if (h.vocab_blob_offset != end) return Status::kBadHeader;
  if (h.data_offset % kAlignment != 0) return Status::kBadHeader;
  for (uint32_t r : h.reserved)
    if (r != 0) return Status::kBadHeader;
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

bool finite(float x) { return x - x == 0.0f; }   // false for NaN and infinities

// A NaN or infinite weight would turn every output it reaches into garbage (or into a
// constant, when a max or a comparison swallows it): refused here, once, rather than
// discovered per event. One pass over the data, like the CRC.
Status check_values(const uint8_t* base, const RnlTensor& t) {
  const float* x = reinterpret_cast<const float*>(base + t.offset);
  const uint64_t n = t.bytes / kF32Bytes;
  for (uint64_t i = 0; i < n; ++i)
    if (!finite(x[i])) return Status::kNonFiniteWeight;
  return Status::kOk;
}

// offsets[size+1] then the strings, all inside the blob [vocab_blob_offset, data_offset).
// Id 0 is the empty string; every other string is non-empty, so offsets strictly grow
// from id 1 on and a lookup of "" can only mean "unknown".
Status check_vocab(const uint8_t* base, const RnlVocab& v, const RnlHeader& h) {
  const Status name = check_name(v.field);
  if (name != Status::kOk) return name;
  if (v.size > kMaxVocabSize) return Status::kLimitExceeded;
  if (v.size == 0) return Status::kVocabOutOfBounds;
  if (v.kind > static_cast<uint32_t>(VocabKind::kClassLabels)) return Status::kBadSchema;
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

// The input schema: at most one entity and one time column (names only); numeric
// columns filling the event's numeric values in order (one value each, two with a
// missing indicator), static columns filling the static features in order; both with a
// known transform and finite train statistics, std > 0.
Status check_columns(const RnlColumn* columns, const RnlHeader& h) {
  uint32_t numeric = 0, statics = 0, entity = 0, time = 0;
  for (uint32_t i = 0; i < h.n_columns; ++i) {
    const RnlColumn& c = columns[i];
    const Status name = check_name(c.name);
    if (name != Status::kOk) return name;
    if (c.reserved != 0 || c.transform > static_cast<uint8_t>(Transform::kLog1p) || c.missing_indicator > 1)
      return Status::kBadSchema;
    const auto role = static_cast<ColumnRole>(c.role);
    if (role == ColumnRole::kEntity || role == ColumnRole::kTime) {
      uint32_t& seen = role == ColumnRole::kEntity ? entity : time;
      const bool names_only = c.transform == 0 && c.missing_indicator == 0 && c.index == 0 && c.mean == 0.0f &&
                              c.std == 0.0f;
      if (++seen > 1 || !names_only) return Status::kBadSchema;
      continue;
    }
    const bool statistics = finite(c.mean) && finite(c.std) && c.std > 0.0f;
    if (role == ColumnRole::kNumeric) {
      if (c.index != numeric || !statistics) return Status::kBadSchema;
      numeric += 1 + c.missing_indicator;
    } else if (role == ColumnRole::kStatic) {
      if (c.index != statics || !statistics || c.missing_indicator != 0) return Status::kBadSchema;
      statics += 1;
    } else {
      return Status::kBadSchema;
    }
  }
  return numeric == h.n_numeric && statics == h.n_static ? Status::kOk : Status::kBadSchema;
}

// One head per kOutput record, in record order, with distinct names.
Status check_heads(const RnlHead* heads, const RnlRecord* records, const RnlHeader& h) {
  uint32_t k = 0;
  for (uint32_t r = 0; r < h.n_records; ++r) {
    if (records[r].op != static_cast<uint32_t>(Op::kOutput)) continue;
    if (k == h.n_heads) return Status::kBadSchema;
    const RnlHead& head = heads[k++];
    const Status name = check_name(head.name);
    if (name != Status::kOk) return name;
    if (head.record != r || head.reserved[0] != 0 || head.reserved[1] != 0 || head.reserved[2] != 0)
      return Status::kBadSchema;
  }
  if (k != h.n_heads) return Status::kBadSchema;
  for (uint32_t a = 0; a < h.n_heads; ++a)
    for (uint32_t b = a + 1; b < h.n_heads; ++b)
      if (std::memcmp(heads[a].name, heads[b].name, kNameBytes) == 0) return Status::kBadSchema;
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

// Where the tables start: back to back after the header (sizes checked by check_sections).
struct Tables {
  const RnlRecord* records;
  const RnlTensor* tensors;
  const RnlVocab* vocabs;
  const RnlColumn* columns;
  const RnlHead* heads;
};

Tables tables_of(const uint8_t* base, const RnlHeader& h) {
  Tables t;
  t.records = table_at<RnlRecord>(base, kHeaderBytes);
  t.tensors = reinterpret_cast<const RnlTensor*>(t.records + h.n_records);
  t.vocabs = reinterpret_cast<const RnlVocab*>(t.tensors + h.n_tensors);
  t.columns = reinterpret_cast<const RnlColumn*>(t.vocabs + h.n_vocabs);
  t.heads = reinterpret_cast<const RnlHead*>(t.columns + h.n_columns);
  return t;
}

Status validate(const uint8_t* base, size_t size, uint32_t* widths) {
  if (size < kHeaderBytes) return Status::kTruncated;
  const RnlHeader& h = *table_at<RnlHeader>(base, 0);
  Status s = check_identity(h);
  if (s == Status::kOk) s = check_size_and_crc(base, h, size);
  if (s == Status::kOk) s = check_limits(h);
  if (s == Status::kOk) s = check_sections(h);
  if (s != Status::kOk) return s;

  const Tables t = tables_of(base, h);
  const GraphContext graph{&h, t.records, t.tensors, t.vocabs, widths};
  for (uint32_t i = 0; i < h.n_tensors; ++i)
    if ((s = check_tensor(graph.tensors[i], h)) != Status::kOk) return s;
  for (uint32_t i = 0; i < h.n_tensors; ++i)
    if ((s = check_values(base, graph.tensors[i])) != Status::kOk) return s;
  for (uint32_t f = 0; f < h.n_vocabs; ++f)
    if ((s = check_vocab(base, graph.vocabs[f], h)) != Status::kOk) return s;
  if ((s = check_columns(t.columns, h)) != Status::kOk) return s;
  if ((s = check_graph(graph, widths)) != Status::kOk) return s;
  return check_heads(t.heads, t.records, h);
}

}  // namespace

Status open(const void* data, size_t size, ModelFile* out) {
  if (out == nullptr) return Status::kBadArgument;
  out->base_ = nullptr;
  out->header_ = nullptr;
  out->records_ = nullptr;
  out->tensors_ = nullptr;
  out->vocabs_ = nullptr;
  out->columns_ = nullptr;
  out->heads_ = nullptr;
  if (data == nullptr) return Status::kBadArgument;
  if (reinterpret_cast<uintptr_t>(data) % kAlignment != 0) return Status::kBufferMisaligned;
  const uint8_t* base = static_cast<const uint8_t*>(data);
  const Status s = validate(base, size, out->widths_);
  if (s != Status::kOk) return s;

  const RnlHeader* h = table_at<RnlHeader>(base, 0);
  const Tables t = tables_of(base, *h);
  out->base_ = base;
  out->header_ = h;
  out->records_ = t.records;
  out->tensors_ = t.tensors;
  out->vocabs_ = t.vocabs;
  out->columns_ = t.columns;
  out->heads_ = t.heads;
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

ColumnView ModelFile::column(uint32_t i) const {
  const RnlColumn& c = columns_[i];
  ColumnView v;
  v.name = std::string_view(c.name, name_length(c.name));
  v.role = static_cast<ColumnRole>(c.role);
  v.transform = static_cast<Transform>(c.transform);
  v.missing_indicator = c.missing_indicator != 0;
  v.index = c.index;
  v.mean = c.mean;
  v.std = c.std;
  return v;
}

int32_t ModelFile::find_column(ColumnRole role) const {
  for (uint32_t i = 0; i < n_columns(); ++i)
    if (columns_[i].role == static_cast<uint8_t>(role)) return static_cast<int32_t>(i);
  return -1;
}

std::string_view ModelFile::head_name(uint32_t k) const {
  return std::string_view(heads_[k].name, name_length(heads_[k].name));
}

int32_t ModelFile::find_head(std::string_view name) const {
  for (uint32_t k = 0; k < n_heads(); ++k)
    if (head_name(k) == name) return static_cast<int32_t>(k);
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
