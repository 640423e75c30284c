// GRU cell with PyTorch's equations (rnl kGru), gate order r, z, n:
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)
//   z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
//   h' = (1 - z) ⊙ n + z ⊙ h            output = h'
// State: h [H]. Per event: r and z from one fused pass over both weight matrices
// (support/gate_matvec.h), n's input and hidden parts (kept apart: r scales only the hidden one),
// then O(H) element-wise work. With SIMD and sizes in whole batches, the fused path does
// all of it in one pass over blocks of hidden units (gru.cc). Int8 weights (both matrices;
// kernels::Matrix) take two kernels::matvec_q8 calls, then the same element-wise work.
#ifndef RUNNEL_ENGINE_LAYERS_GRU_H_
#define RUNNEL_ENGINE_LAYERS_GRU_H_

#include <cstddef>

#include "engine/kernels/isa.h"
#include "engine/kernels/kernels.h"
#include "engine/layers/layer.h"
#include "engine/layers/support/cell_tiles.h"

namespace runnel::layers {

struct Gru : LayerBase {
  kernels::Matrix w_ih;           // [3H, I]
  kernels::Matrix w_hh;           // [3H, H], the same storage type as w_ih
  const float* b_ih = nullptr;    // [3H]
  const float* b_hh = nullptr;    // [3H]
  int input_size = 0;             // I
  int hidden_size = 0;            // H
  cell_tiles::StepFn tiled_step = nullptr;  // set by make(): an ISA kernel, or none

  // `isa` picks the instruction set of the step (kernels/isa.h); with an AVX-512 level and sizes
  // that have a register-tiled kernel (support/cell_tiles.h) the step runs that kernel, otherwise
  // the baseline path. The default is the best the CPU runs.
  static Gru make(kernels::Matrix w_ih, kernels::Matrix w_hh, const float* b_ih, const float* b_hh,
                  int input_size, int hidden_size, Isa isa = best_isa()) {
    Gru cell{{}, w_ih, w_hh, b_ih, b_hh, input_size, hidden_size};
    if (isa != Isa::kBaseline && isa_runs(isa) && !w_ih.is_int8()) cell.tiled_step = cell_tiles::avx512_gru(input_size, hidden_size);
    return cell;
  }

  bool valid() const { return w_ih && w_hh && w_ih.is_int8() == w_hh.is_int8() && b_ih && b_hh && input_size > 0 && hidden_size > 0; }
  int out_width() const { return hidden_size; }
  size_t state_floats() const { return static_cast<size_t>(hidden_size); }
  // f32: r|z, n, hidden_n; int8: the three gates' input part, their hidden part
  size_t scratch_floats() const {
    return w_ih.is_int8() ? 2 * round_to_line<float>(3 * hidden_size)
                          : round_to_line<float>(2 * hidden_size) + 2 * round_to_line<float>(hidden_size);
  }
  void reset(float* state) const;
  // The instruction set the step runs with.
  Isa isa() const { return tiled_step ? Isa::kAvx512 : Isa::kBaseline; }
  // a.in[0]: the event's input vector [I].
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;

 private:
  bool fusable() const;
  void step_fused(const float* x, long long t, float* h, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_GRU_H_
