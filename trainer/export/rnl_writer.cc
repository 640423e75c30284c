#include "trainer/export/rnl_writer.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>

#include "engine/format/crc32.h"
#include "engine/format/rnl_reader.h"
#include "trainer/io/atomic_file.h"

namespace runnel {
namespace rnl {
namespace {

uint64_t align_up(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("rnl writer: " + what);
}

void copy_name(const std::string& name, char (&field)[kNameBytes]) {
  require(!name.empty() && name.size() < kNameBytes && name.find('\0') == std::string::npos,
          "name \"" + name + "\" must be 1.." + std::to_string(kNameBytes - 1) + " bytes without NUL");
  std::memset(field, 0, kNameBytes);
  std::memcpy(field, name.data(), name.size());
}

template <typename T>
void append(std::vector<uint8_t>* out, const T* items, size_t count) {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(items);
  out->insert(out->end(), bytes, bytes + count * sizeof(T));
}

// A copy of `bytes` at a 64-byte aligned address, as the reader requires.
class AlignedCopy {
 public:
  explicit AlignedCopy(const std::vector<uint8_t>& bytes)
      : storage_(new uint8_t[bytes.size() + kAlignment]) {
    const uintptr_t raw = reinterpret_cast<uintptr_t>(storage_.get());
    data_ = storage_.get() + (align_up(raw, kAlignment) - raw);
    std::memcpy(data_, bytes.data(), bytes.size());
  }
  const uint8_t* data() const { return data_; }

