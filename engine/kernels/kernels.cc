// The public kernels: each call goes to the table of the instruction set the process runs
// (kernels/isa.h) — the build's own kernels (xsimd, or the reference loops in a scalar
// build) or, on x86-64 CPUs with AVX-512, kernels_avx512.cc's build of the same code.
#include "engine/kernels/kernels.h"

#include "engine/kernels/isa.h"
#include "engine/kernels/kernels_attention.h"
#include "engine/kernels/kernels_config.h"
#include "engine/kernels/kernels_reference.h"
#include "engine/kernels/kernels_table.h"

#if RUNNEL_KERNELS_SIMD
#include "engine/kernels/kernels_simd.h"
#endif

namespace runnel::kernels {
namespace {

#if RUNNEL_KERNELS_SIMD
constexpr KernelTable kBaseline = RUNNEL_KERNEL_TABLE(simd, simd::arch_name(), simd::kWidth);
#else
constexpr KernelTable kBaseline = RUNNEL_KERNEL_TABLE(ref, "scalar", 1);
#endif

// One relaxed load and a predictable branch per call (best_isa() is decided once).
const KernelTable& active() {
  switch (best_isa()) {
    case Isa::kAvx512: {
      static const KernelTable* const avx512 = avx512_kernel_table();  // non-null: isa_runs()
      return *avx512;
    }
    case Isa::kAvx512Vnni: {
      static const KernelTable* const vnni = avx512_vnni_kernel_table();
      return *vnni;
    }
    case Isa::kBaseline: break;
  }
  return kBaseline;
}

}  // namespace

const KernelTable* baseline_kernel_table() { return &kBaseline; }

const char* backend_name() { return active().name; }

float dot(const float* a, const float* b, int n) { return active().dot(a, b, n); }
float sum(const float* x, int n) { return active().sum(x, n); }
float max_value(const float* x, int n) { return active().max_value(x, n); }

void matvec(const float* w, const float* x, const float* b, int rows, int cols, float* y) {
  active().matvec(w, x, b, rows, cols, y);
}
void matvec_acc(const float* w, const float* x, int rows, int cols, float* y) {
  active().matvec_acc(w, x, rows, cols, y);
}
void dense(const float* w, const float* x, const float* b, int rows, int cols,
           rnl::Activation act, float* y) {
  active().dense(w, x, b, rows, cols, act, y);
}

void axpy(float a, const float* x, float* y, int n) { active().axpy(a, x, y, n); }
void matvec_q8(const int8_t* w, const float* scales, const float* x, const float* b, int rows, int cols,
               float* y) {
  active().matvec_q8(w, scales, x, b, rows, cols, y);
}
void axpy_q8(float a, const int8_t* q, float* y, int n) { active().axpy_q8(a, q, y, n); }

void matvec(const Matrix& w, const float* x, const float* b, int rows, int cols, float* y) {
  if (w.is_int8()) active().matvec_q8(w.q8, w.scales, x, b, rows, cols, y);
  else active().matvec(w.f32, x, b, rows, cols, y);
}
void dense(const Matrix& w, const float* x, const float* b, int rows, int cols, rnl::Activation act, float* y) {
  if (!w.is_int8()) return active().dense(w.f32, x, b, rows, cols, act, y);
  const KernelTable& t = active();
  t.matvec_q8(w.q8, w.scales, x, b, rows, cols, y);
  t.activate(act, y, rows);
}
void add(const float* a, const float* b, float* y, int n) { active().add(a, b, y, n); }
void mul(const float* a, const float* b, float* y, int n) { active().mul(a, b, y, n); }
void maximum(const float* a, const float* b, float* y, int n) { active().maximum(a, b, y, n); }
void scale(float* x, float s, int n) { active().scale(x, s, n); }
void exp_inplace(float* x, int n) { active().exp_inplace(x, n); }
void softmax(float* x, int n) { active().softmax(x, n); }
void layer_norm(const float* x, const float* gamma, const float* beta, float eps, float* y, int n) {
  active().layer_norm(x, gamma, beta, eps, y, n);
}

void relu(float* x, int n) { active().relu(x, n); }
void gelu_tanh(float* x, int n) { active().gelu_tanh(x, n); }
void gelu_erf(float* x, int n) { active().gelu_erf(x, n); }
void tanh_inplace(float* x, int n) { active().tanh_inplace(x, n); }
void sigmoid(float* x, int n) { active().sigmoid(x, n); }
void activate(rnl::Activation act, float* x, int n) { active().activate(act, x, n); }

int argmax(const float* x, int n) { return active().argmax(x, n); }
void top_k(const float* x, int n, int k, int* indices, float* values) {
  active().top_k(x, n, k, indices, values);
}

float add_query_dot_keys(const float* q, const float* k_t, int head_dim, int n, int stride, float* scores) {
  return active().add_query_dot_keys(q, k_t, head_dim, n, stride, scores);
}
float exp_shifted_sum(float* scores, int n, float top) { return active().exp_shifted_sum(scores, n, top); }
// Its SIMD loop needs heads of whole batches; heads narrower than an AVX-512 batch (d 32 with
// 4 heads: 8 floats) run the baseline loop, which still covers them with 8-wide batches.
void weighted_value_sum(const float* probs, int probs_stride, const float* v, int n, int d, int head_dim,
                        float* out) {
  const KernelTable& t = active();
  (head_dim % t.lanes == 0 ? t : kBaseline).weighted_value_sum(probs, probs_stride, v, n, d, head_dim, out);
}

}  // namespace runnel::kernels
