// The fused gate matvec of the recurrent cells (GRU, LSTM):
//   y[r] = W1[r]·x1 + b1[r] + W2[r]·x2 + b2[r],   r < rows,   W1 [rows, n1], W2 [rows, n2]
// (W2, x2 and b2 optional). This is not in the kernel API; it is kept here, next to the
// two layers that use it, and reported to the kernels' owner.
//
// Why not two kernels::matvec calls and an add: with 64-wide rows a matvec spends as long
// on the horizontal sum of each row as on its multiply-adds. Here a block of one batch
// width of rows (8 on AVX2) keeps one accumulator per row over both inputs, and a single
// gates::row_sums (xsimd::haddp) turns the block's accumulators into one batch of row sums. (Row widths
// that are not whole batches take the row-by-row path.)
#ifndef RUNNEL_ENGINE_LAYERS_SUPPORT_GATE_MATVEC_H_
#define RUNNEL_ENGINE_LAYERS_SUPPORT_GATE_MATVEC_H_

#include <cstddef>

#include "engine/kernels/kernels.h"
#include "engine/kernels/kernels_config.h"

#if RUNNEL_KERNELS_SIMD
#include "engine/layers/support/cell_math.h"
#endif

namespace runnel::gates {

struct MatvecTerm {          // W [rows, cols] · x (+ b)
  const float* w = nullptr;
  const float* x = nullptr;
  const float* b = nullptr;  // optional
  int cols = 0;
};

// Row r of one term, one row at a time (remainder rows and the scalar build).
inline float row_value(const MatvecTerm& t, int r) {
  if (!t.w) return 0.f;
  return kernels::dot(t.w + static_cast<size_t>(r) * t.cols, t.x, t.cols) + (t.b ? t.b[r] : 0.f);
}

#if RUNNEL_KERNELS_SIMD
using Batch = xsimd::batch<float>;
constexpr int kRowsPerBlock = static_cast<int>(Batch::size);

// acc[k] += W[first_row + k] · x, for a term whose cols are whole batches.
inline void accumulate_block(const MatvecTerm& t, int first_row, Batch* acc) {
  const float* w = t.w + static_cast<size_t>(first_row) * t.cols;
  for (int c = 0; c < t.cols; c += kRowsPerBlock) {
    const Batch xb = Batch::load_unaligned(t.x + c);
#pragma GCC unroll 16
    for (int k = 0; k < kRowsPerBlock; ++k)
      acc[k] = xsimd::fma(Batch::load_unaligned(w + static_cast<size_t>(k) * t.cols + c), xb, acc[k]);
  }
}

inline bool whole_batches(const MatvecTerm& t) { return !t.w || t.cols % kRowsPerBlock == 0; }

// Rows [first_row, first_row + kRowsPerBlock) of a + b as one batch (lane k = row
// first_row + k), summed in exactly the order gate_matvec() uses. Forced inline: a call
// per block spills the accumulators and the terms (GCC otherwise keeps it out of line).
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline Batch gate_block(const MatvecTerm& a, const MatvecTerm& b, int first_row) {
  Batch acc[kRowsPerBlock];
  for (Batch& v : acc) v = Batch(0.f);
  accumulate_block(a, first_row, acc);
  if (b.w) accumulate_block(b, first_row, acc);
  Batch sums = gates::row_sums(acc);
  if (a.b) sums += Batch::load_unaligned(a.b + first_row);
  if (b.b) sums += Batch::load_unaligned(b.b + first_row);
  return sums;
}

#endif

inline void gate_matvec(const MatvecTerm& a, const MatvecTerm& b, int rows, float* y) {
  int r = 0;
#if RUNNEL_KERNELS_SIMD
  if (whole_batches(a) && whole_batches(b)) {
    for (; r + kRowsPerBlock <= rows; r += kRowsPerBlock) {
      Batch acc[kRowsPerBlock];
      for (Batch& v : acc) v = Batch(0.f);
      accumulate_block(a, r, acc);
      if (b.w) accumulate_block(b, r, acc);
      Batch sums = gates::row_sums(acc);  // lane k = row r + k
      if (a.b) sums += Batch::load_unaligned(a.b + r);
      if (b.b) sums += Batch::load_unaligned(b.b + r);
      sums.store_unaligned(y + r);
    }
  }
#endif
  for (; r < rows; ++r) y[r] = row_value(a, r) + row_value(b, r);  // remainder / scalar build
}

inline void gate_matvec(const MatvecTerm& a, int rows, float* y) { gate_matvec(a, MatvecTerm{}, rows, y); }

}  // namespace runnel::gates

#endif  // RUNNEL_ENGINE_LAYERS_SUPPORT_GATE_MATVEC_H_