 private:
  std::unique_ptr<uint8_t[]> storage_;
  uint8_t* data_;
};

}  // namespace

uint32_t RnlWriter::add_tensor(const std::string& name, const std::vector<uint32_t>& shape,
                               const std::vector<float>& data) {
  require(tensors_.size() < kMaxTensors, "too many tensors");
  require(!shape.empty() && shape.size() <= kMaxRank, "tensor " + name + ": rank must be 1..4");
  RnlTensor t{};
  copy_name(name, t.name);
  t.dtype = static_cast<uint32_t>(DType::kF32);
  t.rank = static_cast<uint32_t>(shape.size());
  uint64_t elements = 1;
  for (uint32_t axis = 0; axis < kMaxRank; ++axis) {
    t.shape[axis] = axis < shape.size() ? shape[axis] : 1;
    elements *= t.shape[axis];
  }
  require(elements == data.size(), "tensor " + name + ": shape has " + std::to_string(elements) +
                                       " elements, data " + std::to_string(data.size()));
  t.bytes = elements * sizeof(float);
  tensors_.push_back(t);
  data_.push_back(data);
  return static_cast<uint32_t>(tensors_.size() - 1);
}

uint32_t RnlWriter::add_record(Op op, const std::vector<uint32_t>& inputs,
                               const std::vector<int32_t>& hp, const std::vector<uint32_t>& tensors) {
  require(records_.size() < kMaxRecords, "too many records");
  require(inputs.size() <= kRecordInputs && hp.size() <= kRecordParams &&
              tensors.size() <= kRecordTensors,
          std::string("record of ") + op_name(static_cast<uint32_t>(op)) + ": too many inputs, hp or tensors");
  RnlRecord r{};
  r.op = static_cast<uint32_t>(op);
  r.n_inputs = static_cast<uint32_t>(inputs.size());
  for (uint32_t k = 0; k < kRecordInputs; ++k) r.in[k] = k < inputs.size() ? inputs[k] : kNoRef;
  for (uint32_t k = 0; k < kRecordParams; ++k) r.hp[k] = k < hp.size() ? hp[k] : 0;
  for (uint32_t k = 0; k < kRecordTensors; ++k) r.tensor[k] = k < tensors.size() ? tensors[k] : kNoRef;
  records_.push_back(r);
  return static_cast<uint32_t>(records_.size() - 1);
}

uint32_t RnlWriter::add_vocab(const std::string& field, const std::vector<std::string>& strings, VocabKind kind) {
  require(vocabs_.size() < kMaxVocabs, "too many vocabularies");
  require(strings.size() < kMaxVocabSize, "vocabulary " + field + " too large");
  char check[kNameBytes];
  copy_name(field, check);
  std::set<std::string> seen;
  Vocab v{field, {""}, kind};
  for (const std::string& s : strings) {
    require(!s.empty() && seen.insert(s).second, "vocabulary " + field + ": empty or repeated string");
    v.strings.push_back(s);
  }
  vocabs_.push_back(std::move(v));
  return static_cast<uint32_t>(vocabs_.size() - 1);
}

void RnlWriter::add_name_column(ColumnRole role, const std::string& name) {
  require(role == ColumnRole::kEntity || role == ColumnRole::kTime, "column " + name + ": not an entity or time role");
  RnlColumn c{};
  copy_name(name, c.name);
  c.role = static_cast<uint8_t>(role);
  columns_.push_back(c);
}

void RnlWriter::add_value_column(ColumnRole role, const std::string& name, Transform transform,
                                 bool missing_indicator, float mean, float std) {
  require(role == ColumnRole::kNumeric || role == ColumnRole::kStatic, "column " + name + ": not a numeric or static role");
  require(role == ColumnRole::kNumeric || !missing_indicator, "static column " + name + ": no missing indicator");
  RnlColumn c{};
  copy_name(name, c.name);
  c.role = static_cast<uint8_t>(role);
  c.transform = static_cast<uint8_t>(transform);
  c.missing_indicator = missing_indicator ? 1 : 0;
  uint32_t next = 0;   // the next free numeric value or static feature
  for (const RnlColumn& other : columns_)
    if (other.role == c.role) next = other.index + 1 + other.missing_indicator;
  c.index = next;
  c.mean = mean;
  c.std = std;
  columns_.push_back(c);
}

void RnlWriter::name_output(uint32_t record, const std::string& name) {
  char check[kNameBytes];
  copy_name(name, check);
  output_names_.emplace_back(record, name);
}

// The declared columns, plus identity columns for numeric values / static features when
// none of that role was declared (hand-built test models).
std::vector<RnlColumn> RnlWriter::column_entries() const {
  std::vector<RnlColumn> out = columns_;
  auto declared = [&](ColumnRole role) {
    for (const RnlColumn& c : columns_)
      if (c.role == static_cast<uint8_t>(role)) return true;
    return false;
  };
  auto fill = [&](ColumnRole role, const char* prefix, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) {
      RnlColumn c{};
      copy_name(prefix + std::to_string(i), c.name);
      c.role = static_cast<uint8_t>(role);
      c.index = i;
      c.std = 1.0f;
      out.push_back(c);
    }
  };
  if (!declared(ColumnRole::kNumeric)) fill(ColumnRole::kNumeric, "numeric", n_numeric_);
  if (!declared(ColumnRole::kStatic)) fill(ColumnRole::kStatic, "static", n_static_);
  return out;
}

// One head per kOutput record, in record order.
std::vector<RnlHead> RnlWriter::head_entries() const {
  std::vector<RnlHead> out;
  for (uint32_t r = 0; r < records_.size(); ++r) {
    if (records_[r].op != static_cast<uint32_t>(Op::kOutput)) continue;
    std::string name = "output" + std::to_string(out.size());
    for (const auto& [record, given] : output_names_)
      if (record == r) name = given;
    RnlHead h{};
    copy_name(name, h.name);
    h.record = r;
    out.push_back(h);
  }
  return out;
}

// Per field: uint32 offsets[size+1] (relative to the end of that array), then the strings.
std::vector<uint8_t> RnlWriter::vocab_blob(uint64_t blob_offset, std::vector<RnlVocab>* entries) const {
  std::vector<uint8_t> blob;
  for (const Vocab& v : vocabs_) {
    blob.resize(align_up(blob.size(), sizeof(uint32_t)), 0);
    RnlVocab entry{};
    copy_name(v.field, entry.field);
    entry.size = static_cast<uint32_t>(v.strings.size());
    entry.kind = static_cast<uint32_t>(v.kind);
    entry.blob_offset = blob_offset + blob.size();
    std::vector<uint32_t> offsets{0};
    for (const std::string& s : v.strings) offsets.push_back(offsets.back() + static_cast<uint32_t>(s.size()));
    append(&blob, offsets.data(), offsets.size());
    for (const std::string& s : v.strings) append(&blob, s.data(), s.size());
    entries->push_back(entry);
  }
  return blob;
}

std::vector<uint8_t> RnlWriter::bytes() const {
  RnlHeader h{};
  h.magic = kMagic;
  h.version = kVersion;
  h.endian_tag = kEndianTag;
  h.header_bytes = sizeof(RnlHeader);
  h.n_records = static_cast<uint32_t>(records_.size());
  h.n_tensors = static_cast<uint32_t>(tensors_.size());
  h.n_vocabs = static_cast<uint32_t>(vocabs_.size());
  h.n_numeric = n_numeric_;
  h.n_static = n_static_;
  const std::vector<RnlColumn> columns = column_entries();
  const std::vector<RnlHead> heads = head_entries();
  h.n_columns = static_cast<uint32_t>(columns.size());
  h.n_heads = static_cast<uint32_t>(heads.size());
  h.vocab_blob_offset = sizeof(RnlHeader) + records_.size() * sizeof(RnlRecord) +
                        tensors_.size() * sizeof(RnlTensor) + vocabs_.size() * sizeof(RnlVocab) +
                        columns.size() * sizeof(RnlColumn) + heads.size() * sizeof(RnlHead);
  std::vector<RnlVocab> vocab_entries;
  const std::vector<uint8_t> blob = vocab_blob(h.vocab_blob_offset, &vocab_entries);
  h.data_offset = align_up(h.vocab_blob_offset + blob.size(), kAlignment);

  std::vector<RnlTensor> tensors = tensors_;
  uint64_t end = h.data_offset;
  for (RnlTensor& t : tensors) {
    t.offset = align_up(end, kAlignment);
    end = t.offset + t.bytes;
  }
  h.file_bytes = end;

  std::vector<uint8_t> out;
  out.reserve(end);
  append(&out, &h, 1);
  append(&out, records_.data(), records_.size());
  append(&out, tensors.data(), tensors.size());
  append(&out, vocab_entries.data(), vocab_entries.size());
  append(&out, columns.data(), columns.size());
  append(&out, heads.data(), heads.size());
  append(&out, blob.data(), blob.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    out.resize(tensors[i].offset, 0);
    append(&out, data_[i].data(), data_[i].size());
  }
  out.resize(end, 0);   // a file without tensors still ends at its (aligned) data section
  set_file_crc(&out);
  return out;
}

void set_file_crc(std::vector<uint8_t>* file) {
  if (file->size() < sizeof(RnlHeader)) return;
  uint32_t crc = 0;
  std::memcpy(file->data() + offsetof(RnlHeader, file_crc32), &crc, sizeof crc);
  crc = crc32(file->data(), file->size());
  std::memcpy(file->data() + offsetof(RnlHeader, file_crc32), &crc, sizeof crc);
}

void RnlWriter::write_file(const std::string& path) const {
  const std::vector<uint8_t> file = bytes();
  const AlignedCopy aligned(file);
  const auto model = std::make_unique<ModelFile>();   // ~16 KiB: not on the stack
  const Status s = open(aligned.data(), file.size(), model.get());
  if (s != Status::kOk)
    throw std::runtime_error(path + ": refusing to write an invalid model: " + status_name(s) + ": " +
                             status_message(s));
  io::write_file_atomically(path, file);
}

}  // namespace rnl
}  // namespace runnel
