// Compile-time dispatch of the public kernels to the xsimd or the reference path.
#include "engine/kernels/kernels.h"

#include "engine/kernels/kernels_config.h"
#include "engine/kernels/kernels_reference.h"

#if RUNNEL_KERNELS_SIMD
#include "engine/kernels/kernels_simd.h"
#endif

namespace runnel::kernels {

#if RUNNEL_KERNELS_SIMD
namespace impl = simd;
const char* backend_name() { return simd::arch_name(); }
#else
namespace impl = ref;
const char* backend_name() { return "scalar"; }
#endif

float dot(const float* a, const float* b, int n) { return impl::dot(a, b, n); }
float sum(const float* x, int n) { return impl::sum(x, n); }
float max_value(const float* x, int n) { return impl::max_value(x, n); }

void matvec(const float* w, const float* x, const float* b, int rows, int cols, float* y) {
  impl::matvec(w, x, b, rows, cols, y);
}
void matvec_acc(const float* w, const float* x, int rows, int cols, float* y) {
  impl::matvec_acc(w, x, rows, cols, y);
}
void dense(const float* w, const float* x, const float* b, int rows, int cols,
           rnl::Activation act, float* y) {
  impl::dense(w, x, b, rows, cols, act, y);
}

void axpy(float a, const float* x, float* y, int n) { impl::axpy(a, x, y, n); }
void add(const float* a, const float* b, float* y, int n) { impl::add(a, b, y, n); }
void mul(const float* a, const float* b, float* y, int n) { impl::mul(a, b, y, n); }
void maximum(const float* a, const float* b, float* y, int n) { impl::maximum(a, b, y, n); }
void scale(float* x, float s, int n) { impl::scale(x, s, n); }
void exp_inplace(float* x, int n) { impl::exp_inplace(x, n); }
void softmax(float* x, int n) { impl::softmax(x, n); }
void layer_norm(const float* x, const float* gamma, const float* beta, float eps, float* y, int n) {
  impl::layer_norm(x, gamma, beta, eps, y, n);
}

void relu(float* x, int n) { impl::relu(x, n); }
void gelu_tanh(float* x, int n) { impl::gelu_tanh(x, n); }
void gelu_erf(float* x, int n) { impl::gelu_erf(x, n); }
void tanh_inplace(float* x, int n) { impl::tanh_inplace(x, n); }
void sigmoid(float* x, int n) { impl::sigmoid(x, n); }
void activate(rnl::Activation act, float* x, int n) { impl::activate(act, x, n); }

int argmax(const float* x, int n) { return impl::argmax(x, n); }
void top_k(const float* x, int n, int k, int* indices, float* values) {
  impl::top_k(x, n, k, indices, values);
}

}  // namespace runnel::kernels
