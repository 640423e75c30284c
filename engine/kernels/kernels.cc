// Plain-loop kernels. The xsimd path is added beside these (see kernels.h).
#include "engine/kernels/kernels.h"

#include <cmath>

namespace runnel::kernels {

float dot(const float* a, const float* b, int n) {
  float s = 0.f;
  for (int i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

void matvec(const float* w, const float* x, const float* b, int rows, int cols, float* y) {
  for (int r = 0; r < rows; ++r) y[r] = dot(w + static_cast<long>(r) * cols, x, cols) + (b ? b[r] : 0.f);
}

void axpy(float a, const float* x, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

void add(const float* a, const float* b, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] = a[i] + b[i];
}

void scale(float* x, float s, int n) {
  for (int i = 0; i < n; ++i) x[i] *= s;
}

void softmax(float* x, int n) {
  float m = x[0];
  for (int i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
  float s = 0.f;
  for (int i = 0; i < n; ++i) s += (x[i] = std::exp(x[i] - m));
  scale(x, 1.f / s, n);
}

void layer_norm(const float* x, const float* gamma, const float* beta, float eps, float* y, int n) {
  float mean = 0.f;
  for (int i = 0; i < n; ++i) mean += x[i];
  mean /= n;
  float var = 0.f;
  for (int i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
  const float inv = 1.f / std::sqrt(var / n + eps);
  for (int i = 0; i < n; ++i) y[i] = (x[i] - mean) * inv * gamma[i] + beta[i];
}

void relu(float* x, int n) { for (int i = 0; i < n; ++i) x[i] = x[i] > 0.f ? x[i] : 0.f; }

void gelu_tanh(float* x, int n) {
  const float c = 0.7978845608028654f;  // sqrt(2/pi)
  for (int i = 0; i < n; ++i) x[i] = 0.5f * x[i] * (1.f + std::tanh(c * (x[i] + 0.044715f * x[i] * x[i] * x[i])));
}

void gelu_erf(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = 0.5f * x[i] * (1.f + std::erf(x[i] * 0.7071067811865476f));
}

void tanh_inplace(float* x, int n) { for (int i = 0; i < n; ++i) x[i] = std::tanh(x[i]); }

void sigmoid(float* x, int n) { for (int i = 0; i < n; ++i) x[i] = 1.f / (1.f + std::exp(-x[i])); }

void activate(rnl::Activation act, float* x, int n) {
  switch (act) {
    case rnl::Activation::kNone: return;
    case rnl::Activation::kRelu: return relu(x, n);
    case rnl::Activation::kGeluTanh: return gelu_tanh(x, n);
    case rnl::Activation::kGeluErf: return gelu_erf(x, n);
    case rnl::Activation::kTanh: return tanh_inplace(x, n);
    case rnl::Activation::kSigmoid: return sigmoid(x, n);
  }
}

int argmax(const float* x, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i) if (x[i] > x[best]) best = i;
  return best;
}

void top_k(const float* x, int n, int k, int* indices, float* values) {
  // Insertion into a sorted prefix: k is small (top-5), n is a vocabulary.
  int filled = 0;
  for (int i = 0; i < n; ++i) {
    int pos = filled;
    while (pos > 0 && x[i] > values[pos - 1]) --pos;
    if (pos >= k) continue;
    for (int j = (filled < k ? filled : k - 1); j > pos; --j) { values[j] = values[j - 1]; indices[j] = indices[j - 1]; }
    values[pos] = x[i];
    indices[pos] = i;
    if (filled < k) ++filled;
  }
}

}  // namespace runnel::kernels
