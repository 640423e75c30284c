#include "engine/layers/lstm.h"

#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/support/gate_matvec.h"

namespace runnel::layers {

void Lstm::reset(float* state) const { std::memset(state, 0, state_floats() * sizeof(float)); }

#if RUNNEL_KERNELS_SIMD
// One pass over blocks of hidden units: each block's four gates come out of the fused
// matvec in registers and go straight through the activations into c' and h' (no gate
// buffer, no second pass). The order of every sum and activation is that of the
// buffered path.
void Lstm::step_fused(const float* x, long long t, float* h, float* c, float* out) const {
  using gates::Batch;
  const int H = hidden_size;
  const gates::MatvecTerm x_part{w_ih.f32, x, b_ih, input_size}, h_part{w_hh.f32, h, b_hh, H};
  const int blocks = H / gates::kRowsPerBlock;
  for (int b = 0; b < blocks; ++b) {
    const int j = gates::block_in_walk<Batch>(b, blocks, t) * gates::kRowsPerBlock;
    const Batch i = gates::sigmoid(gates::gate_block(x_part, h_part, j));
    const Batch f = gates::sigmoid(gates::gate_block(x_part, h_part, H + j));
    const Batch g = gates::tanh(gates::gate_block(x_part, h_part, 2 * H + j));
    const Batch o = gates::sigmoid(gates::gate_block(x_part, h_part, 3 * H + j));
    const Batch c_new = f * Batch::load_unaligned(c + j) + i * g;
    c_new.store_unaligned(c + j);  // c is read only here
    (o * gates::tanh(c_new)).store_unaligned(out + j);
  }
  std::memcpy(h, out, static_cast<size_t>(H) * sizeof(float));  // h is read until the last block
}

bool Lstm::fusable() const {
  return input_size % gates::kRowsPerBlock == 0 && hidden_size % gates::kRowsPerBlock == 0;
}
#endif

Status Lstm::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (!has_inputs(a, 1)) return Status::kBadArgument;
  if (tiled_step) {
    tiled_step({w_ih.f32, w_hh.f32, b_ih, b_hh}, a.in[0], a.t, state, out);
    return Status::kOk;
  }
#if RUNNEL_KERNELS_SIMD
  if (fusable() && !w_ih.is_int8()) {
    step_fused(a.in[0], a.t, state, state + hidden_size, out);
    return Status::kOk;
  }
#endif
  // Buffered path: any sizes, and the scalar build.
  const int H = hidden_size;
  float* h = state;
  float* c = state + H;
  float* gates = scratch;                       // i | f | g | o, pre-activation
  float* tanh_c = scratch + gates_floats();
  if (w_ih.is_int8()) {                         // (W_ih x + b_ih) + (W_hh h + b_hh)
    float* hidden_part = tanh_c + H;
    kernels::matvec(w_ih, a.in[0], b_ih, 4 * H, input_size, gates);
    kernels::matvec(w_hh, h, b_hh, 4 * H, H, hidden_part);
    kernels::add(gates, hidden_part, gates, 4 * H);
  } else {
    gates::gate_matvec({w_ih.f32, a.in[0], b_ih, input_size}, {w_hh.f32, h, b_hh, H}, 4 * H, gates);
  }

  float* i = gates;
  float* f = gates + H;
  float* g = gates + 2 * H;
  float* o = gates + 3 * H;
  kernels::sigmoid(i, 2 * H);                   // i and f are adjacent
  kernels::tanh_inplace(g, H);
  kernels::sigmoid(o, H);
  for (int j = 0; j < H; ++j) c[j] = f[j] * c[j] + i[j] * g[j];
  std::memcpy(tanh_c, c, static_cast<size_t>(H) * sizeof(float));
  kernels::tanh_inplace(tanh_c, H);
  for (int j = 0; j < H; ++j) out[j] = o[j] * tanh_c[j];
  std::memcpy(h, out, static_cast<size_t>(H) * sizeof(float));
  return Status::kOk;
}

}  // namespace runnel::layers
