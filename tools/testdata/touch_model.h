// Reads everything an opened model exposes (every record, width, tensor element, name,
// vocabulary string and lookup, input column and head name), so that tests and fuzzers running under
// AddressSanitizer catch any accessor that would read outside the buffer.
#ifndef RUNNEL_TOOLS_TESTDATA_TOUCH_MODEL_H_
#define RUNNEL_TOOLS_TESTDATA_TOUCH_MODEL_H_

#include "engine/format/rnl_reader.h"

namespace runnel {
namespace testdata {

// A checksum of what was read, so the compiler cannot drop the reads.
inline double touch_model(const rnl::ModelFile& m) {
  double sum = 0;
  for (uint32_t i = 0; i < m.n_records(); ++i) {
    const rnl::RnlRecord& r = m.record(i);
    sum += m.output_width(i) + r.op;
    for (uint32_t s = 0; s < rnl::kRecordTensors; ++s)
      if (r.tensor[s] != rnl::kNoRef) sum += static_cast<double>(m.tensor(r.tensor[s]).elements);
  }
  for (uint32_t i = 0; i < m.n_tensors(); ++i) {
    const rnl::TensorView t = m.tensor(i);
    for (uint64_t e = 0; e < t.elements; ++e) sum += t.data[e] == t.data[e] ? 1 : 0;
    sum += m.find_tensor(t.name);
  }
  for (uint32_t f = 0; f < m.n_vocabs(); ++f) {
    const rnl::VocabView v = m.vocab(f);
    for (uint32_t id = 0; id <= v.size(); ++id) sum += v.id(v.string(id)) + v.string(id).size();
    sum += m.find_vocab(v.field()) + static_cast<double>(v.kind());
  }
  for (uint32_t i = 0; i < m.n_columns(); ++i) {
    const rnl::ColumnView c = m.column(i);
    sum += c.name.size() + static_cast<double>(c.role) + c.index + c.mean + c.std + c.missing_indicator;
  }
  for (uint32_t k = 0; k < m.n_heads(); ++k) sum += m.head_name(k).size() + m.head_record(k) + m.find_head(m.head_name(k));
  return sum;
}

}  // namespace testdata
}  // namespace runnel

#endif  // RUNNEL_TOOLS_TESTDATA_TOUCH_MODEL_H_
