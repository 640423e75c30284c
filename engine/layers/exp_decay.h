// kExpDecay: an exponentially weighted mean, y(t) = sum_j alpha^(t-j) x(j) / sum_j alpha^(t-j),
// kept as s = x + alpha s, n = 1 + alpha n, y = s / n (0 <= alpha < 1).
// State: s [d] then n (one float); reset() zeroes both, which the recursion starts from.
#ifndef RUNNEL_ENGINE_LAYERS_EXP_DECAY_H_
#define RUNNEL_ENGINE_LAYERS_EXP_DECAY_H_

#include <cstddef>

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct ExpDecay : LayerBase {
  float alpha = 0.f;  // hp0 holds its bits (rnl::hp_to_float)
  int d = 0;

  static ExpDecay make(float alpha, int d) { return ExpDecay{{}, alpha, d}; }

  size_t state_floats() const { return static_cast<size_t>(d) + 1; }
  size_t scratch_floats() const { return 0; }
  void reset(float* state) const;
  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_EXP_DECAY_H_
