#include "engine/layers/lstm.h"

#include <cstring>

#include "engine/kernels/kernels.h"

namespace runnel {

void Lstm::reset(float* state) const { std::memset(state, 0, state_floats() * sizeof(float)); }

Status Lstm::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (a.n_in < 1 || !a.in || !a.in[0]) return Status::kBadArgument;
  const int H = hidden_size;
  float* h = state;
  float* c = state + H;
  float* gates = scratch;                       // i | f | g | o
  float* from_hidden = scratch + gates_floats();
  kernels::matvec(w_ih, a.in[0], b_ih, 4 * H, input_size, gates);
  kernels::matvec(w_hh, h, b_hh, 4 * H, H, from_hidden);
  kernels::add(gates, from_hidden, gates, 4 * H);

  float* i = gates;
  float* f = gates + H;
  float* g = gates + 2 * H;
  float* o = gates + 3 * H;
  kernels::sigmoid(i, 2 * H);                   // i and f are adjacent
  kernels::tanh_inplace(g, H);
  kernels::sigmoid(o, H);
  for (int j = 0; j < H; ++j) c[j] = f[j] * c[j] + i[j] * g[j];
  float* tanh_c = from_hidden;                  // the hidden-side gates are consumed
  std::memcpy(tanh_c, c, static_cast<size_t>(H) * sizeof(float));
  kernels::tanh_inplace(tanh_c, H);
  for (int j = 0; j < H; ++j) out[j] = o[j] * tanh_c[j];
  std::memcpy(h, out, static_cast<size_t>(H) * sizeof(float));
  return Status::kOk;
}

}  // namespace runnel
