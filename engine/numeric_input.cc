#include "engine/numeric_input.h"

#include <cmath>

namespace runnel {
namespace {

bool is_nan(float x) { return x != x; }
bool is_finite(float x) { return x - x == 0.0f; }

}  // namespace

float apply_transform(rnl::Transform transform, float raw) {
  if (transform == rnl::Transform::kLog1p) return raw < 0.0f ? -std::log1p(-raw) : std::log1p(raw);
  return raw;
}

float standardise(rnl::Transform transform, float mean, float std, float raw) {
  return (apply_transform(transform, raw) - mean) / std;
}

uint32_t numeric_columns(const rnl::ModelFile& file) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < file.n_columns(); ++i) n += file.column(i).role == rnl::ColumnRole::kNumeric;
  return n;
}

Status prepare_numeric(const rnl::ModelFile& file, const float* raw, uint32_t n_raw, float* out, uint32_t n_out) {
  if (n_raw != numeric_columns(file) || n_out < file.n_numeric() || (n_raw > 0 && (raw == nullptr || out == nullptr)))
    return Status::kBadArgument;
  for (uint32_t k = 0; k < n_raw; ++k)
    if (!is_nan(raw[k]) && !is_finite(raw[k])) return Status::kNonFinite;
  uint32_t k = 0;
  for (uint32_t i = 0; i < file.n_columns(); ++i) {
    const rnl::ColumnView c = file.column(i);
    if (c.role != rnl::ColumnRole::kNumeric) continue;
    const float x = raw[k++];
    const bool missing = is_nan(x);
    out[c.index] = missing ? 0.0f : standardise(c.transform, c.mean, c.std, x);
    if (c.missing_indicator) out[c.index + 1] = missing ? 1.0f : 0.0f;
  }
  return Status::kOk;
}

Status prepare_static(const rnl::ModelFile& file, const float* raw, uint32_t n, float* out) {
  if (n != file.n_static() || (n > 0 && (raw == nullptr || out == nullptr))) return Status::kBadArgument;
  for (uint32_t k = 0; k < n; ++k)
    if (!is_finite(raw[k])) return Status::kNonFinite;
  for (uint32_t i = 0; i < file.n_columns(); ++i) {
    const rnl::ColumnView c = file.column(i);
    if (c.role == rnl::ColumnRole::kStatic) out[c.index] = standardise(c.transform, c.mean, c.std, raw[c.index]);
  }
  return Status::kOk;
}

}  // namespace runnel
