// Numeric kernels of the engine: float32, no allocation, no exceptions.
//
// Two implementations sit side by side:
//   kernels_reference.h  plain loops (namespace ref): the definition of the numerics;
//   kernels_simd.h       xsimd batches (namespace simd) for the architecture the compile
//                        flags select (SSE/AVX2/AVX-512/NEON).
// The functions below dispatch at compile time: the SIMD path unless RUNNEL_SCALAR is
// defined (microcontroller builds, `bazel ... --config=scalar`) or xsimd finds no SIMD
// architecture for the target. Both paths agree within 1e-5 (tests/kernels_test.cc).
// Sizes n, rows, cols may be any value >= 0 (>= 1 where a max/argmax is taken); pointers
// need no particular alignment.
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_H_

#include <cstddef>
#include <cstdint>

#include "engine/format/rnl_spec.h"

namespace runnel::kernels {

// "scalar" or the xsimd architecture name (e.g. "fma3+avx2"): for `runnel inspect`/bench.
const char* backend_name();

float dot(const float* a, const float* b, int n);
float sum(const float* x, int n);
// Largest value; n >= 1.
float max_value(const float* x, int n);
// y = W x (+ b when b != nullptr); W is [rows, cols] row-major ("[out, in]" in the format).
void matvec(const float* w, const float* x, const float* b, int rows, int cols, float* y);
// y += W x: accumulates several products into one output (GRU/LSTM gates, conv taps).
void matvec_acc(const float* w, const float* x, int rows, int cols, float* y);
// y = act(W x + b): a dense layer in one call. b may be nullptr.
void dense(const float* w, const float* x, const float* b, int rows, int cols,
           rnl::Activation act, float* y);
// y += a * x
void axpy(float a, const float* x, float* y, int n);

// int8 weights (symmetric, one f32 scale per output row): row r of W stands for
// scales[r] · q[r, :]. The input is rounded to 16-bit integers with one scale (its largest
// magnitude / 32767), the dot products are exact integer sums, and each row's sum is
// scaled once; kernels_reference.h defines the steps and says why.
// y = scales ⊙ (Q x) (+ b when b != nullptr); Q is [rows, cols] row-major int8.
void matvec_q8(const int8_t* w, const float* scales, const float* x, const float* b, int rows, int cols,
               float* y);
// y += a * q: one dequantised row (an int8 embedding row with its scale a) added to y.
void axpy_q8(float a, const int8_t* q, float* y, int n);

// A weight matrix [rows, cols] (row-major, "[out, in]") as the model file holds it: f32, or
// int8 with one f32 scale per row. A view: it owns nothing. Converts from a plain f32
// pointer, so f32 call sites read as before.
struct Matrix {
  const float* f32 = nullptr;
  const int8_t* q8 = nullptr;
  const float* scales = nullptr;  // [rows], with q8

  Matrix() = default;
  Matrix(const float* w) : f32(w) {}  // NOLINT(google-explicit-constructor): f32 is the common case
  static Matrix int8(const int8_t* q, const float* row_scales) {
    Matrix m;
    m.q8 = q;
    m.scales = row_scales;
    return m;
  }
  bool is_int8() const { return q8 != nullptr; }
  explicit operator bool() const { return f32 != nullptr || (q8 != nullptr && scales != nullptr); }
};

// matvec / dense on either storage: the f32 kernels or their _q8 forms.
void matvec(const Matrix& w, const float* x, const float* b, int rows, int cols, float* y);
void dense(const Matrix& w, const float* x, const float* b, int rows, int cols, rnl::Activation act, float* y);
// y = a + b, y = a * b, y = max(a, b) element-wise; y may alias a or b.
void add(const float* a, const float* b, float* y, int n);
void mul(const float* a, const float* b, float* y, int n);
void maximum(const float* a, const float* b, float* y, int n);
// x *= s
void scale(float* x, float s, int n);
// x = exp(x) in place.
void exp_inplace(float* x, int n);
// softmax in place, numerically stable (max subtracted).
void softmax(float* x, int n);
// y = (x - mean) / sqrt(var + eps) * gamma + beta, biased variance. y may alias x.
void layer_norm(const float* x, const float* gamma, const float* beta, float eps, float* y, int n);
// In place element-wise activations.
void relu(float* x, int n);
void gelu_tanh(float* x, int n);
void gelu_erf(float* x, int n);
void tanh_inplace(float* x, int n);
void sigmoid(float* x, int n);
void activate(rnl::Activation act, float* x, int n);
// First index of the largest value (ties: lowest index). n >= 1.
int argmax(const float* x, int n);
// The k largest values, by value descending (ties: lower index first). k <= n.
void top_k(const float* x, int n, int k, int* indices, float* values);

// Attention of one query over a cache of n keys/values (the streaming case: one new event
// against a window of cached ones), in layers/support/attention_core.h's layouts: keys transposed
// [d, stride] (column j is key j), values row-major [stride, d].
// scores[j] += q · k_t[:, j] over one head's head_dim rows of k_t, j < n (n >= 1); returns
// the largest score.
float add_query_dot_keys(const float* q, const float* k_t, int head_dim, int n, int stride, float* scores);
// scores[j] = exp(scores[j] - top), j < n; returns their sum (a softmax without its division).
float exp_shifted_sum(float* scores, int n, float top);
// out[c] = sum_{j<n} probs[head(c)·probs_stride + j] · v[j·d + c], head(c) = c / head_dim.
void weighted_value_sum(const float* probs, int probs_stride, const float* v, int n, int d, int head_dim,
                        float* out);

}  // namespace runnel::kernels

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_H_
