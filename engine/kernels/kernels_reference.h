// Reference kernels: the plain loops every optimised path is measured against.
//
// They define the numerics (order of operations, tie rules, NaN behaviour of argmax) and
// are what a RUNNEL_SCALAR build (microcontrollers) runs. Header-only so the tests can
// call them next to the dispatched kernels of kernels.h. No allocation, no exceptions.
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_REFERENCE_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_REFERENCE_H_

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "engine/format/rnl_spec.h"
#include "engine/kernels/kernels_config.h"

namespace runnel::kernels {
inline namespace RUNNEL_ISA_NAMESPACE {
namespace ref {

inline float dot(const float* a, const float* b, int n) {
  float s = 0.f;
  for (int i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

inline float sum(const float* x, int n) {
  float s = 0.f;
  for (int i = 0; i < n; ++i) s += x[i];
  return s;
}

inline float max_value(const float* x, int n) {
  float m = x[0];
  for (int i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
  return m;
}

inline const float* row(const float* w, int r, int cols) {
  return w + static_cast<std::ptrdiff_t>(r) * cols;
}

inline void matvec(const float* w, const float* x, const float* b, int rows, int cols, float* y) {
  for (int r = 0; r < rows; ++r) y[r] = dot(row(w, r, cols), x, cols) + (b ? b[r] : 0.f);
}

inline void matvec_acc(const float* w, const float* x, int rows, int cols, float* y) {
  for (int r = 0; r < rows; ++r) y[r] += dot(row(w, r, cols), x, cols);
}

// ---- int8 weights ----------------------------------------------------------------------
// Row r of an int8 matrix stands for scales[r] · q[r, :] (symmetric, per output channel).
// An int8 matvec rounds its input vector to 16-bit integers with one scale for the whole
// vector, takes the dot products in exact integer arithmetic and scales each row's sum
// once:
//   m     = max_c |x[c]|,  s_x = m / 32767,  xq[c] = round_half_even(x[c] · (32767 / m))
//   acc_r = sum_c q[r, c] · xq[c]                  (exact: int32 over blocks of kQ8Block
//                                                   columns, the blocks' values summed in f32)
//   y[r]  = acc_r · s_x · scales[r] + b[r]
// Why not widen each int8 to f32 and use the f32 loop: that costs a conversion per weight
// on the FP ports, twice the work of an f32 multiply-add, and measured slower than f32 on
// AVX2; integer multiply-adds on 16-bit pairs (pmaddwd, NEON vmlal) are cheaper than f32
// ones. Rounding x to 16 bits adds at most s_x / 2 per input, ~1/65534 of the largest
// input, against the weights' own rounding of scales[r] / 2: it is well below the int8
// error (tests/kernels_test.cc bounds both). Integer sums do not depend on their order,
// so every instruction set gets the same acc_r as these loops.
// x with a NaN or an infinity: the dequantised f32 form (NaN and Inf propagate as in f32).
// m below kQ8MinRange: x counts as zero (y = b), which keeps 32767 / m finite.

// Columns per exact integer block: |acc| <= 128 · 32767 · 128 < 2^29, and the block of
// 16-bit inputs is 256 bytes of stack (Cortex-M4 builds count every byte).
constexpr int kQ8Block = 128;
constexpr float kQ8MinRange = 1e-30f;
constexpr float kQ15Max = 32767.f;

inline const int8_t* row_q8(const int8_t* w, int r, int cols) {
  return w + static_cast<std::ptrdiff_t>(r) * cols;
}

// The largest |x[i]|, or NaN when some x[i] is not finite.
inline float max_abs_or_nan(const float* x, int n) {
  float m = 0.f;
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) return NAN;
    m = std::fabs(x[i]) > m ? std::fabs(x[i]) : m;
  }
  return m;
}

// xq[i] = round_half_even(x[i] · inv) (|x[i] · inv| <= 32767 by construction of inv).
inline void quantize_q15(const float* x, int n, float inv, int16_t* xq) {
  for (int i = 0; i < n; ++i) xq[i] = static_cast<int16_t>(std::nearbyint(x[i] * inv));
}

inline int32_t dot_q8_q15(const int8_t* q, const int16_t* xq, int n) {
  int32_t s = 0;
  for (int i = 0; i < n; ++i) s += static_cast<int32_t>(q[i]) * xq[i];
  return s;
}

// y[r] = acc · s_x · scales[r] + b[r]: the one place the float steps after the integer
// sums are written down, so that every path rounds them the same way.
inline float scale_q8_sum(float acc, float s_x, float scale, const float* b, int r) {
  const float v = acc * s_x * scale;
  return b ? v + b[r] : v;
}

// The dequantised f32 form: only for inputs that are not finite.
inline void matvec_q8_dequantised(const int8_t* w, const float* scales, const float* x, const float* b, int rows,
                                  int cols, float* y) {
  for (int r = 0; r < rows; ++r) {
    float s = 0.f;
    for (int c = 0; c < cols; ++c) s += static_cast<float>(row_q8(w, r, cols)[c]) * x[c];
    y[r] = scales[r] * s + (b ? b[r] : 0.f);
  }
}

// y[r] = scales[r] · (q[r] · x) (+ b[r] when b != nullptr), with the numerics above.
inline void matvec_q8(const int8_t* w, const float* scales, const float* x, const float* b, int rows, int cols,
                      float* y) {
  const float m = max_abs_or_nan(x, cols);
  if (std::isnan(m)) return matvec_q8_dequantised(w, scales, x, b, rows, cols, y);
  if (m < kQ8MinRange) {
    for (int r = 0; r < rows; ++r) y[r] = b ? b[r] : 0.f;
    return;
  }
  const float s_x = m / kQ15Max, inv = kQ15Max / m;
  int16_t xq[kQ8Block];
  for (int c0 = 0; c0 < cols; c0 += kQ8Block) {
    const int n = cols - c0 < kQ8Block ? cols - c0 : kQ8Block;
    quantize_q15(x + c0, n, inv, xq);
    for (int r = 0; r < rows; ++r) {
      const float block = static_cast<float>(dot_q8_q15(row_q8(w, r, cols) + c0, xq, n));
      y[r] = c0 == 0 ? block : y[r] + block;
    }
  }
  for (int r = 0; r < rows; ++r) y[r] = scale_q8_sum(y[r], s_x, scales[r], b, r);
}

// y[i] += a · q[i]: one dequantised row (an int8 embedding row with its scale a) added to y.
inline void axpy_q8(float a, const int8_t* q, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * static_cast<float>(q[i]);
}

inline void axpy(float a, const float* x, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

inline void add(const float* a, const float* b, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] = a[i] + b[i];
}

inline void mul(const float* a, const float* b, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] = a[i] * b[i];
}

inline void maximum(const float* a, const float* b, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] = a[i] > b[i] ? a[i] : b[i];
}

inline void scale(float* x, float s, int n) {
  for (int i = 0; i < n; ++i) x[i] *= s;
}

inline void exp_inplace(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = std::exp(x[i]);
}

inline void softmax(float* x, int n) {
  const float m = max_value(x, n);
  float s = 0.f;
  for (int i = 0; i < n; ++i) s += (x[i] = std::exp(x[i] - m));
  scale(x, 1.f / s, n);
}

inline void layer_norm(const float* x, const float* gamma, const float* beta, float eps, float* y,
                       int n) {
  const float mean = sum(x, n) / n;
  float var = 0.f;
  for (int i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
  const float inv = 1.f / std::sqrt(var / n + eps);
  for (int i = 0; i < n; ++i) y[i] = (x[i] - mean) * inv * gamma[i] + beta[i];
}

constexpr float kSqrt2OverPi = 0.7978845608028654f;
constexpr float kGeluCubic = 0.044715f;
constexpr float kInvSqrt2 = 0.7071067811865476f;

inline void relu(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = x[i] > 0.f ? x[i] : 0.f;
}

inline void gelu_tanh(float* x, int n) {
  for (int i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = 0.5f * v * (1.f + std::tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v)));
  }
}

inline void gelu_erf(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = 0.5f * x[i] * (1.f + std::erf(x[i] * kInvSqrt2));
}

inline void tanh_inplace(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = std::tanh(x[i]);
}

inline void sigmoid(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = 1.f / (1.f + std::exp(-x[i]));
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

// First index of the largest value; NaNs never win (except at index 0).
inline int argmax(const float* x, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (x[i] > x[best]) best = i;
  return best;
}

inline void top_k(const float* x, int n, int k, int* indices, float* values) {
  // Insertion into a sorted prefix: k is small (top-5), n is a vocabulary. The strict '>'
  // keeps an earlier index ahead of a later equal value.
  int filled = 0;
  for (int i = 0; i < n; ++i) {
    int pos = filled;
    while (pos > 0 && x[i] > values[pos - 1]) --pos;
    if (pos >= k) continue;
    for (int j = (filled < k ? filled : k - 1); j > pos; --j) {
      values[j] = values[j - 1];
      indices[j] = indices[j - 1];
    }
    values[pos] = x[i];
    indices[pos] = i;
    if (filled < k) ++filled;
  }
}

}  // namespace ref
}  // namespace RUNNEL_ISA_NAMESPACE
}  // namespace runnel::kernels

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_REFERENCE_H_
