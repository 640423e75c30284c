// What a caller's raw numeric cells become before the engine sees them, by the model's
// input schema (RnlColumn): transform (none / log1p), then standardise with the train
// statistics stored in the file; a missing cell (NaN) becomes 0 (the train mean) and,
// when the column has a missing indicator, sets the value after it to 1.
//
//   float raw[2] = {17.0f, NAN};                  // one per numeric column, NaN = missing
//   float values[4];                              // model.file().n_numeric()
//   prepare_numeric(model.file(), raw, 2, values, 4);
//   event.numeric = values; event.n_numeric = 4;
//
// The trainer computes its inputs with these same functions, so the engine sees exactly
// the values the model was trained on. Float arithmetic only; O(columns) per event.
#ifndef RUNNEL_ENGINE_NUMERIC_INPUT_H_
#define RUNNEL_ENGINE_NUMERIC_INPUT_H_

#include <cstdint>

#include "engine/format/rnl_reader.h"
#include "engine/status.h"

namespace runnel {

// transform(raw): none -> raw; log1p -> sign(raw) * log(1 + |raw|).
float apply_transform(rnl::Transform transform, float raw);

// (transform(raw) - mean) / std for a present (finite) cell.
float standardise(rnl::Transform transform, float mean, float std, float raw);

// Numeric columns of the file (role kNumeric), i.e. how many raw values prepare_numeric reads.
uint32_t numeric_columns(const rnl::ModelFile& file);

// raw[n_raw]: one value per numeric column in schema order, NaN for a missing cell;
// out[n_out]: the event's numeric values (n_out >= file.n_numeric()). kBadArgument when
// n_raw != numeric_columns(file) or n_out is too small, kNonFinite for an infinite cell;
// out is written only on kOk.
Status prepare_numeric(const rnl::ModelFile& file, const float* raw, uint32_t n_raw, float* out, uint32_t n_out);

// The same for static features: raw[n] with n == file.n_static(), all finite.
Status prepare_static(const rnl::ModelFile& file, const float* raw, uint32_t n, float* out);

}  // namespace runnel

#endif  // RUNNEL_ENGINE_NUMERIC_INPUT_H_
