#include "engine/layers/exp_decay.h"

#include <cstring>

#include "engine/kernels/kernels.h"

namespace runnel::layers {

void ExpDecay::reset(float* state) const {
  std::memset(state, 0, sizeof(float) * state_floats());
}

Status ExpDecay::step(const StepArgs& a, float* state, float*, float* out) const {
  if (!has_inputs(a, 1)) return Status::kBadArgument;
  float* s = state;
  float& n = state[d];
  kernels::scale(s, alpha, d);
  kernels::add(s, a.in[0], s, d);
  n = 1.f + alpha * n;
  copy(s, out, d);
  kernels::scale(out, 1.f / n, d);
  return Status::kOk;
}

}  // namespace runnel::layers
