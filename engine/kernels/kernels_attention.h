// The attention loops of the kernels (kernels.h: add_query_dot_keys, exp_shifted_sum,
// weighted_value_sum), in the layouts of layers/support/attention_core.h:
//   keys   *transposed*, component-major [d, stride]: column j is key j, so the scores of a
//          head are Kᵀq with blocks of keys in registers while the components stream past;
//   values row-major [stride, d]: one pass over the rows, out += p_head(j) · v(j).
// Header-only like kernels_simd.h, in the same per-ISA inline namespace, so that each
// instruction set's kernel table (kernels_table.h) gets its own build of them. Namespace
// `attn` holds the SIMD loops with scalar tails (all scalar in a RUNNEL_SCALAR build).
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_ATTENTION_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_ATTENTION_H_

#include <cmath>
#include <cstddef>
#include <cstring>

#include "engine/kernels/kernels_config.h"
#include "engine/kernels/kernels_reference.h"

#if RUNNEL_KERNELS_SIMD
#include <xsimd/xsimd.hpp>
#endif

namespace runnel::kernels {
inline namespace RUNNEL_ISA_NAMESPACE {
namespace attn {

#if RUNNEL_KERNELS_SIMD
// Keys [j, j + kBatches·B) of add_query_dot_keys: the block's scores stay in registers
// while the head's components stream past; 8 batches keep enough independent FMAs in
// flight to cover their latency (the chains are only head_dim long).
template <int kBatches>
inline void add_query_dot_key_block(const float* q, const float* k_t, int head_dim, int stride, int j,
                                    float* scores, xsimd::batch<float>& running_max) {
  using Batch = xsimd::batch<float>;
  constexpr int B = static_cast<int>(Batch::size);
  Batch acc[kBatches];
#pragma GCC unroll 8
  for (int b = 0; b < kBatches; ++b) acc[b] = Batch::load_unaligned(scores + j + b * B);
  for (int c = 0; c < head_dim; ++c) {
    const float* row = k_t + static_cast<size_t>(c) * stride + j;
    const Batch qc(q[c]);
#pragma GCC unroll 8
    for (int b = 0; b < kBatches; ++b) acc[b] = xsimd::fma(qc, Batch::load_unaligned(row + b * B), acc[b]);
  }
#pragma GCC unroll 8
  for (int b = 0; b < kBatches; ++b) {
    acc[b].store_unaligned(scores + j + b * B);
    running_max = xsimd::max(running_max, acc[b]);
  }
}
#endif

// scores[j] += sum_c q[c] · k_t[c·stride + j] for j < n (k_t: one head's rows of the
// transposed key cache); returns the largest score (n >= 1), which the blocks find while
// the scores are still in registers.
inline float add_query_dot_keys(const float* q, const float* k_t, int head_dim, int n, int stride,
                                float* scores) {
  int j = 0;
  float top = -HUGE_VALF;
#if RUNNEL_KERNELS_SIMD
  using Batch = xsimd::batch<float>;
  constexpr int B = static_cast<int>(Batch::size);
  Batch running_max(-HUGE_VALF);
  for (; j + 8 * B <= n; j += 8 * B) add_query_dot_key_block<8>(q, k_t, head_dim, stride, j, scores, running_max);
  for (; j + B <= n; j += B) add_query_dot_key_block<1>(q, k_t, head_dim, stride, j, scores, running_max);
  alignas(64) float lanes[B];
  running_max.store_aligned(lanes);
  for (float m : lanes) top = m > top ? m : top;
#endif
  if (j == n) return top;
  for (int c = 0; c < head_dim; ++c)  // the rest (all of it in the scalar build): axpy passes
    ref::axpy(q[c], k_t + static_cast<size_t>(c) * stride + j, scores + j, n - j);
  for (; j < n; ++j) top = scores[j] > top ? scores[j] : top;
  return top;
}

// scores[j] = exp(scores[j] - top) for j < n; returns their sum. The softmax without its
// normalisation: attend_all_heads() divides the head's d_h outputs by the sum instead of
// its n weights (and the max comes from the score pass), one pass instead of four.
inline float exp_shifted_sum(float* scores, int n, float top) {
  int j = 0;
  float sum = 0.f;
#if RUNNEL_KERNELS_SIMD
  using Batch = xsimd::batch<float>;
  constexpr int B = static_cast<int>(Batch::size);
  const Batch shift(top);
  Batch acc(0.f);
  for (; j + B <= n; j += B) {
    const Batch e = xsimd::exp(Batch::load_unaligned(scores + j) - shift);
    e.store_unaligned(scores + j);
    acc += e;
  }
  sum = xsimd::hadd(acc);
#endif
  for (; j < n; ++j) sum += (scores[j] = std::exp(scores[j] - top));
  return sum;
}

#if RUNNEL_KERNELS_SIMD
// Columns [c0, c0 + kBatches·B) of weighted_value_sum. With up to 8 batches (a whole
// 64-float row on AVX2) the rows stream through in order, and kBatches independent
// accumulators cover the FMA latency. kPerHead consecutive batches share a head (its
// probability is broadcast once per row for them): the loop is bound by loads, and
// with one broadcast per batch there are two loads per multiply-add instead of
// 1 + 1/kPerHead.
template <int kBatches, int kPerHead = 1>
inline void weighted_value_columns(const float* probs, int probs_stride, const float* v, int n, int d,
                                   int head_dim, int c0, float* out) {
  using Batch = xsimd::batch<float>;
  constexpr int B = static_cast<int>(Batch::size);
  constexpr int kHeads = kBatches / kPerHead;
  Batch acc[kBatches];
  const float* p[kHeads];  // each batch of columns lies inside one head (head_dim % B == 0)
#pragma GCC unroll 8
  for (int b = 0; b < kBatches; ++b) acc[b] = Batch(0.f);
#pragma GCC unroll 8
  for (int h = 0; h < kHeads; ++h) p[h] = probs + static_cast<size_t>((c0 + h * kPerHead * B) / head_dim) * probs_stride;
  for (int j = 0; j < n; ++j) {
    const float* row = v + static_cast<size_t>(j) * d + c0;
#pragma GCC unroll 8
    for (int h = 0; h < kHeads; ++h) {
      const Batch pj(p[h][j]);
#pragma GCC unroll 8
      for (int k = 0; k < kPerHead; ++k) {
        const int b = h * kPerHead + k;
        acc[b] = xsimd::fma(pj, Batch::load_unaligned(row + b * B), acc[b]);
      }
    }
  }
#pragma GCC unroll 8
  for (int b = 0; b < kBatches; ++b) acc[b].store_unaligned(out + c0 + b * B);
}

// weighted_value_columns<8, P> with the largest P in {8, 4, 2, 1} that divides the
// batches per head (a block of 8 batches starts on a head boundary whenever P > 1).
inline void weighted_value_block8(const float* probs, int probs_stride, const float* v, int n, int d,
                                  int head_dim, int c0, float* out) {
  const int per_head = head_dim / static_cast<int>(xsimd::batch<float>::size);
  if (per_head % 8 == 0) return weighted_value_columns<8, 8>(probs, probs_stride, v, n, d, head_dim, c0, out);
  if (per_head % 4 == 0) return weighted_value_columns<8, 4>(probs, probs_stride, v, n, d, head_dim, c0, out);
  if (per_head % 2 == 0) return weighted_value_columns<8, 2>(probs, probs_stride, v, n, d, head_dim, c0, out);
  weighted_value_columns<8, 1>(probs, probs_stride, v, n, d, head_dim, c0, out);
}
#endif

// out[c] = sum_{j<n} probs[head(c)·probs_stride + j] · v[j·d + c], head(c) = c / head_dim.
inline void weighted_value_sum(const float* probs, int probs_stride, const float* v, int n, int d,
                               int head_dim, float* out) {
  int c0 = 0;
#if RUNNEL_KERNELS_SIMD
  constexpr int B = static_cast<int>(xsimd::batch<float>::size);
  if (head_dim % B == 0) {
    for (; c0 + 8 * B <= d; c0 += 8 * B) weighted_value_block8(probs, probs_stride, v, n, d, head_dim, c0, out);
    for (; c0 + 4 * B <= d; c0 += 4 * B) weighted_value_columns<4>(probs, probs_stride, v, n, d, head_dim, c0, out);
    for (; c0 + B <= d; c0 += B) weighted_value_columns<1>(probs, probs_stride, v, n, d, head_dim, c0, out);
  }
#endif
  if (c0 >= d) return;
  std::memset(out + c0, 0, static_cast<size_t>(d - c0) * sizeof(float));
  for (int j = 0; j < n; ++j)
    for (int c = c0; c < d; ++c) out[c] += probs[static_cast<size_t>(c / head_dim) * probs_stride + j] * v[static_cast<size_t>(j) * d + c];
}

}  // namespace attn
}  // namespace RUNNEL_ISA_NAMESPACE
}  // namespace runnel::kernels

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_ATTENTION_H_
