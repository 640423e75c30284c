// Multi-head attention core shared by self_attention.h and cross_attention.h: one query
// against n cached keys/values, which is exactly the streaming case (one new event vs. a
// window of cached ones).
//
// Layouts, chosen so that every inner loop runs along contiguous memory in SIMD batches
// with no horizontal sum per key:
//   keys   *transposed*, component-major [d, stride]: column j is key j. The scores of a
//          head are Kᵀq: blocks of keys stay in registers while the head's components
//          stream past.
//   values row-major [stride, d]: row j is value j. The output of all heads is one pass
//          over the rows, out += p_head(j) · v(j), each batch of a row weighted by the
//          probability of the head it belongs to.
#ifndef RUNNEL_ENGINE_LAYERS_ATTENTION_CORE_H_
#define RUNNEL_ENGINE_LAYERS_ATTENTION_CORE_H_

#include <cmath>
#include <cstddef>
#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/layer_simd.h"

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

// Scratch floats attend_all_heads() needs for the probabilities of `heads` heads.
constexpr size_t probs_floats(int heads, int stride) {
  return static_cast<size_t>(heads) * round_up_16(static_cast<size_t>(stride));
}

// Writes x into column `col` of a transposed [d, stride] cache.
inline void store_column(const float* x, int d, int stride, int col, float* cache_t) {
  for (int c = 0; c < d; ++c) cache_t[static_cast<size_t>(c) * stride + col] = x[c];
}

// scores[j] += sum_c q[c] · k_t[c·stride + j] for j < n (k_t: one head's rows of the
// transposed key cache). Kᵀq is not in the kernel API.
inline void add_query_dot_keys(const float* q, const float* k_t, int head_dim, int n, int stride,
                               float* scores) {
  int j = 0;
#if RUNNEL_LAYERS_SIMD
  using Batch = xsimd::batch<float>;
  constexpr int B = static_cast<int>(Batch::size);
  for (; j + 4 * B <= n; j += 4 * B) {
    Batch a0 = Batch::load_unaligned(scores + j), a1 = Batch::load_unaligned(scores + j + B);
    Batch a2 = Batch::load_unaligned(scores + j + 2 * B), a3 = Batch::load_unaligned(scores + j + 3 * B);
    for (int c = 0; c < head_dim; ++c) {
      const float* row = k_t + static_cast<size_t>(c) * stride + j;
      const Batch qc(q[c]);
      a0 = xsimd::fma(qc, Batch::load_unaligned(row), a0);
      a1 = xsimd::fma(qc, Batch::load_unaligned(row + B), a1);
      a2 = xsimd::fma(qc, Batch::load_unaligned(row + 2 * B), a2);
      a3 = xsimd::fma(qc, Batch::load_unaligned(row + 3 * B), a3);
    }
    a0.store_unaligned(scores + j);
    a1.store_unaligned(scores + j + B);
    a2.store_unaligned(scores + j + 2 * B);
    a3.store_unaligned(scores + j + 3 * B);
  }
#endif
  if (j == n) return;
  for (int c = 0; c < head_dim; ++c)  // the rest (all of it in the scalar build): axpy passes
    kernels::axpy(q[c], k_t + static_cast<size_t>(c) * stride + j, scores + j, n - j);
}

#if RUNNEL_LAYERS_SIMD
// Columns [c0, c0 + kBatches·B) of weighted_value_sum, rows taken two at a time so that
// 2·kBatches independent accumulators hide the FMA latency.
template <int kBatches>
inline void weighted_value_columns(const float* probs, int probs_stride, const float* v, int n, int d,
                                   int head_dim, int c0, float* out) {
  using Batch = xsimd::batch<float>;
  constexpr int B = static_cast<int>(Batch::size);
  Batch even[kBatches], odd[kBatches];
  const float* p[kBatches];  // each batch of columns lies inside one head (head_dim % B == 0)
#pragma GCC unroll 8
  for (int b = 0; b < kBatches; ++b) {
    even[b] = odd[b] = Batch(0.f);
    p[b] = probs + static_cast<size_t>((c0 + b * B) / head_dim) * probs_stride;
  }
  int j = 0;
  for (; j + 2 <= n; j += 2) {
    const float* row = v + static_cast<size_t>(j) * d + c0;
#pragma GCC unroll 8
    for (int b = 0; b < kBatches; ++b) {
      even[b] = xsimd::fma(Batch(p[b][j]), Batch::load_unaligned(row + b * B), even[b]);
      odd[b] = xsimd::fma(Batch(p[b][j + 1]), Batch::load_unaligned(row + d + b * B), odd[b]);
    }
  }
  if (j < n) {
    const float* row = v + static_cast<size_t>(j) * d + c0;
#pragma GCC unroll 8
    for (int b = 0; b < kBatches; ++b) even[b] = xsimd::fma(Batch(p[b][j]), Batch::load_unaligned(row + b * B), even[b]);
  }
#pragma GCC unroll 8
  for (int b = 0; b < kBatches; ++b) (even[b] + odd[b]).store_unaligned(out + c0 + b * B);
}
#endif

// out[c] = sum_{j<n} probs[head(c)·probs_stride + j] · v[j·d + c], head(c) = c / head_dim.
inline void weighted_value_sum(const float* probs, int probs_stride, const float* v, int n, int d,
                               int head_dim, float* out) {
  int c0 = 0;
#if RUNNEL_LAYERS_SIMD
  constexpr int B = static_cast<int>(xsimd::batch<float>::size);
  if (head_dim % B == 0) {
    for (; c0 + 4 * B <= d; c0 += 4 * B) weighted_value_columns<4>(probs, probs_stride, v, n, d, head_dim, c0, out);
    for (; c0 + B <= d; c0 += B) weighted_value_columns<1>(probs, probs_stride, v, n, d, head_dim, c0, out);
  }
#endif
  if (c0 >= d) return;
  std::memset(out + c0, 0, static_cast<size_t>(d - c0) * sizeof(float));
  for (int j = 0; j < n; ++j)
    for (int c = c0; c < d; ++c) out[c] += probs[static_cast<size_t>(c / head_dim) * probs_stride + j] * v[static_cast<size_t>(j) * d + c];
}

// All heads: out = concat_h softmax_j(bias_h(j) + q_h·k_h(j)) v_h(j) over the n keys.
// q: the projected query [d], already multiplied by score_scale(). k_t: transposed keys
// [d, stride]; v: values [stride, d]. fill_bias(head, scores) writes the n additive
// biases of that head's keys. probs: probs_floats(heads, stride) floats of scratch.
// out: [d], the concatenated head outputs (before the output projection).
template <class FillBias>
void attend_all_heads(const MhaWeights& w, const float* q, const float* k_t, const float* v, int n,
                      int stride, FillBias fill_bias, float* probs, float* out) {
  const int dh = w.head_dim();
  const int probs_stride = static_cast<int>(round_up_16(static_cast<size_t>(stride)));
  for (int h = 0; h < w.heads; ++h) {
    float* scores = probs + static_cast<size_t>(h) * probs_stride;
    const size_t first_row = static_cast<size_t>(h) * dh;
    fill_bias(h, scores);
    add_query_dot_keys(q + first_row, k_t + first_row * stride, dh, n, stride, scores);
    kernels::softmax(scores, n);
  }
  weighted_value_sum(probs, probs_stride, v, n, w.d, dh, out);
}

}  // namespace runnel

#endif  // RUNNEL_ENGINE_LAYERS_ATTENTION_CORE_H_
