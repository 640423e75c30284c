#include "engine/layers/gru.h"

#include <cstring>

#include "engine/kernels/kernels.h"

namespace runnel {

void Gru::reset(float* state) const { std::memset(state, 0, state_floats() * sizeof(float)); }

Status Gru::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (a.n_in < 1 || !a.in || !a.in[0]) return Status::kBadArgument;
  const int H = hidden_size;
  float* h = state;
  float* from_input = scratch;                  // W_i· x + b_i·, gates r | z | n
  float* from_hidden = scratch + gates_floats();  // W_h· h + b_h·, gates r | z | n
  kernels::matvec(w_ih, a.in[0], b_ih, 3 * H, input_size, from_input);
  kernels::matvec(w_hh, h, b_hh, 3 * H, H, from_hidden);

  float* rz = from_input;                       // r and z are adjacent: one add, one sigmoid
  kernels::add(rz, from_hidden, rz, 2 * H);
  kernels::sigmoid(rz, 2 * H);
  const float* r = rz;
  const float* z = rz + H;
  float* n = from_input + 2 * H;
  const float* hidden_n = from_hidden + 2 * H;
  for (int j = 0; j < H; ++j) n[j] += r[j] * hidden_n[j];
  kernels::tanh_inplace(n, H);
  for (int j = 0; j < H; ++j) out[j] = n[j] + z[j] * (h[j] - n[j]);  // (1-z)n + zh
  std::memcpy(h, out, static_cast<size_t>(H) * sizeof(float));
  return Status::kOk;
}

}  // namespace runnel
