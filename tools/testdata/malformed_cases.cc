#include "tools/testdata/malformed_cases.h"

#include <cstddef>
#include <limits>

#include "engine/format/rnl_reader.h"
#include "tools/testdata/corrupt.h"
#include "tools/testdata/sample_models.h"
#include "trainer/export/rnl_writer.h"

namespace runnel {
namespace testdata {
namespace {

using rnl::Op;
using rnl::RnlHeader;
using rnl::RnlRecord;
using rnl::RnlTensor;
using rnl::RnlVocab;
using rnl::RnlColumn;
using rnl::RnlHead;
using Edit = std::function<void(Bytes&)>;
using Maker = std::function<Bytes()>;

Bytes single_stream() { return single_stream_model().bytes(); }
Bytes two_stream() { return two_stream_model().bytes(); }
Bytes all_encoders() { return all_encoders_model().bytes(); }

// A valid model with one edit; the CRC is recomputed unless the CRC is what is tested.
Maker edited(Bytes (*base)(), Edit edit, bool keep_crc_valid = true) {
  return [=] {
    Bytes b = base();
    edit(b);
    if (keep_crc_valid) fix_crc(b);
    return b;
  };
}

template <typename T>
Edit header_field(size_t offset, T value) {
  return [=](Bytes& b) { put<T>(b, offset, value); };
}

// hp[k] of the first record with op `op`.
Edit hp_of(Op op, uint32_t k, int32_t value) {
  return [=](Bytes& b) {
    put<int32_t>(b, record_at(b, first_record(b, op)) + offsetof(RnlRecord, hp) + 4 * k, value);
  };
}

// A field of the record's own entry (op code, n_inputs, an input or a tensor slot).
template <typename T>
Edit record_field(Op op, size_t field_offset, T value) {
  return [=](Bytes& b) { put<T>(b, record_at(b, first_record(b, op)) + field_offset, value); };
}

// A field of the tensor in slot `slot` of the first record with op `op`.
template <typename T>
Edit tensor_field(Op op, uint32_t slot, size_t field_offset, T value) {
  return [=](Bytes& b) {
    put<T>(b, tensor_at(b, tensor_of(b, first_record(b, op), slot)) + field_offset, value);
  };
}

// Swaps dims 0 and 1 of a rank-2 tensor: same byte size, transposed shape.
Edit transpose(Op op, uint32_t slot) {
  return [=](Bytes& b) {
    const size_t at = tensor_at(b, tensor_of(b, first_record(b, op), slot)) + offsetof(RnlTensor, shape);
    const uint32_t d0 = get<uint32_t>(b, at), d1 = get<uint32_t>(b, at + 4);
    put<uint32_t>(b, at, d1);
    put<uint32_t>(b, at + 4, d0);
  };
}

template <typename T>
Edit vocab_field(uint32_t field, size_t field_offset, T value) {
  return [=](Bytes& b) { put<T>(b, vocab_at(b, field) + field_offset, value); };
}

template <typename T>
Edit column_field(uint32_t column, size_t field_offset, T value) {
  return [=](Bytes& b) { put<T>(b, column_at(b, column) + field_offset, value); };
}

template <typename T>
Edit head_field(uint32_t head, size_t field_offset, T value) {
  return [=](Bytes& b) { put<T>(b, head_at(b, head) + field_offset, value); };
}

// Removes the last head entry and keeps everything else consistent: the vocabulary blob
// moves up 64 bytes, followed by 64 bytes of padding, so the data section stays where it
// was (padding before it is allowed).
void drop_last_head(Bytes& b) {
  const rnl::RnlHeader h = header_of(b);
  const size_t at = head_at(b, h.n_heads - 1);
  b.erase(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + sizeof(rnl::RnlHead)));
  b.insert(b.begin() + static_cast<std::ptrdiff_t>(h.data_offset - sizeof(rnl::RnlHead)), sizeof(rnl::RnlHead), 0);
  put<uint32_t>(b, offsetof(RnlHeader, n_heads), h.n_heads - 1);
  put<uint64_t>(b, offsetof(RnlHeader, vocab_blob_offset), h.vocab_blob_offset - sizeof(rnl::RnlHead));
  for (uint32_t f = 0; f < h.n_vocabs; ++f) {
    const size_t entry = vocab_at(b, f) + offsetof(RnlVocab, blob_offset);
    put<uint64_t>(b, entry, get<uint64_t>(b, entry) - sizeof(rnl::RnlHead));
  }
}

// Entry `index` of vocabulary `field`'s offsets array.
Edit vocab_offset(uint32_t field, uint32_t index, uint32_t value) {
  return [=](Bytes& b) {
    const uint64_t blob = get<uint64_t>(b, vocab_at(b, field) + offsetof(RnlVocab, blob_offset));
    put<uint32_t>(b, static_cast<size_t>(blob) + 4 * index, value);
  };
}

// Small hand-made graphs whose defect the writer lets through (it only serialises).
Bytes add_of_different_widths() {
  rnl::RnlWriter w;
  w.add_vocab("A", {"x"});
  const uint32_t e = w.add_record(Op::kEmbed, {}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 4},
                                  {w.add_tensor("embed", {2, 4}, std::vector<float>(8, 0.5f))});
  const uint32_t s = w.add_record(Op::kStaticInput, {}, {0, 3}, {});
  w.set_n_static(3);
  const uint32_t sum = w.add_record(Op::kAdd, {e, s}, {}, {});
  w.add_record(Op::kOutput, {sum}, {1, -1, -1}, {});
  return w.bytes();
}

Bytes graph_without_output() {
  rnl::RnlWriter w;
  w.set_n_static(2);
  w.add_record(Op::kStaticInput, {}, {0, 2}, {});
  return w.bytes();
}

Bytes concat_wider_than_max_dim() {
  rnl::RnlWriter w;
  w.set_n_static(rnl::kMaxStatic);
  const uint32_t s = w.add_record(Op::kStaticInput, {}, {0, static_cast<int32_t>(rnl::kMaxStatic)}, {});
  uint32_t wide = s;
  // Each concat of 8 copies multiplies the width by 8: 1024 * 8^4 > kMaxDim = 2^20.
  for (int level = 0; level < 4; ++level) wide = w.add_record(Op::kConcat, std::vector<uint32_t>(8, wide), {}, {});
  w.add_record(Op::kOutput, {wide}, {1, -1, -1}, {});
  return w.bytes();
}

// Element `element` of the tensor in slot `slot` of the first record with op `op`.
Edit weight_value(Op op, uint32_t slot, uint32_t element, uint32_t bits) {
  return [=](Bytes& b) {
    const size_t at = tensor_at(b, tensor_of(b, first_record(b, op), slot)) + offsetof(RnlTensor, offset);
    put<uint32_t>(b, static_cast<size_t>(get<uint64_t>(b, at)) + 4 * size_t{element}, bits);
  };
}

uint32_t float_bits(float f) { return static_cast<uint32_t>(rnl::float_to_hp(f)); }

constexpr size_t kRecordIn0 = offsetof(RnlRecord, in);
constexpr size_t kRecordTensor0 = offsetof(RnlRecord, tensor);

}  // namespace

