// LSTM cell with PyTorch's equations (rnl kLstm), gate order i, f, g, o:
//   [i f g o] = W_ih x + b_ih + W_hh h + b_hh
//   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
//   h' = σ(o) ⊙ tanh(c')                 output = h'
// State: h and c [H each]. Per event one fused pass over both weight matrices for all
// four gates (support/gate_matvec.h), then O(H) element-wise work. With SIMD and sizes in whole
// batches, the fused path does all of it in one pass over blocks of hidden units (lstm.cc).
// Int8 weights (both matrices; kernels::Matrix) take two kernels::matvec_q8 calls, whose
// integer dot products are cheaper than any fused f32 pass, then the same element-wise work.
#ifndef RUNNEL_ENGINE_LAYERS_LSTM_H_
#define RUNNEL_ENGINE_LAYERS_LSTM_H_

#include <cstddef>

#include "engine/kernels/isa.h"
#include "engine/kernels/kernels.h"
#include "engine/layers/layer.h"
#include "engine/layers/support/cell_tiles.h"

namespace runnel::layers {

struct Lstm : LayerBase {
  kernels::Matrix w_ih;           // [4H, I]
  kernels::Matrix w_hh;           // [4H, H], the same storage type as w_ih
  const float* b_ih = nullptr;    // [4H]
  const float* b_hh = nullptr;    // [4H]
  int input_size = 0;             // I
  int hidden_size = 0;            // H
  cell_tiles::StepFn tiled_step = nullptr;  // set by make(): an ISA kernel, or none

  // `isa` picks the instruction set of the step (kernels/isa.h); with an AVX-512 level and sizes
  // that have a register-tiled kernel (support/cell_tiles.h) the step runs that kernel, otherwise
  // the baseline path. The default is the best the CPU runs.
  static Lstm make(kernels::Matrix w_ih, kernels::Matrix w_hh, const float* b_ih, const float* b_hh,
                  int input_size, int hidden_size, Isa isa = best_isa()) {
    Lstm cell{{}, w_ih, w_hh, b_ih, b_hh, input_size, hidden_size};
    if (isa != Isa::kBaseline && isa_runs(isa) && !w_ih.is_int8()) cell.tiled_step = cell_tiles::avx512_lstm(input_size, hidden_size);
    return cell;
  }

  bool valid() const { return w_ih && w_hh && w_ih.is_int8() == w_hh.is_int8() && b_ih && b_hh && input_size > 0 && hidden_size > 0; }
  int out_width() const { return hidden_size; }
  size_t state_floats() const { return 2 * static_cast<size_t>(hidden_size); }  // h | c
  // gates | tanh(c) (| the hidden part of the gates, int8)
  size_t scratch_floats() const {
    return (w_ih.is_int8() ? 2 : 1) * gates_floats() + static_cast<size_t>(hidden_size);
  }
  void reset(float* state) const;
  // The instruction set the step runs with.
  Isa isa() const { return tiled_step ? Isa::kAvx512 : Isa::kBaseline; }
  // a.in[0]: the event's input vector [I].
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;

 private:
  bool fusable() const;
  void step_fused(const float* x, long long t, float* h, float* c, float* out) const;
  size_t gates_floats() const { return round_to_line<float>(4 * static_cast<size_t>(hidden_size)); }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_LSTM_H_
