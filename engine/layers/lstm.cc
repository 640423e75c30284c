#include "engine/layers/lstm.h"

#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/gate_matvec.h"

namespace runnel {

void Lstm::reset(float* state) const { std::memset(state, 0, state_floats() * sizeof(float)); }

Status Lstm::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (a.n_in < 1 || !a.in || !a.in[0]) return Status::kBadArgument;
  const int H = hidden_size;
  float* h = state;
  float* c = state + H;
  float* gates = scratch;                       // i | f | g | o, pre-activation
  float* tanh_c = scratch + gates_floats();
  gates::gate_matvec({w_ih, a.in[0], b_ih, input_size}, {w_hh, h, b_hh, H}, 4 * H, gates);

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

}  // namespace runnel
