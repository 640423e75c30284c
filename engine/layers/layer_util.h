// Small helpers shared by the streaming layers: input checks and record decoding.
#ifndef RUNNEL_ENGINE_LAYERS_LAYER_UTIL_H_
#define RUNNEL_ENGINE_LAYERS_LAYER_UTIL_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "engine/layers/layer.h"

namespace runnel::layers {

// True when the step got at least n non-null inputs. A missing input is a wiring bug of
// the caller, reported as kBadArgument rather than dereferenced.
inline bool has_inputs(const StepArgs& a, int n) {
  if (n > 0 && (a.in == nullptr || a.n_in < n)) return false;
  for (int i = 0; i < n; ++i)
    if (a.in[i] == nullptr) return false;
  return true;
}

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

inline void copy(const float* x, float* y, int n) {
  if (n > 0) std::memcpy(y, x, sizeof(float) * static_cast<size_t>(n));
}

inline const float* table_row(const float* table, int64_t r, int d) {
  return table + r * d;
}

// Base of the layers that keep nothing between events and need no scratch.
struct Stateless {
  size_t state_floats() const { return 0; }
  size_t scratch_floats() const { return 0; }
  void reset(float* /*state*/) const {}
};

// Hyper-parameters marked "f32 bits" in rnl_spec.h (eps, alpha) hold a float's bit pattern.
inline float float_from_bits(int32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_LAYER_UTIL_H_
