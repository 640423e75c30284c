#include "engine/layers/linear_decay.h"

#include <cstdint>
#include <cstring>

#include "engine/layers/support/ring_buffer.h"

namespace runnel::layers {

void LinearDecay::reset(float* state) const {
  std::memset(state, 0, sizeof(float) * state_floats());
}

Status LinearDecay::step(const StepArgs& a, float* state, float*, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0) return Status::kBadArgument;
  ring::push(state, a.t, window, d, a.in[0]);
  // The 1/W of w_i cancels in the ratio: use (W - i) / sum_{i<m} (W - i) directly.
  const int64_t m = ring::visible_count(a.t, window);
  const float norm = static_cast<float>(m * window - m * (m - 1) / 2);  // exact in int64
  const float w = static_cast<float>(window);
  ring::weighted_sum(state, a.t, window, d, [=](int i) { return (w - i) / norm; }, out);
  return Status::kOk;
}

}  // namespace runnel::layers
