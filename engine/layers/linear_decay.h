// kLinearDecay: a weighted mean of the last W inputs with linearly decaying weights,
//   y(t) = sum_i w_i x(t-i) / sum_i w_i,  w_i = (W - i) / W,  i < min(t + 1, W),
// so the newest event weighs W/W and the oldest visible one 1/W; early in the stream the
// weights are renormalised over what has been seen. State: ring buffer of W inputs.
#ifndef RUNNEL_ENGINE_LAYERS_LINEAR_DECAY_H_
#define RUNNEL_ENGINE_LAYERS_LINEAR_DECAY_H_

#include <cstddef>

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct LinearDecay : LayerBase {
  int window = 1;  // W >= 1
  int d = 0;

  static LinearDecay make(int window, int d) { return LinearDecay{{}, window, d}; }

  uint64_t state_floats() const { return static_cast<uint64_t>(window) * d; }
  size_t scratch_floats() const { return 0; }
  void reset(float* state) const;
  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_LINEAR_DECAY_H_
