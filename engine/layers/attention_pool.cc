#include "engine/layers/attention_pool.h"

#include <cmath>
#include <cstring>

#include "engine/kernels/kernels.h"

namespace runnel::layers {

void AttentionPool::reset(float* state) const {
  std::memset(state, 0, sizeof(float) * state_floats());
}

Status AttentionPool::step(const StepArgs& a, float* state, float*, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0) return Status::kBadArgument;
  const float* x = a.in[0];
  float* acc = state;
  float& max_score = state[d];
  float& weight_sum = state[d + 1];
  const float score = kernels::dot(q, x, d) / std::sqrt(static_cast<float>(d));
  if (a.t == 0) {
    copy(x, acc, d);
    max_score = score;
    weight_sum = 1.f;
  } else {
    const float new_max = score > max_score ? score : max_score;
    const float old_scale = std::exp(max_score - new_max);
    const float new_weight = std::exp(score - new_max);
    kernels::scale(acc, old_scale, d);
    kernels::axpy(new_weight, x, acc, d);
    weight_sum = weight_sum * old_scale + new_weight;
    max_score = new_max;
  }
  copy(acc, out, d);
  kernels::scale(out, 1.f / weight_sum, d);
  return Status::kOk;
}

}  // namespace runnel::layers
