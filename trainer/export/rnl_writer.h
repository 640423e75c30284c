// Writes .rnl model files (engine/format/FORMAT.md): the trainer's side of the one
// contract with the engine. Collect tensors, graph records and vocabularies, then take
// the bytes or write them to a file atomically. Programming errors (a name too long, a
// shape that does not match its data, ...) throw std::invalid_argument at the add_ call.
//
//   rnl::RnlWriter w;
//   uint32_t f = w.add_vocab("EventType", {"login", "logout"});          // ids 1, 2
//   uint32_t table = w.add_tensor("embed.event_type", {3, 8}, weights);
//   uint32_t e = w.add_record(rnl::Op::kEmbed, {}, {1, int32_t(f), 0, 0, 0, 0, 0, 0, 0, 8}, {table});
//   ...
//   w.write_file("run/model.rnl");
#ifndef RUNNEL_TRAINER_EXPORT_RNL_WRITER_H_
#define RUNNEL_TRAINER_EXPORT_RNL_WRITER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/format/rnl_spec.h"

namespace runnel {
namespace rnl {

class RnlWriter {
 public:
  // A float32 tensor; `shape` has 1..kMaxRank dims, `data` their product of values
  // (row-major; a matrix that multiplies a vector is [out, in]). Returns its index.
  uint32_t add_tensor(const std::string& name, const std::vector<uint32_t>& shape,
                      const std::vector<float>& data);

  // One graph record, appended in execution order. `inputs` are indices of earlier
  // records, `hp` up to kRecordParams hyper-parameters (rest 0; floats via
  // float_to_hp()), `tensors` up to kRecordTensors tensor indices (rest kNoRef).
  // Returns the record's index.
  uint32_t add_record(Op op, const std::vector<uint32_t>& inputs, const std::vector<int32_t>& hp,
                      const std::vector<uint32_t>& tensors);

  // The vocabulary of the next categorical field: `strings` get ids 1, 2, ... in order;
  // id 0 is the empty string, meaning unknown. Strings must be non-empty and distinct.
  // kClassLabels: the class names of a categorical target that is not an event field.
  // Returns the field index.
  uint32_t add_vocab(const std::string& field, const std::vector<std::string>& strings,
                     VocabKind kind = VocabKind::kEventField);

  void set_n_numeric(uint32_t n) { n_numeric_ = n; }
  void set_n_static(uint32_t n) { n_static_ = n; }

  // The input schema (RnlColumn), in order. Entity and time columns carry only a name.
  // Numeric columns take the next index of the event's numeric values (two with a
  // missing indicator), static columns the next static feature. When no numeric (static)
  // column is added, bytes() describes each numeric value (static feature) as an
  // untransformed column "numeric<i>" ("static<i>") with mean 0 and std 1.
  void add_name_column(ColumnRole role, const std::string& name);   // kEntity or kTime
  void add_value_column(ColumnRole role, const std::string& name, Transform transform, bool missing_indicator,
                        float mean, float std);                         // kNumeric or kStatic

  // Names the output of kOutput record `record` (heads are written in record order).
  // Outputs left unnamed are called "output<k>" (k = their output index).
  void name_output(uint32_t record, const std::string& name);

  // The whole file: header with sizes and CRC-32, tables, vocabulary blob, and the data
  // section with every tensor at a 64-byte aligned offset. Not validated (tests use it to
  // craft broken files); write_file() validates.
  std::vector<uint8_t> bytes() const;

  // Validates bytes() with the engine's reader, then writes them atomically. Throws
  // std::runtime_error naming `path` on an invalid model or any I/O error.
  void write_file(const std::string& path) const;

 private:
  struct Vocab {
    std::string field;
    std::vector<std::string> strings;   // ids 0.., strings[0] == ""
    VocabKind kind = VocabKind::kEventField;
  };

  std::vector<uint8_t> vocab_blob(uint64_t blob_offset, std::vector<RnlVocab>* entries) const;
  std::vector<RnlColumn> column_entries() const;
  std::vector<RnlHead> head_entries() const;

  std::vector<RnlRecord> records_;
  std::vector<RnlTensor> tensors_;      // offsets filled in by bytes()
  std::vector<std::vector<float>> data_;
  std::vector<Vocab> vocabs_;
  std::vector<RnlColumn> columns_;
  std::vector<std::pair<uint32_t, std::string>> output_names_;   // (record, name)
  uint32_t n_numeric_ = 0;
  uint32_t n_static_ = 0;
};

// Sets header.file_crc32 of a whole .rnl image: the CRC-32 of all of it with that field
// read as zero (what rnl::open checks). No-op for an image shorter than a header.
void set_file_crc(std::vector<uint8_t>* file);

}  // namespace rnl
}  // namespace runnel

#endif  // RUNNEL_TRAINER_EXPORT_RNL_WRITER_H_
