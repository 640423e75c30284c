#include "engine/layers/learned_pos_weights.h"

#include <cstring>

#include "engine/layers/support/ring_buffer.h"

namespace runnel::layers {

void LearnedPosWeights::reset(float* state) const {
  std::memset(state, 0, sizeof(float) * state_floats());
}

Status LearnedPosWeights::step(const StepArgs& a, float* state, float*, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0) return Status::kBadArgument;
  ring::push(state, a.t, window, d, a.in[0]);
  const float* weights = w;
  ring::weighted_sum(state, a.t, window, d, [=](int i) { return weights[i]; }, out);
  return Status::kOk;
}

}  // namespace runnel::layers
