#include "engine/layers/conv1d.h"

#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/support/ring_slot.h"

namespace runnel::layers {

void Conv1d::reset(float* state) const {
  std::memset(state, 0, state_floats() * sizeof(float));  // zeros stand for x(<0)
}

Status Conv1d::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0) return Status::kBadArgument;
  const int R = receptive_field();
  const int K = kernel_size;
  const int newest = ring::slot(a.t, R);
  std::memcpy(state + static_cast<size_t>(newest) * in_channels, a.in[0],
              static_cast<size_t>(in_channels) * sizeof(float));

  // Tap k reads x(t - lag), lag = (K-1-k)·dilation <= R-1, from slot (newest - lag) mod R.
  float* taps = scratch;  // [Cin, K], matching w[o] row by row
  for (int k = 0; k < K; ++k) {
    int slot = newest - (K - 1 - k) * dilation;
    if (slot < 0) slot += R;
    const float* x = state + static_cast<size_t>(slot) * in_channels;
    for (int i = 0; i < in_channels; ++i) taps[static_cast<size_t>(i) * K + k] = x[i];
  }
  kernels::matvec(w, taps, b, out_channels, in_channels * K, out);
  kernels::activate(activation, out, out_channels);
  return Status::kOk;
}

}  // namespace runnel::layers
