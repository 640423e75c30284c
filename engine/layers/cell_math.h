// What both SIMD paths of the recurrent cells share (gate_matvec.h for the build's
// baseline instruction set, cell_tiles_impl.h for the ones chosen at run time): the gate
// activations on one batch in registers and the order in which blocks of hidden units
// are walked. Templates on the batch type, so each instruction set gets its own copy.
#ifndef RUNNEL_ENGINE_LAYERS_CELL_MATH_H_
#define RUNNEL_ENGINE_LAYERS_CELL_MATH_H_

#include <type_traits>

#include <xsimd/xsimd.hpp>

// Forced inline: out of line, a gate's accumulators would go through memory.
#if defined(__GNUC__)
#define RUNNEL_CELL_INLINE inline __attribute__((always_inline))
#else
#define RUNNEL_CELL_INLINE inline
#endif

namespace runnel::gates {

// The sums of kLanes accumulators as one batch, lane k = the sum of acc[k]'s lanes.
// xsimd 8.1's AVX-512 haddp puts its lanes out of order (lanes 2-5 and 10-13 come back as
// rows 4, 5, 2, 3 / 12, 13, 10, 11), so AVX-512 builds sum here instead: three rounds
// of shuffles and adds, with the rows fed in the order that lands row k in lane k.
template <class B>
RUNNEL_CELL_INLINE B row_sums(const B* acc) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of_v<xsimd::avx512f, typename B::arch_type>) {
    constexpr int kFeed[16] = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
    __m512 pairs[8];  // 128-bit quarters: [a0+a2, a1+a3, b0+b2, b1+b3]
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {  // unrolled: acc must stay in registers
      const __m512 a = acc[kFeed[2 * i]], b = acc[kFeed[2 * i + 1]];
      pairs[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),
                               _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    __m512 quads[4];  // each 128-bit quarter: four partial sums of one row
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      const __m512 c = pairs[2 * i], d = pairs[2 * i + 1];
      quads[i] = _mm512_add_ps(_mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(2, 0, 2, 0)),
                               _mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(3, 1, 3, 1)));
    }
    const __m512 u0 =
        _mm512_add_ps(_mm512_unpacklo_ps(quads[0], quads[1]), _mm512_unpackhi_ps(quads[0], quads[1]));
    const __m512 u1 =
        _mm512_add_ps(_mm512_unpacklo_ps(quads[2], quads[3]), _mm512_unpackhi_ps(quads[2], quads[3]));
    return _mm512_add_ps(_mm512_shuffle_ps(u0, u1, _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_ps(u0, u1, _MM_SHUFFLE(3, 2, 3, 2)));
  } else
#endif
  {
    return xsimd::haddp(acc);
  }
}

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

#endif  // RUNNEL_ENGINE_LAYERS_CELL_MATH_H_
