#include "engine/layers/gru.h"

#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/support/gate_matvec.h"

namespace runnel::layers {

void Gru::reset(float* state) const { std::memset(state, 0, state_floats() * sizeof(float)); }

#if RUNNEL_KERNELS_SIMD
// One pass over blocks of hidden units: each block's gates come out of the fused
// matvec in registers and go straight through the activations into h' (no gate buffers,
// no second pass). The order of every sum and activation is that of the unfused path.
void Gru::step_fused(const float* x, long long t, float* h, float* out) const {
  using gates::Batch;
  const int H = hidden_size;
  const int I = input_size;
  const size_t n_rows = 2 * static_cast<size_t>(H);
  const gates::MatvecTerm x_part{w_ih.f32, x, b_ih, I}, h_part{w_hh.f32, h, b_hh, H};
  const gates::MatvecTerm x_n{w_ih.f32 + n_rows * I, x, b_ih + n_rows, I};
  const gates::MatvecTerm h_n{w_hh.f32 + n_rows * H, h, b_hh + n_rows, H};
  const int blocks = H / gates::kRowsPerBlock;
  for (int i = 0; i < blocks; ++i) {
    const int j = gates::block_in_walk<Batch>(i, blocks, t) * gates::kRowsPerBlock;
    const Batch r = gates::sigmoid(gates::gate_block(x_part, h_part, j));
    const Batch z = gates::sigmoid(gates::gate_block(x_part, h_part, H + j));
    const Batch hidden_n = gates::gate_block(h_n, gates::MatvecTerm{}, j);
    const Batch n = gates::tanh(gates::gate_block(x_n, gates::MatvecTerm{}, j) + r * hidden_n);
    const Batch hj = Batch::load_unaligned(h + j);
    (n + z * (hj - n)).store_unaligned(out + j);  // (1-z)n + zh
  }
  std::memcpy(h, out, static_cast<size_t>(H) * sizeof(float));  // h is read until the last block
}

bool Gru::fusable() const {
  return input_size % gates::kRowsPerBlock == 0 && hidden_size % gates::kRowsPerBlock == 0;
}
#endif

Status Gru::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (!has_inputs(a, 1)) return Status::kBadArgument;
  if (tiled_step) {
    tiled_step({w_ih.f32, w_hh.f32, b_ih, b_hh}, a.in[0], a.t, state, out);
    return Status::kOk;
  }
#if RUNNEL_KERNELS_SIMD
  if (fusable() && !w_ih.is_int8()) {
    step_fused(a.in[0], a.t, state, out);
    return Status::kOk;
  }
#endif
  // Buffered path: any sizes, and the scalar build.
  const int H = hidden_size;
  const int I = input_size;
  const float* x = a.in[0];
  float* h = state;
  float* rz = scratch;                                   // r | z, pre-activation
  float* n = rz + round_to_line<float>(2 * H);           // W_in x + b_in
  float* hidden_n = n + round_to_line<float>(H);         // W_hn h + b_hn
  const size_t n_rows = 2 * static_cast<size_t>(H);      // first row of the n gate
  if (w_ih.is_int8()) {  // all three gates' input part | hidden part, then r and z summed
    float* input_part = scratch;                         // r | z | n
    float* hidden_part = scratch + round_to_line<float>(3 * H);
    kernels::matvec(w_ih, x, b_ih, 3 * H, I, input_part);
    kernels::matvec(w_hh, h, b_hh, 3 * H, H, hidden_part);
    kernels::add(input_part, hidden_part, input_part, 2 * H);
    n = input_part + n_rows;
    hidden_n = hidden_part + n_rows;
  } else {
    gates::gate_matvec({w_ih.f32, x, b_ih, I}, {w_hh.f32, h, b_hh, H}, 2 * H, rz);
    gates::gate_matvec({w_ih.f32 + n_rows * I, x, b_ih + n_rows, I}, H, n);
    gates::gate_matvec({w_hh.f32 + n_rows * H, h, b_hh + n_rows, H}, H, hidden_n);
  }

  kernels::sigmoid(rz, 2 * H);
  const float* r = rz;
  const float* z = rz + H;
  for (int j = 0; j < H; ++j) n[j] += r[j] * hidden_n[j];
  kernels::tanh_inplace(n, H);
  for (int j = 0; j < H; ++j) out[j] = n[j] + z[j] * (h[j] - n[j]);  // (1-z)n + zh
  std::memcpy(h, out, static_cast<size_t>(H) * sizeof(float));
  return Status::kOk;
}

}  // namespace runnel::layers
