// The register-tiled LSTM and GRU steps (see cell_tiles.h for why), templated on the
// xsimd architecture and on the row widths in batches. Included only by the translation
// unit of one instruction set (cell_tiles_avx512.cc), which instantiates them.
//
// Equations and gate order are those of lstm.h / gru.h; only the order of the sums
// differs from the baseline path (each row: its x part, then its h part), and both are
// held to a double-precision reference (tests/layers_sequence_test.cc).
#ifndef RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_TILES_IMPL_H_
#define RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_TILES_IMPL_H_

#include <cstddef>

#include "engine/layers/support/cell_math.h"
#include "engine/layers/support/cell_tiles.h"

namespace runnel::cell_tiles {

template <class Arch, int kInBatches, int kHiddenBatches>
struct Tiles {
  using B = xsimd::batch<float, Arch>;
  static constexpr int kLanes = static_cast<int>(B::size);  // also the rows per block
  static constexpr int kIn = kInBatches * kLanes;           // I
  static constexpr int kHidden = kHiddenBatches * kLanes;   // H
  static constexpr int kBlocks = kHiddenBatches;            // blocks of hidden units

  template <int kBatches>
  struct Vector {  // a row-width vector held in registers for the whole event
    B v[kBatches];
    explicit Vector(const float* p) {
      for (int c = 0; c < kBatches; ++c) v[c] = B::load_unaligned(p + c * kLanes);
    }
  };
  using Input = Vector<kInBatches>;
  using Hidden = Vector<kHiddenBatches>;

  // acc[k] += W[k] · v for the kLanes rows starting at w (rows of kBatches batches).
  template <int kBatches>
  static RUNNEL_CELL_INLINE void accumulate_rows(const float* w, const Vector<kBatches>& v,
                                                                   B* acc) {
#pragma GCC unroll 16
    for (int k = 0; k < kLanes; ++k)
#pragma GCC unroll 4
      for (int c = 0; c < kBatches; ++c)
        acc[k] = xsimd::fma(B::load_unaligned(w + (k * kBatches + c) * kLanes), v.v[c], acc[k]);
  }

  // Gate rows [row, row + kLanes) as one batch: W_ih[rows]·x + b_ih + W_hh[rows]·h + b_hh.
  // Either term can be left out (the GRU's n gate keeps them apart).
  static RUNNEL_CELL_INLINE B gate(const CellWeights& w, int row, const Input* x,
                                                      const Hidden* h) {
    B acc[kLanes];
    for (B& a : acc) a = B(0.f);
    if (x) accumulate_rows(w.w_ih + static_cast<size_t>(row) * kIn, *x, acc);
    if (h) accumulate_rows(w.w_hh + static_cast<size_t>(row) * kHidden, *h, acc);
    B sums = gates::row_sums(acc);  // lane k = row + k
    if (x) sums += B::load_unaligned(w.b_ih + row);
    if (h) sums += B::load_unaligned(w.b_hh + row);
    return sums;
  }

  // state = h | c. h' is stored into h block by block: the old h is in registers.
  static void lstm_step(const CellWeights& w, const float* x_in, long long t, float* state, float* out) {
    float* h_mem = state;
    float* c_mem = state + kHidden;
    const Input x(x_in);
    const Hidden h(h_mem);
    constexpr int H = kHidden;
    for (int b = 0; b < kBlocks; ++b) {
      const int j = gates::block_in_walk<B>(b, kBlocks, t) * kLanes;
      const B i = gates::sigmoid(gate(w, j, &x, &h));
      const B f = gates::sigmoid(gate(w, H + j, &x, &h));
      const B g = gates::tanh(gate(w, 2 * H + j, &x, &h));
      const B o = gates::sigmoid(gate(w, 3 * H + j, &x, &h));
      const B c_new = f * B::load_unaligned(c_mem + j) + i * g;
      c_new.store_unaligned(c_mem + j);
      const B h_new = o * gates::tanh(c_new);
      h_new.store_unaligned(out + j);
      h_new.store_unaligned(h_mem + j);
    }
  }

  // state = h. n's hidden part is summed apart from its input part: r scales only it.
  static void gru_step(const CellWeights& w, const float* x_in, long long t, float* state, float* out) {
    float* h_mem = state;
    const Input x(x_in);
    const Hidden h(h_mem);
    constexpr int H = kHidden;
    for (int b = 0; b < kBlocks; ++b) {
      const int j = gates::block_in_walk<B>(b, kBlocks, t) * kLanes;
      const B r = gates::sigmoid(gate(w, j, &x, &h));
      const B z = gates::sigmoid(gate(w, H + j, &x, &h));
      const B hidden_n = gate(w, 2 * H + j, nullptr, &h);
      const B n = gates::tanh(gate(w, 2 * H + j, &x, nullptr) + r * hidden_n);
      const B h_old = B::load_unaligned(h_mem + j);
      const B h_new = n + z * (h_old - n);  // (1-z)n + zh
      h_new.store_unaligned(out + j);
      h_new.store_unaligned(h_mem + j);
    }
  }
};

// Look-up over the instantiated sizes: 1..kMaxBatches batches for I and for H.
template <class Arch, int kMaxBatches, int kIn = 1, int kHidden = 1>
StepFn find_step(int in_batches, int hidden_batches, bool lstm) {
  if constexpr (kIn > kMaxBatches) {
    return nullptr;
  } else if constexpr (kHidden > kMaxBatches) {
    return find_step<Arch, kMaxBatches, kIn + 1, 1>(in_batches, hidden_batches, lstm);
  } else {
    using T = Tiles<Arch, kIn, kHidden>;
    if (in_batches == kIn && hidden_batches == kHidden) return lstm ? &T::lstm_step : &T::gru_step;
    return find_step<Arch, kMaxBatches, kIn, kHidden + 1>(in_batches, hidden_batches, lstm);
  }
}

// The kernel for sizes I and H, or nullptr when they are not whole batches in range.
template <class Arch, int kMaxBatches>
StepFn find_step_for_sizes(int input_size, int hidden_size, bool lstm) {
  constexpr int lanes = static_cast<int>(xsimd::batch<float, Arch>::size);
  if (input_size <= 0 || hidden_size <= 0 || input_size % lanes || hidden_size % lanes) return nullptr;
  return find_step<Arch, kMaxBatches>(input_size / lanes, hidden_size / lanes, lstm);
}

}  // namespace runnel::cell_tiles

#endif  // RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_TILES_IMPL_H_
