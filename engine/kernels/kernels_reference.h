// Reference kernels: the plain loops every optimised path is measured against.
//
// They define the numerics (order of operations, tie rules, NaN behaviour of argmax) and
// are what a RUNNEL_SCALAR build (microcontrollers) runs. Header-only so the tests can
// call them next to the dispatched kernels of kernels.h. No allocation, no exceptions.
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_REFERENCE_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_REFERENCE_H_

#include <cmath>
#include <cstddef>

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
