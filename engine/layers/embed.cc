#include "engine/layers/embed.h"

#include "engine/kernels/kernels.h"

namespace runnel::layers {

Embed Embed::make(const kernels::Matrix* tables, const int* vocab_sizes, const int* field_index,
                  int n_fields, int d) {
  Embed e;
  e.n_fields = n_fields < kMaxFields ? n_fields : kMaxFields;
  e.d = d;
  for (int f = 0; f < e.n_fields; ++f) {
    e.table[f] = tables[f];
    e.vocab[f] = vocab_sizes[f];
    e.field[f] = field_index[f];
  }
  return e;
}

Status Embed::step(const StepArgs& a, float*, float*, float* out) const {
  if (a.event == nullptr || (n_fields > 0 && a.event->ids == nullptr)) return Status::kBadArgument;
  for (int f = 0; f < n_fields; ++f) {
    if (field[f] < 0 || field[f] >= a.event->n_ids) return Status::kBadArgument;
    const int32_t id = a.event->ids[field[f]];
    if (id < 0 || id >= vocab[f]) return Status::kIdOutOfRange;
  }
  for (int f = 0; f < n_fields; ++f) {
    const int32_t id = a.event->ids[field[f]];
    if (table[f].is_int8()) {  // out (+)= scale[id] · q[id]
      if (f == 0) std::memset(out, 0, static_cast<size_t>(d) * sizeof(float));
      kernels::axpy_q8(table[f].scales[id], table[f].q8 + static_cast<int64_t>(id) * d, out, d);
      continue;
    }
    const float* row = table_row(table[f].f32, id, d);
    if (f == 0) copy(row, out, d);
    else kernels::add(out, row, out, d);
  }
  return Status::kOk;
}

}  // namespace runnel::layers
