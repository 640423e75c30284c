// xsimd kernels (namespace simd): the same functions as kernels_reference.h, computed on
// xsimd::batch<float> of the architecture chosen by the compile flags. Included only
// where kernels_config.h says RUNNEL_KERNELS_SIMD == 1.
//
// Element-wise maps run their tail (n not a multiple of the batch width) through the same
// batch code on a zero-padded copy, so every element sees the same exp/tanh/erf
// approximation. Reductions keep two accumulators (to hide FMA latency) and finish the
// tail with scalar terms. Compare-bound kernels with exact tie rules (argmax, top_k) are
// the reference ones.
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_SIMD_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_SIMD_H_

#include <cstddef>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "engine/kernels/batch_ops.h"
#include "engine/kernels/kernels_reference.h"

namespace runnel::kernels {
inline namespace RUNNEL_ISA_NAMESPACE {
namespace simd {

using Batch = xsimd::batch<float>;
constexpr int kWidth = static_cast<int>(Batch::size);

constexpr const char* arch_name() { return Batch::arch_type::name(); }

inline Batch load(const float* p) { return Batch::load_unaligned(p); }

// ---- building blocks ------------------------------------------------------------------

// x[i] = f(x[i]) for a batch function f.
template <class F>
inline void map_inplace(float* x, int n, F f) {
  int i = 0;
  for (; i + kWidth <= n; i += kWidth) f(load(x + i)).store_unaligned(x + i);
  if (i == n) return;
  float tail[kWidth] = {};
  std::memcpy(tail, x + i, sizeof(float) * (n - i));
  f(load(tail)).store_unaligned(tail);
  std::memcpy(x + i, tail, sizeof(float) * (n - i));
}

// y[i] = f(a[i], b[i]) for a batch function f; y may alias a or b.
template <class F>
inline void zip(const float* a, const float* b, float* y, int n, F f) {
  int i = 0;
  for (; i + kWidth <= n; i += kWidth) f(load(a + i), load(b + i)).store_unaligned(y + i);
  if (i == n) return;
  float ta[kWidth] = {}, tb[kWidth] = {};
  std::memcpy(ta, a + i, sizeof(float) * (n - i));
  std::memcpy(tb, b + i, sizeof(float) * (n - i));
  f(load(ta), load(tb)).store_unaligned(ta);
  std::memcpy(y + i, ta, sizeof(float) * (n - i));
}

// sum over i < n of term(i): batch_term(i) covers elements [i, i + kWidth).
template <class BatchTerm, class ScalarTerm>
inline float sum_of(int n, BatchTerm batch_term, ScalarTerm scalar_term) {
  Batch acc0(0.f), acc1(0.f);
  int i = 0;
  for (; i + 2 * kWidth <= n; i += 2 * kWidth) {
    acc0 += batch_term(i);
    acc1 += batch_term(i + kWidth);
  }
  for (; i + kWidth <= n; i += kWidth) acc0 += batch_term(i);
  float s = xsimd::hadd(acc0 + acc1);
  for (; i < n; ++i) s += scalar_term(i);
  return s;
}

// ---- reductions -----------------------------------------------------------------------

inline float dot(const float* a, const float* b, int n) {
  return sum_of(
      n, [=](int i) { return load(a + i) * load(b + i); }, [=](int i) { return a[i] * b[i]; });
}

inline float sum(const float* x, int n) {
  return sum_of(n, [=](int i) { return load(x + i); }, [=](int i) { return x[i]; });
}

inline float max_value(const float* x, int n) {
  if (n < kWidth) return ref::max_value(x, n);
  Batch m = load(x);
  int i = kWidth;
  for (; i + kWidth <= n; i += kWidth) m = xsimd::max(m, load(x + i));
  float lanes[kWidth];
  m.store_unaligned(lanes);
  const float lane_max = ref::max_value(lanes, kWidth);
  const float tail_max = i < n ? ref::max_value(x + i, n - i) : lane_max;
  return tail_max > lane_max ? tail_max : lane_max;
}

// ---- matrix-vector --------------------------------------------------------------------

// Rows [r, r + kWidth) of W·x as one batch, lane k = row r + k: one accumulator per row
// while x streams past once, then one row_sums for the block instead of a horizontal sum
// per row (with 64-wide rows a matvec spent as long on those as on its multiply-adds).
RUNNEL_BATCH_INLINE Batch row_block_dot(const float* w, const float* x, int cols, int r) {
  const float* block = ref::row(w, r, cols);
  Batch acc[kWidth];
#pragma GCC unroll 16
  for (int k = 0; k < kWidth; ++k) acc[k] = Batch(0.f);
  int c = 0;
  for (; c + kWidth <= cols; c += kWidth) {
    const Batch xb = load(x + c);
#pragma GCC unroll 16
    for (int k = 0; k < kWidth; ++k) acc[k] = xsimd::fma(load(block + static_cast<std::ptrdiff_t>(k) * cols + c), xb, acc[k]);
  }
  Batch sums = row_sums(acc);
  if (c < cols) {  // the columns past the last whole batch, row by row
    alignas(64) float tail[kWidth];
    for (int k = 0; k < kWidth; ++k) tail[k] = ref::dot(block + static_cast<std::ptrdiff_t>(k) * cols + c, x + c, cols - c);
    sums += Batch::load_aligned(tail);
  }
  return sums;
}

// Calls emit(r, dot(W[r], x)) for the rows from r on (those after the last whole block):
// four rows share each load of x.
template <class Emit>
inline void for_each_row_dot(const float* w, const float* x, int r, int rows, int cols, Emit emit) {
  for (; r + 4 <= rows; r += 4) {
    const float* w0 = ref::row(w, r, cols);
    const float* w1 = w0 + cols;
    const float* w2 = w1 + cols;
    const float* w3 = w2 + cols;
    Batch a0(0.f), a1(0.f), a2(0.f), a3(0.f);
    int c = 0;
    for (; c + kWidth <= cols; c += kWidth) {
      const Batch xb = load(x + c);
      a0 = xsimd::fma(load(w0 + c), xb, a0);
      a1 = xsimd::fma(load(w1 + c), xb, a1);
      a2 = xsimd::fma(load(w2 + c), xb, a2);
      a3 = xsimd::fma(load(w3 + c), xb, a3);
    }
    float s[4] = {xsimd::hadd(a0), xsimd::hadd(a1), xsimd::hadd(a2), xsimd::hadd(a3)};
    for (; c < cols; ++c) {
      s[0] += w0[c] * x[c];
      s[1] += w1[c] * x[c];
      s[2] += w2[c] * x[c];
      s[3] += w3[c] * x[c];
    }
    for (int k = 0; k < 4; ++k) emit(r + k, s[k]);
  }
  for (; r < rows; ++r) emit(r, dot(ref::row(w, r, cols), x, cols));
}

// y = W x (+ b) (+ y when kAccumulate).
template <bool kAccumulate>
inline void matvec_rows(const float* w, const float* x, const float* b, int rows, int cols, float* y) {
  int r = 0;
  if (cols >= kWidth) {
    for (; r + kWidth <= rows; r += kWidth) {
      Batch v = row_block_dot(w, x, cols, r);
      if (b) v += load(b + r);
      if (kAccumulate) v += load(y + r);
      v.store_unaligned(y + r);
    }
  }
  for_each_row_dot(w, x, r, rows, cols, [=](int row, float v) {
    if (b) v += b[row];
    y[row] = kAccumulate ? y[row] + v : v;
  });
}

inline void matvec(const float* w, const float* x, const float* b, int rows, int cols, float* y) {
  matvec_rows<false>(w, x, b, rows, cols, y);
}

inline void matvec_acc(const float* w, const float* x, int rows, int cols, float* y) {
  matvec_rows<true>(w, x, nullptr, rows, cols, y);
}

// ---- int8 weights (numerics: kernels_reference.h) -------------------------------------

using IntB = IntBatch<Batch>;
constexpr int kQ8Step = kernels::kQ8Step<Batch>;

// The largest |x[i]|, or NaN when some x[i] is not finite.
inline float max_abs_or_nan(const float* x, int n) {
  Batch m(0.f);
  auto bad = m != m;  // all false
  int i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    const Batch a = xsimd::abs(load(x + i));
    bad = bad | !(a < Batch(HUGE_VALF));  // NaN and ±Inf
    m = xsimd::max(m, a);
  }
  if (xsimd::any(bad)) return NAN;
  alignas(64) float lanes[kWidth];
  m.store_aligned(lanes);
  const float tail = ref::max_abs_or_nan(x + i, n - i);
  if (std::isnan(tail)) return NAN;
  return ref::max_value(lanes, kWidth) > tail ? ref::max_value(lanes, kWidth) : tail;
}

// Rows [r, r + kWidth) of Q·xq over the n columns from c0 (n <= kQ8Block): exact sums.
RUNNEL_BATCH_INLINE IntB q8_row_block(const int8_t* w, int cols, int r, int c0, const int16_t* xq, int n) {
  const int8_t* block = ref::row_q8(w, r, cols) + c0;
  IntB acc[kWidth];
#pragma GCC unroll 16
  for (int k = 0; k < kWidth; ++k) acc[k] = IntB(0);
  int c = 0;
  for (; c + kQ8Step <= n; c += kQ8Step) {
#pragma GCC unroll 16
    for (int k = 0; k < kWidth; ++k) acc[k] = madd_q8<Batch>(acc[k], block + static_cast<std::ptrdiff_t>(k) * cols + c, xq + c);
  }
  IntB sums = row_sums_i32<Batch>(acc);
  if (c < n) {
    alignas(64) int32_t tail[kWidth];
    for (int k = 0; k < kWidth; ++k) tail[k] = ref::dot_q8_q15(block + static_cast<std::ptrdiff_t>(k) * cols + c, xq + c, n - c);
    sums += IntB::load_aligned(tail);
  }
  return sums;
}

inline int32_t q8_row_dot(const int8_t* q, const int16_t* xq, int n) {
  IntB acc(0);
  int c = 0;
  for (; c + kQ8Step <= n; c += kQ8Step) acc = madd_q8<Batch>(acc, q + c, xq + c);
  return xsimd::hadd(acc) + ref::dot_q8_q15(q + c, xq + c, n - c);
}

// y[r] for rows [r0, rows) from the n columns at c0: the block's exact sums, then (kLast)
// the scale and bias, or (!kFirst) added to the earlier blocks' sums already in y.
template <bool kFirst, bool kLast>
inline void q8_rows(const int8_t* w, const float* scales, const int16_t* xq, float s_x, const float* b, int rows,
                    int cols, int c0, int n, float* y) {
  int r = 0;
  for (; r + kWidth <= rows; r += kWidth) {
    Batch v = xsimd::batch_cast<float>(q8_row_block(w, cols, r, c0, xq, n));
    if (!kFirst) v += load(y + r);
    if (kLast) {
      v = v * Batch(s_x) * load(scales + r);
      if (b) v += load(b + r);
    }
    v.store_unaligned(y + r);
  }
  for (; r < rows; ++r) {
    float v = static_cast<float>(q8_row_dot(ref::row_q8(w, r, cols) + c0, xq, n));
    if (!kFirst) v += y[r];
    y[r] = kLast ? ref::scale_q8_sum(v, s_x, scales[r], b, r) : v;
  }
}

inline void matvec_q8(const int8_t* w, const float* scales, const float* x, const float* b, int rows, int cols,
                      float* y) {
  const float m = max_abs_or_nan(x, cols);
  if (std::isnan(m)) return ref::matvec_q8_dequantised(w, scales, x, b, rows, cols, y);
  if (m < ref::kQ8MinRange) {
    for (int r = 0; r < rows; ++r) y[r] = b ? b[r] : 0.f;
    return;
  }
  const float s_x = m / ref::kQ15Max, inv = ref::kQ15Max / m;
  alignas(64) int16_t xq[ref::kQ8Block];
  if (cols <= ref::kQ8Block) {  // one block: the common case
    quantize_q15<Batch>(x, cols, inv, xq);
    return q8_rows<true, true>(w, scales, xq, s_x, b, rows, cols, 0, cols, y);
  }
  for (int c0 = 0; c0 < cols; c0 += ref::kQ8Block) {
    const int n = cols - c0 < ref::kQ8Block ? cols - c0 : ref::kQ8Block;
    quantize_q15<Batch>(x + c0, n, inv, xq);
    if (c0 == 0) q8_rows<true, false>(w, scales, xq, s_x, b, rows, cols, c0, n, y);
    else if (c0 + n < cols) q8_rows<false, false>(w, scales, xq, s_x, b, rows, cols, c0, n, y);
    else q8_rows<false, true>(w, scales, xq, s_x, b, rows, cols, c0, n, y);
  }
}

// ---- element-wise ---------------------------------------------------------------------

inline void axpy(float a, const float* x, float* y, int n) {
  const Batch ab(a);
  zip(x, y, y, n, [=](Batch xv, Batch yv) { return xsimd::fma(ab, xv, yv); });
}

using ref::axpy_q8;  // embedding rows: a few dozen values per event

inline void add(const float* a, const float* b, float* y, int n) {
  zip(a, b, y, n, [](Batch u, Batch v) { return u + v; });
}

inline void mul(const float* a, const float* b, float* y, int n) {
  zip(a, b, y, n, [](Batch u, Batch v) { return u * v; });
}

inline void maximum(const float* a, const float* b, float* y, int n) {
  zip(a, b, y, n, [](Batch u, Batch v) { return xsimd::max(u, v); });
}

inline void scale(float* x, float s, int n) {
  const Batch sb(s);
  map_inplace(x, n, [=](Batch v) { return v * sb; });
}

inline void exp_inplace(float* x, int n) {
  map_inplace(x, n, [](Batch v) { return xsimd::exp(v); });
}

inline void softmax(float* x, int n) {
  const Batch m(max_value(x, n));
  map_inplace(x, n, [=](Batch v) { return xsimd::exp(v - m); });
  scale(x, 1.f / sum(x, n), n);
}

inline void layer_norm(const float* x, const float* gamma, const float* beta, float eps, float* y,
                       int n) {
  const float mean = sum(x, n) / n;
  const Batch mb(mean);
  const float var = sum_of(
      n, [=](int i) { const Batch d = load(x + i) - mb; return d * d; },
      [=](int i) { return (x[i] - mean) * (x[i] - mean); });
  const float inv = 1.f / std::sqrt(var / n + eps);
  const Batch ib(inv);
  int i = 0;
  for (; i + kWidth <= n; i += kWidth)
    xsimd::fma((load(x + i) - mb) * ib, load(gamma + i), load(beta + i)).store_unaligned(y + i);
  for (; i < n; ++i) y[i] = (x[i] - mean) * inv * gamma[i] + beta[i];
}

// ---- activations ----------------------------------------------------------------------

inline void relu(float* x, int n) {
  const Batch zero(0.f);
  map_inplace(x, n, [=](Batch v) { return xsimd::max(v, zero); });
}

inline void gelu_tanh(float* x, int n) {
  const Batch half(0.5f), one(1.f), c(ref::kSqrt2OverPi), k(ref::kGeluCubic);
  map_inplace(x, n, [=](Batch v) {
    const Batch inner = c * xsimd::fma(k * v, v * v, v);
    return half * v * (one + xsimd::tanh(inner));
  });
}

inline void gelu_erf(float* x, int n) {
  const Batch half(0.5f), one(1.f), s(ref::kInvSqrt2);
  map_inplace(x, n, [=](Batch v) { return half * v * (one + xsimd::erf(v * s)); });
}

inline void tanh_inplace(float* x, int n) {
  map_inplace(x, n, [](Batch v) { return xsimd::tanh(v); });
}

inline void sigmoid(float* x, int n) {
  const Batch one(1.f);
  map_inplace(x, n, [=](Batch v) { return one / (one + xsimd::exp(-v)); });
}

inline void activate(rnl::Activation act, float* x, int n) {
  switch (act) {
    case rnl::Activation::kNone: return;
    case rnl::Activation::kRelu: return relu(x, n);
    case rnl::Activation::kGeluTanh: return gelu_tanh(x, n);
    case rnl::Activation::kGeluErf: return gelu_erf(x, n);
    case rnl::Activation::kTanh: return tanh_inplace(x, n);
    case rnl::Activation::kSigmoid: return sigmoid(x, n);
  }
}

inline void dense(const float* w, const float* x, const float* b, int rows, int cols,
                  rnl::Activation act, float* y) {
  matvec(w, x, b, rows, cols, y);
  activate(act, y, rows);
}

using ref::argmax;
using ref::top_k;

}  // namespace simd
}  // namespace RUNNEL_ISA_NAMESPACE
}  // namespace runnel::kernels

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_SIMD_H_
