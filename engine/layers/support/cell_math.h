// What both SIMD paths of the recurrent cells share (gate_matvec.h for the build's
// baseline instruction set, cell_tiles_impl.h for the ones chosen at run time): the gate
// activations on one batch in registers and the order in which blocks of hidden units
// are walked. Templates on the batch type, so each instruction set gets its own copy.
#ifndef RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_MATH_H_
#define RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_MATH_H_

#include <xsimd/xsimd.hpp>

#include "engine/kernels/batch_ops.h"

// Forced inline: out of line, a gate's accumulators would go through memory.
#define RUNNEL_CELL_INLINE RUNNEL_BATCH_INLINE

namespace runnel::gates {

// The sums of a block of accumulators as one batch, lane k = the sum of acc[k]'s lanes.
using kernels::row_sums;

// sigmoid is kernels::sigmoid's formula; tanh is written through the same exp,
// tanh(v) = 2 / (1 + exp(-2v)) - 1, which costs one exp and one division instead of
// xsimd::tanh's exp, division and polynomial (the cells' tanh is a fifth of their work).
// Its error is absolute, below 2.5e-7 (tests/layers_sequence_test.cc holds the cells to
// 1e-5 of a double-precision reference).
template <class B>
RUNNEL_CELL_INLINE B sigmoid(B v) {
  return B(1.f) / (B(1.f) + xsimd::exp(-v));
}
template <class B>
RUNNEL_CELL_INLINE B tanh(B v) {
  return B(2.f) / (B(1.f) + xsimd::exp(B(-2.f) * v)) - B(1.f);
}

// The cells walk their blocks of hidden units forwards on even events and backwards on
// odd ones: the weight rows a step touched last are still in L1 when the next step starts
// with them. A GRU's or LSTM's weights (96/128 KB at 64 -> 64) do not fit in L1, and a
// cyclic walk over them would miss on every line. Each unit's result is the same either
// way (its sums do not depend on the walk).
// (A template on the batch type only so that each instruction set's translation unit has
// its own copy: see cell_tiles_avx512.cc.)
template <class B>
inline int block_in_walk(int i, int blocks, long long t) {
  return (t & 1) ? blocks - 1 - i : i;
}

}  // namespace runnel::gates

#endif  // RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_MATH_H_
