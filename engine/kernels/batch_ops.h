// Operations on xsimd batches that xsimd 8.1 lacks or does slowly, shared by the kernels
// (kernels_simd.h) and the recurrent cells' register-tiled steps (layers/support/cell_tiles_impl.h):
//   row_sums      the sums of a block of accumulators as one batch (one row per lane);
//   madd_q8, row_sums_i32   the integer dot products of the int8 matvec.
// Templates on the batch type, so that each instruction set's translation unit compiles
// its own copy (see kernels/avx512_unit.h). Included only where xsimd has an architecture.
#ifndef RUNNEL_ENGINE_KERNELS_BATCH_OPS_H_
#define RUNNEL_ENGINE_KERNELS_BATCH_OPS_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <xsimd/xsimd.hpp>

// Forced inline: out of line, a block's accumulators would go through memory.
#if defined(__GNUC__)
#define RUNNEL_BATCH_INLINE inline __attribute__((always_inline))
#else
#define RUNNEL_BATCH_INLINE inline
#endif

namespace runnel::kernels {

template <class B, class Base>
constexpr bool kArchIs = std::is_base_of_v<Base, typename B::arch_type>;

// The sums of B::size accumulators as one batch, lane k = the sum of acc[k]'s lanes.
// xsimd 8.1's AVX-512 haddp puts its lanes out of order (lanes 2-5 and 10-13 come back as
// rows 4, 5, 2, 3 / 12, 13, 10, 11), so AVX-512 builds sum here instead: three rounds
// of shuffles and adds, with the rows fed in the order that lands row k in lane k.
template <class B>
RUNNEL_BATCH_INLINE B row_sums(const B* acc) {
#if defined(__AVX512F__)
  if constexpr (kArchIs<B, xsimd::avx512f>) {
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

// ---- int8 weights × 16-bit inputs (the numerics: kernels_reference.h, int8 section) ----

// int32 lanes in a register of B's width: the accumulators of the integer dot products.
template <class B>
using IntBatch = xsimd::batch<int32_t, typename B::arch_type>;

// Columns one madd_q8 consumes: two per int32 lane.
template <class B>
constexpr int kQ8Step = 2 * static_cast<int>(B::size);

// acc + the products q[c] · xq[c], c < kQ8Step<B>, added pairwise into the lanes. Which
// lane gets which product does not matter: only the sum of all lanes is used, and
// integer sums are exact.
template <class B>
RUNNEL_BATCH_INLINE IntBatch<B> madd_q8(IntBatch<B> acc, const int8_t* q, const int16_t* xq) {
#if defined(__AVX512BW__)
  if constexpr (kArchIs<B, xsimd::avx512bw>) {
    const __m512i w = _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(q)));
#if defined(__AVX512VNNI__)
    return _mm512_dpwssd_epi32(acc, w, _mm512_loadu_si512(xq));  // the multiply and the add in one
#else
    return _mm512_add_epi32(acc, _mm512_madd_epi16(w, _mm512_loadu_si512(xq)));
#endif
  } else
#endif
#if defined(__AVX2__)
  if constexpr (kArchIs<B, xsimd::avx2>) {
    const __m256i w = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q)));
    return _mm256_add_epi32(acc, _mm256_madd_epi16(w, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq))));
  } else
#endif
#if defined(__SSE4_1__)
  if constexpr (kArchIs<B, xsimd::sse4_1>) {
    const __m128i w = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(q)));
    return _mm_add_epi32(acc, _mm_madd_epi16(w, _mm_loadu_si128(reinterpret_cast<const __m128i*>(xq))));
  } else
#endif
#if defined(__ARM_NEON)
  if constexpr (kArchIs<B, xsimd::neon>) {
    const int16x8_t w = vmovl_s8(vld1_s8(q));
    const int16x8_t x = vld1q_s16(xq);
    return vmlal_s16(vmlal_s16(acc, vget_low_s16(w), vget_low_s16(x)), vget_high_s16(w), vget_high_s16(x));
  } else
#endif
  {
    alignas(64) int32_t lanes[B::size];
    acc.store_aligned(lanes);
    for (std::size_t i = 0; i < 2 * B::size; ++i) lanes[i / 2] += static_cast<int32_t>(q[i]) * xq[i];
    return IntBatch<B>::load_aligned(lanes);
  }
}

// xq[i] = round_half_even(x[i] · inv) for i < n (|x[i] · inv| <= 32767): the conversion
// instructions round to nearest even like std::nearbyint in the default rounding mode.
template <class B>
inline void quantize_q15(const float* x, int n, float inv, int16_t* xq) {
  int i = 0;
#if defined(__AVX512F__)
  if constexpr (kArchIs<B, xsimd::avx512f>) {
    const __m512 s = _mm512_set1_ps(inv);
    for (; i + 16 <= n; i += 16)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(xq + i),
                          _mm512_cvtsepi32_epi16(_mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(x + i), s))));
  }
