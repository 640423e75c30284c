#include "engine/layers/gru.h"

#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/gate_matvec.h"

namespace runnel {

void Gru::reset(float* state) const { std::memset(state, 0, state_floats() * sizeof(float)); }

Status Gru::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (a.n_in < 1 || !a.in || !a.in[0]) return Status::kBadArgument;
  const int H = hidden_size;
  const int I = input_size;
  const float* x = a.in[0];
  float* h = state;
  float* rz = scratch;                                   // r | z, pre-activation
  float* n = rz + round_up_16(2 * H);                    // W_in x + b_in
  float* hidden_n = n + round_up_16(H);                  // W_hn h + b_hn
  const size_t n_rows = 2 * static_cast<size_t>(H);      // first row of the n gate
  gates::gate_matvec({w_ih, x, b_ih, I}, {w_hh, h, b_hh, H}, 2 * H, rz);
  gates::gate_matvec({w_ih + n_rows * I, x, b_ih + n_rows, I}, H, n);
  gates::gate_matvec({w_hh + n_rows * H, h, b_hh + n_rows, H}, H, hidden_n);

  kernels::sigmoid(rz, 2 * H);
  const float* r = rz;
  const float* z = rz + H;
  for (int j = 0; j < H; ++j) n[j] += r[j] * hidden_n[j];
  kernels::tanh_inplace(n, H);
  for (int j = 0; j < H; ++j) out[j] = n[j] + z[j] * (h[j] - n[j]);  // (1-z)n + zh
  std::memcpy(h, out, static_cast<size_t>(H) * sizeof(float));
  return Status::kOk;
}

}  // namespace runnel
