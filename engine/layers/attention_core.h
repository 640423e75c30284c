// Multi-head attention core shared by self_attention.h and cross_attention.h.
//
// Keys and values are kept *transposed*: component-major [d, stride], column j holding
// key/value j. Then, for one head, the scores over all n keys are dh axpy passes that run
// along j (SIMD-friendly, no horizontal sums), and the weighted sum of the values is dh
// dot products of length n. That is the fast layout for one query against many keys,
// which is exactly the streaming case (one new event vs. a window of cached ones).
#ifndef RUNNEL_ENGINE_LAYERS_ATTENTION_CORE_H_
#define RUNNEL_ENGINE_LAYERS_ATTENTION_CORE_H_

#include <cmath>
#include <cstddef>

#include "engine/kernels/kernels.h"

namespace runnel {

// Weight views of one multi-head attention block; every matrix is [out, in] = [d, d].
struct MhaWeights {
  const float* wq = nullptr;
  const float* bq = nullptr;
  const float* wk = nullptr;
  const float* bk = nullptr;
  const float* wv = nullptr;
  const float* bv = nullptr;
  const float* wo = nullptr;
  const float* bo = nullptr;
  int d = 0;
  int heads = 1;

  int head_dim() const { return d / heads; }
  float score_scale() const { return 1.f / std::sqrt(static_cast<float>(head_dim())); }
  bool valid() const {
    return wq && bq && wk && bk && wv && bv && wo && bo && d > 0 && heads > 0 && d % heads == 0;
  }
};

// Scratch sub-buffers start on 64-byte boundaries (16 floats) so SIMD loads stay aligned
// whenever the caller's scratch is.
constexpr size_t round_up_16(size_t floats) { return (floats + 15) / 16 * 16; }

// Writes x into column `col` of a transposed [d, stride] cache.
inline void store_column(const float* x, int d, int stride, int col, float* cache_t) {
  for (int c = 0; c < d; ++c) cache_t[static_cast<size_t>(c) * stride + col] = x[c];
}

// One head: out = softmax(init + q·K) V over the n columns of the head's slice of the
// transposed caches. `scores` (n floats) comes in holding the additive bias per key
// (position bias, or zeros) and leaves holding the attention weights. q is pre-scaled.
inline void attend_head(const float* q, const float* k_t, const float* v_t, int head_dim,
                        int n, int stride, float* scores, float* out) {
  for (int c = 0; c < head_dim; ++c) kernels::axpy(q[c], k_t + static_cast<size_t>(c) * stride, scores, n);
  kernels::softmax(scores, n);
  for (int c = 0; c < head_dim; ++c) out[c] = kernels::dot(scores, v_t + static_cast<size_t>(c) * stride, n);
}

// All heads. q: the projected query, [d], already multiplied by score_scale().
// fill_bias(head, scores) writes the n additive biases of that head's keys.
// out: [d], the concatenated head outputs (before the output projection).
template <class FillBias>
void attend_all_heads(const MhaWeights& w, const float* q, const float* k_t, const float* v_t,
                      int n, int stride, FillBias fill_bias, float* scores, float* out) {
  const int dh = w.head_dim();
  for (int h = 0; h < w.heads; ++h) {
    const size_t first_row = static_cast<size_t>(h) * dh;
    fill_bias(h, scores);
    attend_head(q + first_row, k_t + first_row * stride, v_t + first_row * stride, dh, n, stride,
                scores, out + first_row);
  }
}

}  // namespace runnel

#endif  // RUNNEL_ENGINE_LAYERS_ATTENTION_CORE_H_
