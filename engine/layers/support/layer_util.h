// Small vector helpers the streaming layers share (the base and the input check are in
// engine/layers/layer.h, which this includes).
#ifndef RUNNEL_ENGINE_LAYERS_SUPPORT_LAYER_UTIL_H_
#define RUNNEL_ENGINE_LAYERS_SUPPORT_LAYER_UTIL_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "engine/layers/layer.h"

namespace runnel::layers {

inline bool all_finite(const float* x, int n) {
  for (int i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

// The biased exponent field of a double (0x7FF: infinite or NaN). Event::dt is the one
// double on the per-event path; reading its fields as integers keeps double arithmetic
// (library calls on cores without a double-precision FPU, e.g. Cortex-M4) out of it.
inline int double_exponent_field(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return static_cast<int>((bits >> 52) & 0x7FF);
}
inline bool double_is_negative(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return (bits >> 63) != 0;
}
inline bool double_is_finite(double x) { return double_exponent_field(x) != 0x7FF; }
// x < 0 (-0.0 is not below zero).
inline bool double_is_below_zero(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return (bits >> 63) != 0 && (bits << 1) != 0;
}

// An event count (>= 0) as float, from 32-bit halves: a 32-bit core converts those with an
// instruction but calls a library routine for a 64-bit integer (__aeabi_l2f). Exact below
// 2^24 like a direct conversion; above, within an ulp of it.
inline float count_to_float(int64_t n) {
  const uint64_t u = static_cast<uint64_t>(n);
  const uint32_t high = static_cast<uint32_t>(u >> 32), low = static_cast<uint32_t>(u);
  if (high == 0) return static_cast<float>(low);
  return static_cast<float>(high) * 4294967296.f + static_cast<float>(low);
}

inline void copy(const float* x, float* y, int n) {
  if (n > 0) std::memcpy(y, x, sizeof(float) * static_cast<size_t>(n));
}

inline const float* table_row(const float* table, int64_t r, int d) {
  return table + r * d;
}

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_SUPPORT_LAYER_UTIL_H_
