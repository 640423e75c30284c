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
#ifndef RUNNEL_ENGINE_LAYERS_SUPPORT_ATTENTION_CORE_H_
#define RUNNEL_ENGINE_LAYERS_SUPPORT_ATTENTION_CORE_H_

#include <cmath>
#include <cstddef>
#include <cstring>

#include "engine/cache_line.h"
#include "engine/kernels/kernels.h"

namespace runnel {

// Weight views of one multi-head attention block; every matrix is [out, in] = [d, d], f32 or
// int8 (kernels::Matrix), each on its own; the biases are f32.
struct MhaWeights {
  kernels::Matrix wq;
  const float* bq = nullptr;
  kernels::Matrix wk;
  const float* bk = nullptr;
  kernels::Matrix wv;
  const float* bv = nullptr;
  kernels::Matrix wo;
  const float* bo = nullptr;
  int d = 0;
  int heads = 1;

  int head_dim() const { return d / heads; }
  float score_scale() const { return 1.f / std::sqrt(static_cast<float>(head_dim())); }
  bool valid() const {
    return wq && bq && wk && bk && wv && bv && wo && bo && d > 0 && heads > 0 &&
           heads <= static_cast<int>(rnl::kMaxHeads) && d % heads == 0;
  }
};

// Scratch floats attend_all_heads() needs for the probabilities of `heads` heads.
constexpr size_t probs_floats(int heads, int stride) {
  return static_cast<size_t>(heads) * round_to_line<float>(static_cast<size_t>(stride));
}

// Writes x into column `col` of a transposed [d, stride] cache.
inline void store_column(const float* x, int d, int stride, int col, float* cache_t) {
  for (int c = 0; c < d; ++c) cache_t[static_cast<size_t>(c) * stride + col] = x[c];
}

// All heads: out = concat_h softmax_j(bias_h(j) + q_h·k_h(j)) v_h(j) over the n keys
// (n >= 1; heads <= rnl::kMaxHeads).
// q: the projected query [d], already multiplied by score_scale(). k_t: transposed keys
// [d, stride]; v: values [stride, d]. fill_bias(head, scores) writes the n additive
// biases of that head's keys. probs: probs_floats(heads, stride) floats of scratch.
// out: [d], the concatenated head outputs (before the output projection).
template <class FillBias>
void attend_all_heads(const MhaWeights& w, const float* q, const float* k_t, const float* v, int n,
                      int stride, FillBias fill_bias, float* probs, float* out) {
  const int dh = w.head_dim();
  const int probs_stride = static_cast<int>(round_to_line<float>(static_cast<size_t>(stride)));
  float exp_sums[rnl::kMaxHeads];
  for (int h = 0; h < w.heads; ++h) {
    float* scores = probs + static_cast<size_t>(h) * probs_stride;
    const size_t first_row = static_cast<size_t>(h) * dh;
    fill_bias(h, scores);
    const float top = kernels::add_query_dot_keys(q + first_row, k_t + first_row * stride, dh, n, stride, scores);
    exp_sums[h] = kernels::exp_shifted_sum(scores, n, top);
  }
  kernels::weighted_value_sum(probs, probs_stride, v, n, w.d, dh, out);
  for (int h = 0; h < w.heads; ++h) kernels::scale(out + static_cast<size_t>(h) * dh, 1.f / exp_sums[h], dh);
}

}  // namespace runnel

#endif  // RUNNEL_ENGINE_LAYERS_SUPPORT_ATTENTION_CORE_H_