std::vector<MalformedCase> malformed_cases() {
  const Bytes valid = single_stream();
  const uint64_t file_bytes = valid.size();
  constexpr uint32_t kNoRef = rnl::kNoRef;
  return {
      // --- header ------------------------------------------------------------------
      {"truncated_header", Status::kTruncated, "only the first 40 bytes of a valid file",
       [] { Bytes b = single_stream(); b.resize(40); return b; }},
      {"truncated_body", Status::kTruncated, "a valid file minus its last byte",
       [] { Bytes b = single_stream(); b.pop_back(); return b; }},
      {"bad_magic", Status::kBadMagic, "magic is \"RNNX\"",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, magic), 0x584E4E52u))},
      {"big_endian", Status::kBadEndianness, "magic and endian tag byte-swapped, as a big-endian writer stores them",
       edited(single_stream, [](Bytes& b) {
         put<uint32_t>(b, offsetof(RnlHeader, magic), 0x524E4E4Cu);
         put<uint32_t>(b, offsetof(RnlHeader, endian_tag), 0x04030201u);
       })},
      {"swapped_endian_tag", Status::kBadEndianness, "endian tag reads 0x04030201",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, endian_tag), 0x04030201u))},
      {"bad_endian_tag", Status::kBadHeader, "endian tag is neither order's value",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, endian_tag), 0x11111111u))},
      {"version_1", Status::kBadVersion, "format version 1 (files of the first format are refused, not misread)",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, version), 1u))},
      {"version_3", Status::kBadVersion, "format version 3",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, version), 3u))},
      {"header_bytes_wrong", Status::kBadHeader, "header_bytes is 64 (version 1's header size)",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, header_bytes), 64u))},
      {"file_bytes_too_small", Status::kBadHeader, "file_bytes (32) smaller than the header",
       edited(single_stream, header_field<uint64_t>(offsetof(RnlHeader, file_bytes), 32u))},
      {"file_bytes_past_end", Status::kTruncated, "file_bytes one more than the bytes present",
       edited(single_stream, header_field<uint64_t>(offsetof(RnlHeader, file_bytes), file_bytes + 1))},
      {"crc_mismatch", Status::kCrcMismatch, "one weight byte changed, CRC left as it was",
       edited(single_stream, [](Bytes& b) { b[b.size() - 3] ^= 0x10; }, /*keep_crc_valid=*/false)},
      {"crc_mismatch_header", Status::kCrcMismatch, "n_numeric in the header changed, CRC left as it was",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, n_numeric), 3u), /*keep_crc_valid=*/false)},
      {"too_many_records", Status::kLimitExceeded, "n_records = kMaxRecords + 1",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, n_records), rnl::kMaxRecords + 1))},
      {"too_many_numeric", Status::kLimitExceeded, "n_numeric = kMaxNumeric + 1",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, n_numeric), rnl::kMaxNumeric + 1))},
      {"too_many_columns", Status::kLimitExceeded, "n_columns = kMaxColumns + 1",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, n_columns), rnl::kMaxColumns + 1))},
      {"too_many_heads", Status::kLimitExceeded, "n_heads = kMaxOutputs + 1",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, n_heads), rnl::kMaxOutputs + 1))},
      {"tables_past_end", Status::kTruncated, "n_tensors = 16000: the tensor table runs past the file",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, n_tensors), 16000u))},
      {"vocab_blob_offset_wrong", Status::kBadHeader, "vocab_blob_offset not right after the tables",
       edited(single_stream, [](Bytes& b) {
         put<uint64_t>(b, offsetof(RnlHeader, vocab_blob_offset), header_of(b).vocab_blob_offset + 4);
       })},
      {"data_offset_misaligned", Status::kBadHeader, "data_offset not a multiple of 64",
       edited(single_stream, [](Bytes& b) {
         put<uint64_t>(b, offsetof(RnlHeader, data_offset), header_of(b).data_offset + 4);
       })},
      {"header_reserved_nonzero", Status::kBadHeader, "a reserved header word is 1",
       edited(single_stream, header_field<uint32_t>(offsetof(RnlHeader, reserved) + 8, 1u))},
      {"data_offset_past_end", Status::kOffsetOutOfBounds, "data_offset beyond file_bytes",
       edited(single_stream, header_field<uint64_t>(offsetof(RnlHeader, data_offset), (file_bytes + 64) / 64 * 64))},
      // --- tensor table ----------------------------------------------------------------
      {"tensor_name_unterminated", Status::kBadName, "a tensor name fills all 48 bytes without NUL",
       edited(single_stream, [](Bytes& b) { std::memset(b.data() + tensor_at(b, 0), 'x', rnl::kNameBytes); })},
      {"tensor_name_empty", Status::kBadName, "a tensor name is empty",
       edited(single_stream, [](Bytes& b) { std::memset(b.data() + tensor_at(b, 2), 0, rnl::kNameBytes); })},
      {"tensor_name_garbage_after_nul", Status::kBadName, "bytes after a name's NUL are not NUL",
       edited(single_stream, [](Bytes& b) { b[tensor_at(b, 1) + rnl::kNameBytes - 1] = 'z'; })},
      {"tensor_dtype_unknown", Status::kUnknownDType, "dtype 2",
       edited(single_stream, tensor_field<uint32_t>(Op::kDense, 0, offsetof(RnlTensor, dtype), 2u))},
      {"tensor_rank_zero", Status::kBadTensorEntry, "rank 0",
       edited(single_stream, tensor_field<uint32_t>(Op::kDense, 1, offsetof(RnlTensor, rank), 0u))},
      {"tensor_rank_five", Status::kBadTensorEntry, "rank 5 > kMaxRank",
       edited(single_stream, tensor_field<uint32_t>(Op::kDense, 1, offsetof(RnlTensor, rank), 5u))},
      {"tensor_unused_dim_not_one", Status::kBadTensorEntry, "shape[3] of a rank-1 tensor is 2",
       edited(single_stream, tensor_field<uint32_t>(Op::kDense, 1, offsetof(RnlTensor, shape) + 12, 2u))},
      {"tensor_bytes_wrong", Status::kBadTensorEntry, "byte size 4 more than shape x 4",
       edited(single_stream, [](Bytes& b) {
         const size_t at = tensor_at(b, tensor_of(b, first_record(b, Op::kDense), 1)) + offsetof(RnlTensor, bytes);
         put<uint64_t>(b, at, get<uint64_t>(b, at) + 4);
       })},
      {"tensor_reserved_nonzero", Status::kBadTensorEntry, "reserved field is 1",
       edited(single_stream, tensor_field<uint64_t>(Op::kDense, 1, offsetof(RnlTensor, reserved), 1u))},
      {"tensor_dim_zero", Status::kShapeOverflow, "a dimension is 0",
       edited(single_stream, tensor_field<uint32_t>(Op::kDense, 0, offsetof(RnlTensor, shape), 0u))},
      {"tensor_dim_too_large", Status::kShapeOverflow, "a dimension is kMaxDim + 1",
       edited(single_stream, tensor_field<uint32_t>(Op::kDense, 0, offsetof(RnlTensor, shape), rnl::kMaxDim + 1))},
      {"tensor_shape_product_overflow", Status::kShapeOverflow, "shape [2^20, 2^20]: product over kMaxTensorElements",
       edited(single_stream, [](Bytes& b) {
         const size_t at = tensor_at(b, tensor_of(b, first_record(b, Op::kDense), 0)) + offsetof(RnlTensor, shape);
         put<uint32_t>(b, at, rnl::kMaxDim);
         put<uint32_t>(b, at + 4, rnl::kMaxDim);
       })},
      {"tensor_offset_misaligned", Status::kMisalignedTensor, "a tensor offset 4 bytes past a multiple of 64",
       edited(single_stream, [](Bytes& b) {
         const size_t at = tensor_at(b, 0) + offsetof(RnlTensor, offset);
         put<uint64_t>(b, at, get<uint64_t>(b, at) + 4);
       })},
      {"tensor_offset_wraps", Status::kOffsetOutOfBounds, "offset 2^64 - 64: offset + bytes wraps around",
       edited(single_stream, [](Bytes& b) {
         put<uint64_t>(b, tensor_at(b, 0) + offsetof(RnlTensor, offset), std::numeric_limits<uint64_t>::max() - 63);
       })},
      {"tensor_past_end", Status::kOffsetOutOfBounds, "the last tensor starts 64 bytes later, ending past the file",
       edited(single_stream, [](Bytes& b) {
         const size_t at = tensor_at(b, header_of(b).n_tensors - 1) + offsetof(RnlTensor, offset);
         put<uint64_t>(b, at, get<uint64_t>(b, at) + 64);
       })},
      {"tensor_before_data", Status::kOffsetOutOfBounds, "a tensor at offset 0 (inside the header)",
       edited(single_stream, [](Bytes& b) { put<uint64_t>(b, tensor_at(b, 0) + offsetof(RnlTensor, offset), 0); })},
      {"weight_nan", Status::kNonFiniteWeight, "one kDense weight is NaN (CRC valid)",
       edited(single_stream, weight_value(Op::kDense, 0, 3, 0x7FC00000u))},
      {"weight_inf", Status::kNonFiniteWeight, "one kLayerNorm gamma is -infinity (CRC valid)",
       edited(single_stream, weight_value(Op::kLayerNorm, 0, 0, 0xFF800000u))},
      // --- vocabularies ----------------------------------------------------------------
      {"vocab_field_unterminated", Status::kBadName, "a field name fills all 48 bytes without NUL",
       edited(single_stream, [](Bytes& b) { std::memset(b.data() + vocab_at(b, 1), 'f', rnl::kNameBytes); })},
      {"vocab_size_zero", Status::kVocabOutOfBounds, "vocabulary size 0 (id 0 must exist)",
       edited(single_stream, vocab_field<uint32_t>(1, offsetof(RnlVocab, size), 0u))},
      {"vocab_size_too_large", Status::kLimitExceeded, "vocabulary size kMaxVocabSize + 1",
       edited(single_stream, vocab_field<uint32_t>(1, offsetof(RnlVocab, size), rnl::kMaxVocabSize + 1))},
      {"vocab_kind_unknown", Status::kBadSchema, "vocabulary kind 7 (neither event field nor class labels)",
       edited(single_stream, vocab_field<uint32_t>(0, offsetof(RnlVocab, kind), 7u))},
      {"vocab_blob_outside", Status::kVocabOutOfBounds, "blob_offset inside the data section",
       edited(single_stream, [](Bytes& b) {
         put<uint64_t>(b, vocab_at(b, 0) + offsetof(RnlVocab, blob_offset), header_of(b).data_offset);
       })},
      {"vocab_blob_unaligned", Status::kVocabOutOfBounds, "blob_offset not a multiple of 4",
       edited(single_stream, [](Bytes& b) {
         const size_t at = vocab_at(b, 0) + offsetof(RnlVocab, blob_offset);
         put<uint64_t>(b, at, get<uint64_t>(b, at) + 2);
       })},
      {"vocab_unknown_not_empty", Status::kVocabOutOfBounds, "id 0's string is not empty (offsets[1] = 1)",
       edited(single_stream, vocab_offset(0, 1, 1))},
      {"vocab_offsets_decreasing", Status::kVocabOutOfBounds, "offsets go down (offsets[3] < offsets[2])",
       edited(single_stream, vocab_offset(0, 3, 1))},
      {"vocab_strings_past_blob", Status::kVocabOutOfBounds, "the last offset points past the blob",
       edited(single_stream, vocab_offset(0, 6, 100000))},
      // --- input schema (columns) --------------------------------------------------------
      {"column_name_unterminated", Status::kBadName, "a column name fills all 48 bytes without NUL",
       edited(single_stream, [](Bytes& b) { std::memset(b.data() + column_at(b, 0), 'c', rnl::kNameBytes); })},
      {"column_role_unknown", Status::kBadSchema, "column role 9",
       edited(single_stream, column_field<uint8_t>(2, offsetof(RnlColumn, role), 9))},
      {"column_transform_unknown", Status::kBadSchema, "numeric column transform 2",
       edited(single_stream, column_field<uint8_t>(2, offsetof(RnlColumn, transform), 2))},
      {"column_missing_indicator_not_bool", Status::kBadSchema, "missing_indicator 2",
       edited(single_stream, column_field<uint8_t>(2, offsetof(RnlColumn, missing_indicator), 2))},
      {"column_reserved_nonzero", Status::kBadSchema, "column reserved byte 1",
       edited(single_stream, column_field<uint8_t>(2, offsetof(RnlColumn, reserved), 1))},
      {"entity_column_twice", Status::kBadSchema, "the time column's role changed to entity: two entity columns",
       edited(single_stream, column_field<uint8_t>(1, offsetof(RnlColumn, role),
                                                    static_cast<uint8_t>(rnl::ColumnRole::kEntity)))},
      {"entity_column_with_statistics", Status::kBadSchema, "the entity column has std 1 (names only)",
       edited(single_stream, column_field<float>(0, offsetof(RnlColumn, std), 1.0f))},
      {"numeric_column_index_wrong", Status::kBadSchema, "the numeric column's index is 1, not 0",
       edited(single_stream, column_field<uint32_t>(2, offsetof(RnlColumn, index), 1u))},
      {"numeric_column_std_zero", Status::kBadSchema, "a numeric column's std is 0",
       edited(single_stream, column_field<float>(2, offsetof(RnlColumn, std), 0.0f))},
      {"numeric_column_mean_nan", Status::kBadSchema, "a numeric column's mean is NaN",
       edited(single_stream, column_field<uint32_t>(2, offsetof(RnlColumn, mean), 0x7FC00000u))},
      {"numeric_columns_short_of_inputs", Status::kBadSchema,
       "missing indicator off: the columns give 1 numeric value, the header says 2",
       edited(single_stream, column_field<uint8_t>(2, offsetof(RnlColumn, missing_indicator), 0))},
      {"static_column_missing_indicator", Status::kBadSchema, "a static column with a missing indicator",
       edited(two_stream, column_field<uint8_t>(2, offsetof(RnlColumn, missing_indicator), 1))},
      // --- head names ------------------------------------------------------------------
      {"head_name_empty", Status::kBadName, "a head name is empty",
       edited(single_stream, [](Bytes& b) { std::memset(b.data() + head_at(b, 1), 0, rnl::kNameBytes); })},
      {"head_record_wrong", Status::kBadSchema, "head 0 names record 0, which is not a kOutput record",
       edited(single_stream, head_field<uint32_t>(0, offsetof(RnlHead, record), 0u))},
      {"head_names_repeated", Status::kBadSchema, "two heads named \"event_type\"",
       edited(single_stream, [](Bytes& b) { std::memcpy(b.data() + head_at(b, 1), b.data() + head_at(b, 0), rnl::kNameBytes); })},
      {"head_reserved_nonzero", Status::kBadSchema, "a head's reserved word is 1",
       edited(single_stream, head_field<uint32_t>(1, offsetof(RnlHead, reserved) + 4, 1u))},
      {"heads_fewer_than_outputs", Status::kBadSchema, "two kOutput records, one head entry",
       edited(single_stream, drop_last_head)},
      // --- graph records ---------------------------------------------------------------
      {"unknown_op", Status::kUnknownOp, "op code 99",
       edited(single_stream, record_field<uint32_t>(Op::kPosSinusoidal, offsetof(RnlRecord, op), 99u))},
      {"input_refers_forward", Status::kBadGraph, "an input refers to a later record",
       edited(single_stream, record_field<uint32_t>(Op::kLayerNorm, kRecordIn0, 12u))},
      {"input_refers_to_itself", Status::kBadGraph, "an input refers to its own record",
       edited(single_stream, [](Bytes& b) {
         const uint32_t r = first_record(b, Op::kLayerNorm);
         put<uint32_t>(b, record_at(b, r) + kRecordIn0, r);
       })},
      {"wrong_arity", Status::kBadGraph, "kAdd with one input",
       edited(single_stream, [](Bytes& b) {
         const size_t at = record_at(b, first_record(b, Op::kAdd));
         put<uint32_t>(b, at + offsetof(RnlRecord, n_inputs), 1u);
         put<uint32_t>(b, at + kRecordIn0 + 4, kNoRef);
       })},
      {"unused_input_slot_set", Status::kBadGraph, "in[1] of a one-input op is 0, not kNoRef",
       edited(single_stream, record_field<uint32_t>(Op::kLayerNorm, kRecordIn0 + 4, 0u))},
      {"tensor_ref_out_of_range", Status::kBadGraph, "a tensor slot refers past the tensor table",
       edited(single_stream, record_field<uint32_t>(Op::kDense, kRecordTensor0, 5000u))},
      {"missing_tensor", Status::kBadGraph, "kDense without its bias (slot 1 = kNoRef)",
       edited(single_stream, record_field<uint32_t>(Op::kDense, kRecordTensor0 + 4, kNoRef))},
      {"extra_tensor", Status::kBadGraph, "kAttentionPool with a tensor in unused slot 1",
       edited(single_stream, record_field<uint32_t>(Op::kAttentionPool, kRecordTensor0 + 4, 0u))},
      {"no_output", Status::kBadGraph, "a graph without any kOutput record", graph_without_output},
      // --- hyper-parameters ------------------------------------------------------------
      {"embed_field_out_of_range", Status::kBadHyperParameter, "kEmbed field index 2 with 2 vocabularies",
       edited(single_stream, hp_of(Op::kEmbed, 2, 2))},
      {"embed_too_many_fields", Status::kBadHyperParameter, "kEmbed n_fields = 9",
       edited(single_stream, hp_of(Op::kEmbed, 0, 9))},
      {"numeric_range_past_inputs", Status::kBadHyperParameter, "kNumeric first 1 + count 2 > n_numeric 2",
       edited(single_stream, hp_of(Op::kNumeric, 0, 1))},
      {"time_buckets_zero", Status::kBadHyperParameter, "kTimeEmbed n_buckets = 0",
       edited(single_stream, hp_of(Op::kTimeEmbed, 0, 0))},
      {"layer_norm_eps_nan", Status::kBadHyperParameter, "kLayerNorm eps is NaN",
       edited(single_stream, hp_of(Op::kLayerNorm, 0, static_cast<int32_t>(0x7FC00000u)))},
      {"layer_norm_eps_negative", Status::kBadHyperParameter, "kLayerNorm eps is -1e-5",
       edited(single_stream, hp_of(Op::kLayerNorm, 0, static_cast<int32_t>(float_bits(-1e-5f))))},
      {"activation_unknown", Status::kBadHyperParameter, "kDense activation 6",
       edited(single_stream, hp_of(Op::kDense, 0, 6))},
      {"unused_hp_nonzero", Status::kBadHyperParameter, "kAttentionPool with hp3 = 1",
       edited(single_stream, hp_of(Op::kAttentionPool, 3, 1))},
      {"output_kind_unknown", Status::kBadHyperParameter, "kOutput kind 2",
       edited(single_stream, hp_of(Op::kOutput, 0, 2))},
      {"regression_scale_zero", Status::kBadHyperParameter, "a regression kOutput's scale is 0",
       edited(all_encoders, hp_of(Op::kOutput, 3, 0))},
      {"regression_shift_nan", Status::kBadHyperParameter, "a regression kOutput's shift is NaN",
       edited(all_encoders, hp_of(Op::kOutput, 4, static_cast<int32_t>(0x7FC00000u)))},
      {"categorical_output_scale_set", Status::kBadHyperParameter, "a categorical kOutput with hp3 (scale) set",
       edited(single_stream, hp_of(Op::kOutput, 3, static_cast<int32_t>(float_bits(1.0f))))},
      {"embed_of_class_labels", Status::kBadHyperParameter, "kEmbed reads a class-label vocabulary",
       edited(single_stream, vocab_field<uint32_t>(0, offsetof(RnlVocab, kind),
                                                   static_cast<uint32_t>(rnl::VocabKind::kClassLabels)))},
      {"heads_do_not_divide_d", Status::kBadHyperParameter, "kSelfAttention 3 heads over d = 8",
       edited(two_stream, hp_of(Op::kSelfAttention, 0, 3))},
      {"heads_too_many", Status::kBadHyperParameter, "kSelfAttention 128 heads > kMaxHeads",
       edited(two_stream, hp_of(Op::kSelfAttention, 0, 128))},
      {"window_too_large", Status::kBadHyperParameter, "kLinearDecay W = kMaxWindow + 1",
       edited(all_encoders, hp_of(Op::kLinearDecay, 0, static_cast<int32_t>(rnl::kMaxWindow) + 1))},
      {"conv_kernel_zero", Status::kBadHyperParameter, "kConv1d K = 0",
       edited(all_encoders, hp_of(Op::kConv1d, 0, 0))},
      {"conv_receptive_field_too_large", Status::kBadHyperParameter, "kConv1d (K-1) x dilation + 1 > kMaxWindow",
       edited(all_encoders, hp_of(Op::kConv1d, 1, 40000))},
      {"exp_decay_alpha_one", Status::kBadHyperParameter, "kExpDecay alpha = 1.0 (must be < 1)",
       edited(all_encoders, hp_of(Op::kExpDecay, 0, static_cast<int32_t>(float_bits(1.0f))))},
      {"cumulative_reduce_unknown", Status::kBadHyperParameter, "kCumulative reduce 3",
       edited(all_encoders, hp_of(Op::kCumulative, 0, 3))},
      {"cross_attention_eps_inf", Status::kBadHyperParameter, "kCrossAttention eps = +inf",
       edited(all_encoders, hp_of(Op::kCrossAttention, 1, static_cast<int32_t>(0x7F800000u)))},
      // --- shapes against hyper-parameters and input widths -----------------------------
      {"dense_weight_transposed", Status::kShapeMismatch, "kDense W stored [in, out]",
       edited(single_stream, transpose(Op::kDense, 0))},
      {"embed_table_transposed", Status::kShapeMismatch, "kEmbed table [d, V] instead of [V, d]",
       edited(single_stream, transpose(Op::kEmbed, 0))},
      {"numeric_weight_transposed", Status::kShapeMismatch, "kNumeric W [n, d] instead of [d, n]",
       edited(single_stream, transpose(Op::kNumeric, 0))},
      {"output_width_not_vocab_size", Status::kShapeMismatch, "categorical head of width 6 over a field with 4 ids",
       edited(single_stream, hp_of(Op::kOutput, 1, 1))},
      {"add_widths_differ", Status::kShapeMismatch, "kAdd of widths 4 and 3", add_of_different_widths},
      {"relative_bias_transposed", Status::kShapeMismatch, "self-attention relative bias [W, heads]",
       edited(two_stream, transpose(Op::kSelfAttention, 8))},
      {"gru_hidden_inconsistent", Status::kShapeMismatch, "GRU w_hh [H, 3H] instead of [3H, H]",
       edited(two_stream, transpose(Op::kGru, 1))},
      {"lstm_input_weight_transposed", Status::kShapeMismatch, "LSTM w_ih [I, 4H]",
       edited(all_encoders, transpose(Op::kLstm, 0))},
      {"learned_positions_wrong_d", Status::kShapeMismatch, "kPosLearned P [d, max_len]",
       edited(two_stream, transpose(Op::kPosLearned, 0))},
      // --- kCopyHead (two_stream: the job_code head, field 3, W = 4, key width 4) ----------
      {"copy_head_field_out_of_range", Status::kBadHyperParameter, "kCopyHead field 4 with 4 vocabularies",
       edited(two_stream, hp_of(Op::kCopyHead, 0, 4))},
      {"copy_head_window_zero", Status::kBadHyperParameter, "kCopyHead W = 0",
       edited(two_stream, hp_of(Op::kCopyHead, 1, 0))},
      {"copy_head_of_class_labels", Status::kBadHyperParameter,
       "kCopyHead reads a class-label vocabulary (no ids in the events)",
       edited(two_stream, vocab_field<uint32_t>(3, offsetof(RnlVocab, kind),
                                                static_cast<uint32_t>(rnl::VocabKind::kClassLabels)))},
      {"copy_head_logits_not_vocab_size", Status::kShapeMismatch,
       "kCopyHead over field 2 (5 ids) with generator logits of width 3",
       edited(two_stream, hp_of(Op::kCopyHead, 0, 2))},
      {"copy_head_keys_transposed", Status::kShapeMismatch, "kCopyHead keys [k, V] instead of [V, k]",
       edited(two_stream, transpose(Op::kCopyHead, 2))},
      {"copy_head_bias_not_window", Status::kShapeMismatch, "kCopyHead W = 5 with a relative bias of 4",
       edited(two_stream, hp_of(Op::kCopyHead, 1, 5))},
      {"concat_too_wide", Status::kLimitExceeded, "nested kConcat wider than kMaxDim", concat_wider_than_max_dim},
  };
}

}  // namespace testdata
}  // namespace runnel
