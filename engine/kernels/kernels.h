// Numeric kernels of the engine: float32, no allocation, no exceptions.
// Built with xsimd batches unless RUNNEL_SCALAR is defined (microcontrollers), in which
// case the plain loops are used; both give the same results within 1e-5.
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_H_

#include "engine/format/rnl_spec.h"

namespace runnel::kernels {

float dot(const float* a, const float* b, int n);
// y = W x (+ b when b != nullptr); W is [rows, cols] row-major ("[out, in]" in the format).
void matvec(const float* w, const float* x, const float* b, int rows, int cols, float* y);
// y += a * x
void axpy(float a, const float* x, float* y, int n);
// y = a + b
void add(const float* a, const float* b, float* y, int n);
// x *= s
void scale(float* x, float s, int n);
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
int argmax(const float* x, int n);
// The k largest values, by value descending (ties: lower index first). k <= n.
void top_k(const float* x, int n, int k, int* indices, float* values);

}  // namespace runnel::kernels

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_H_
