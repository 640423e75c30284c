#include "engine/layers/cumulative.h"

#include <cstring>

#include "engine/kernels/kernels.h"

namespace runnel::layers {

void Cumulative::reset(float* state) const {
  std::memset(state, 0, sizeof(float) * state_floats());
}

Status Cumulative::step(const StepArgs& a, float* state, float*, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0) return Status::kBadArgument;
  const float* x = a.in[0];
  if (a.t == 0) {
    copy(x, state, d);  // every reduction of one event is that event
  } else if (reduce == rnl::Reduce::kSum) {
    kernels::add(state, x, state, d);
  } else if (reduce == rnl::Reduce::kMax) {
    kernels::maximum(state, x, state, d);
  } else {  // mean(0..t) = mean(0..t-1) * t/(t+1) + x / (t+1)
    const float inv_count = 1.f / count_to_float(a.t + 1);
    kernels::scale(state, count_to_float(a.t) * inv_count, d);
    kernels::axpy(inv_count, x, state, d);
  }
  copy(state, out, d);
  return Status::kOk;
}

}  // namespace runnel::layers