#endif
#if defined(__AVX2__)
  if constexpr (kArchIs<B, xsimd::avx2>) {
    const __m256 s = _mm256_set1_ps(inv);
    for (; i + 16 <= n; i += 16) {
      const __m256i lo = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i), s));
      const __m256i hi = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8), s));
      // packs works per 128-bit half: [lo0 hi0 lo1 hi1] in 64-bit groups, put back in order
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(xq + i),
                          _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), _MM_SHUFFLE(3, 1, 2, 0)));
    }
  }
#endif
#if defined(__aarch64__) && defined(__ARM_NEON)
  if constexpr (kArchIs<B, xsimd::neon64>) {
    const float32x4_t s = vdupq_n_f32(inv);
    for (; i + 8 <= n; i += 8) {
      const int32x4_t lo = vcvtnq_s32_f32(vmulq_f32(vld1q_f32(x + i), s));
      const int32x4_t hi = vcvtnq_s32_f32(vmulq_f32(vld1q_f32(x + i + 4), s));
      vst1q_s16(xq + i, vcombine_s16(vqmovn_s32(lo), vqmovn_s32(hi)));
    }
  }
#endif
  for (; i < n; ++i) xq[i] = static_cast<int16_t>(std::nearbyint(x[i] * inv));
}

// The sums of B::size integer accumulators as one batch, lane k = the sum of acc[k]'s lanes.
template <class B>
RUNNEL_BATCH_INLINE IntBatch<B> row_sums_i32(const IntBatch<B>* acc) {
#if defined(__AVX512F__)
  if constexpr (kArchIs<B, xsimd::avx512f>) {  // row_sums' shuffle tree on integer lanes
    constexpr int kFeed[16] = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
    __m512i pairs[8];
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      const __m512i a = acc[kFeed[2 * i]], b = acc[kFeed[2 * i + 1]];
      pairs[i] = _mm512_add_epi32(_mm512_shuffle_i32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),
                                  _mm512_shuffle_i32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    __m512i quads[4];
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      const __m512i c = pairs[2 * i], d = pairs[2 * i + 1];
      quads[i] = _mm512_add_epi32(_mm512_shuffle_i32x4(c, d, _MM_SHUFFLE(2, 0, 2, 0)),
                                  _mm512_shuffle_i32x4(c, d, _MM_SHUFFLE(3, 1, 3, 1)));
    }
    const __m512i u0 = _mm512_add_epi32(_mm512_unpacklo_epi32(quads[0], quads[1]),
                                        _mm512_unpackhi_epi32(quads[0], quads[1]));
    const __m512i u1 = _mm512_add_epi32(_mm512_unpacklo_epi32(quads[2], quads[3]),
                                        _mm512_unpackhi_epi32(quads[2], quads[3]));
    const __m512 f0 = _mm512_castsi512_ps(u0), f1 = _mm512_castsi512_ps(u1);  // shuffle_ps moves bits only
    return _mm512_add_epi32(_mm512_castps_si512(_mm512_shuffle_ps(f0, f1, _MM_SHUFFLE(1, 0, 1, 0))),
                            _mm512_castps_si512(_mm512_shuffle_ps(f0, f1, _MM_SHUFFLE(3, 2, 3, 2))));
  } else
#endif
#if defined(__AVX2__)
  if constexpr (kArchIs<B, xsimd::avx2>) {
    // hadd pairs rows within each 128-bit half; the halves are then added across.
    const __m256i t01 = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[0], acc[1]), _mm256_hadd_epi32(acc[2], acc[3]));
    const __m256i t45 = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[4], acc[5]), _mm256_hadd_epi32(acc[6], acc[7]));
    return _mm256_add_epi32(_mm256_permute2x128_si256(t01, t45, 0x20), _mm256_permute2x128_si256(t01, t45, 0x31));
  } else
#endif
#if defined(__aarch64__) && defined(__ARM_NEON)
  if constexpr (kArchIs<B, xsimd::neon64>) {
    return vpaddq_s32(vpaddq_s32(acc[0], acc[1]), vpaddq_s32(acc[2], acc[3]));
  } else
#endif
  {
    alignas(64) int32_t lanes[B::size];
    alignas(64) int32_t sums[B::size];
    for (std::size_t k = 0; k < B::size; ++k) {
      acc[k].store_aligned(lanes);
      sums[k] = 0;
      for (std::size_t i = 0; i < B::size; ++i) sums[k] += lanes[i];
    }
    return IntBatch<B>::load_aligned(sums);
  }
}

}  // namespace runnel::kernels

#endif  // RUNNEL_ENGINE_KERNELS_BATCH_OPS_H_
