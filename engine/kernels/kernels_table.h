// The kernels of one instruction set as a table of function pointers: kernels.cc calls
// through the table of the instruction set the process runs (kernels/isa.h).
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_TABLE_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_TABLE_H_

#include <cstdint>

#include "engine/format/rnl_spec.h"

namespace runnel::kernels {

struct KernelTable {
  const char* name;  // "fma3+avx2", "avx512bw", "scalar", …
  int lanes;         // floats per SIMD batch (1: scalar)
  float (*dot)(const float*, const float*, int);
  float (*sum)(const float*, int);
  float (*max_value)(const float*, int);
  void (*matvec)(const float*, const float*, const float*, int, int, float*);
  void (*matvec_acc)(const float*, const float*, int, int, float*);
  void (*dense)(const float*, const float*, const float*, int, int, rnl::Activation, float*);
  void (*axpy)(float, const float*, float*, int);
  void (*matvec_q8)(const int8_t*, const float*, const float*, const float*, int, int, float*);
  void (*axpy_q8)(float, const int8_t*, float*, int);
  void (*add)(const float*, const float*, float*, int);
  void (*mul)(const float*, const float*, float*, int);
  void (*maximum)(const float*, const float*, float*, int);
  void (*scale)(float*, float, int);
  void (*exp_inplace)(float*, int);
  void (*softmax)(float*, int);
  void (*layer_norm)(const float*, const float*, const float*, float, float*, int);
  void (*relu)(float*, int);
  void (*gelu_tanh)(float*, int);
  void (*gelu_erf)(float*, int);
  void (*tanh_inplace)(float*, int);
  void (*sigmoid)(float*, int);
  void (*activate)(rnl::Activation, float*, int);
  int (*argmax)(const float*, int);
  void (*top_k)(const float*, int, int, int*, float*);
  float (*add_query_dot_keys)(const float*, const float*, int, int, int, float*);
  float (*exp_shifted_sum)(float*, int, float);
  void (*weighted_value_sum)(const float*, int, const float*, int, int, int, float*);
};

// The table of a namespace of kernels (`simd` or `ref`) as compiled in the including file,
// with the attention loops of kernels_attention.h.
#define RUNNEL_KERNEL_TABLE(ns, name, lanes)                                                  \
  ::runnel::kernels::KernelTable {                                                            \
    name, lanes, &ns::dot, &ns::sum, &ns::max_value, &ns::matvec, &ns::matvec_acc, &ns::dense, \
        &ns::axpy, &ns::matvec_q8, &ns::axpy_q8, &ns::add, &ns::mul, &ns::maximum, &ns::scale, \
        &ns::exp_inplace, &ns::softmax, &ns::layer_norm, &ns::relu, &ns::gelu_tanh,            \
        &ns::gelu_erf, &ns::tanh_inplace, &ns::sigmoid, &ns::activate, &ns::argmax,           \
        &ns::top_k, &attn::add_query_dot_keys, &attn::exp_shifted_sum,                        \
        &attn::weighted_value_sum                                                             \
  }

// The build's own kernels (kernels.cc): xsimd, or the reference loops in a scalar build.
const KernelTable* baseline_kernel_table();
// The AVX-512 kernels (kernels_avx512.cc); nullptr when this build has none (not x86-64,
// --config=scalar).
const KernelTable* avx512_kernel_table();
// The same with VNNI (kernels_avx512.cc built with RUNNEL_VNNI_UNIT); nullptr likewise.
const KernelTable* avx512_vnni_kernel_table();

}  // namespace runnel::kernels

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_TABLE_H_
