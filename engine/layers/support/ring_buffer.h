// The last W input vectors of a stream, kept in a layer's state as W rows of width d.
//
// Event t lives in row t mod W, so no head index or count is stored: both follow from the
// event index the step receives, and a session's state stays a plain block of floats that
// can be memcpy'd (beam search). Rows not yet written are never read: only
// visible_count(t, W) = min(t + 1, W) rows back from t are.
#ifndef RUNNEL_ENGINE_LAYERS_SUPPORT_RING_BUFFER_H_
#define RUNNEL_ENGINE_LAYERS_SUPPORT_RING_BUFFER_H_

#include <cstdint>
#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"
#include "engine/layers/support/ring_slot.h"

namespace runnel::layers::ring {

inline int visible_count(int64_t t, int window) {
  return t + 1 < window ? static_cast<int>(t + 1) : window;
}

inline float* row(float* ring, int64_t t, int window, int d) {
  return ring + static_cast<ptrdiff_t>(slot(t, window)) * d;
}
inline const float* row(const float* ring, int64_t t, int window, int d) {
  return ring + static_cast<ptrdiff_t>(slot(t, window)) * d;
}

inline void push(float* ring, int64_t t, int window, int d, const float* x) {
  copy(x, row(ring, t, window, d), d);
}

// out = sum_{i < visible_count(t, W)} weight_of(i) * x(t - i), x(t - i) read from the ring
// (one division for the newest row, then back one row at a time).
template <class WeightOf>
void weighted_sum(const float* ring, int64_t t, int window, int d, WeightOf weight_of,
                  float* out) {
  std::memset(out, 0, sizeof(float) * static_cast<size_t>(d));
  const int visible = visible_count(t, window);
  for (int i = 0, s = slot(t, window); i < visible; ++i, s = s == 0 ? window - 1 : s - 1)
    kernels::axpy(weight_of(i), ring + static_cast<ptrdiff_t>(s) * d, out, d);
}

}  // namespace runnel::layers::ring

#endif  // RUNNEL_ENGINE_LAYERS_SUPPORT_RING_BUFFER_H_
