// kLearnedPosWeights: y(t) = sum_{i < min(t+1, W)} w[i] x(t-i), one learned weight per
// offset back from the newest event (no renormalisation early in the stream).
// State: ring buffer of W inputs.
#ifndef RUNNEL_ENGINE_LAYERS_LEARNED_POS_WEIGHTS_H_
#define RUNNEL_ENGINE_LAYERS_LEARNED_POS_WEIGHTS_H_

#include <cstddef>

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct LearnedPosWeights : LayerBase {
  const float* w = nullptr;  // [W]
  int window = 1;            // W >= 1
  int d = 0;

  static LearnedPosWeights make(const float* w, int window, int d) {
    return LearnedPosWeights{{}, w, window, d};
  }

  uint64_t state_floats() const { return static_cast<uint64_t>(window) * d; }
  size_t scratch_floats() const { return 0; }
  void reset(float* state) const;
  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_LEARNED_POS_WEIGHTS_H_
