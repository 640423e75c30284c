// Surgical edits of an .rnl byte image, for crafting malformed files: locate a header
// field, a record, a tensor entry or a vocabulary entry, overwrite it, and (unless the
// CRC itself is the point) recompute the file CRC so the reader gets past it.
#ifndef RUNNEL_TOOLS_TESTDATA_CORRUPT_H_
#define RUNNEL_TOOLS_TESTDATA_CORRUPT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "engine/format/crc32.h"
#include "engine/format/rnl_spec.h"

namespace runnel {
namespace testdata {

using Bytes = std::vector<uint8_t>;

template <typename T>
T get(const Bytes& b, size_t offset) {
  if (offset + sizeof(T) > b.size()) throw std::out_of_range("corrupt: get past the end");
  T v;
  std::memcpy(&v, b.data() + offset, sizeof v);
  return v;
}

template <typename T>
void put(Bytes& b, size_t offset, T value) {
  if (offset + sizeof(T) > b.size()) throw std::out_of_range("corrupt: put past the end");
  std::memcpy(b.data() + offset, &value, sizeof value);
}

inline rnl::RnlHeader header_of(const Bytes& b) { return get<rnl::RnlHeader>(b, 0); }

// Byte offsets of table entries (the tables follow the header back to back).
inline size_t record_at(const Bytes& b, uint32_t i) {
  (void)b;
  return sizeof(rnl::RnlHeader) + size_t{i} * sizeof(rnl::RnlRecord);
}
inline size_t tensor_at(const Bytes& b, uint32_t i) {
  return record_at(b, header_of(b).n_records) + size_t{i} * sizeof(rnl::RnlTensor);
}
inline size_t vocab_at(const Bytes& b, uint32_t f) {
  return tensor_at(b, header_of(b).n_tensors) + size_t{f} * sizeof(rnl::RnlVocab);
}
inline size_t column_at(const Bytes& b, uint32_t i) {
  return vocab_at(b, header_of(b).n_vocabs) + size_t{i} * sizeof(rnl::RnlColumn);
}
inline size_t head_at(const Bytes& b, uint32_t k) {
  return column_at(b, header_of(b).n_columns) + size_t{k} * sizeof(rnl::RnlHead);
}

// Index of the first record with op `op`.
inline uint32_t first_record(const Bytes& b, rnl::Op op) {
  for (uint32_t i = 0; i < header_of(b).n_records; ++i)
    if (get<uint32_t>(b, record_at(b, i)) == static_cast<uint32_t>(op)) return i;
  throw std::logic_error("corrupt: no record with that op");
}

// Tensor-table index in slot `slot` of record `r`.
inline uint32_t tensor_of(const Bytes& b, uint32_t r, uint32_t slot) {
  return get<uint32_t>(b, record_at(b, r) + offsetof(rnl::RnlRecord, tensor) + 4 * slot);
}

// The whole-file CRC (its own field read as zero), as the writer computes it.
inline void fix_crc(Bytes& b) {
  const size_t end = static_cast<size_t>(header_of(b).file_bytes);
  if (end < sizeof(rnl::RnlHeader) || end > b.size()) return;   // nothing sensible to fix
  put<uint32_t>(b, offsetof(rnl::RnlHeader, file_crc32), 0u);
  put<uint32_t>(b, offsetof(rnl::RnlHeader, file_crc32), rnl::crc32(b.data(), end));
}

}  // namespace testdata
}  // namespace runnel

#endif  // RUNNEL_TOOLS_TESTDATA_CORRUPT_H_
