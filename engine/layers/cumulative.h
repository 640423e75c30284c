// kCumulative: mean, max or sum of in0 over events 0..t. State: the running vector (for
// mean, the running mean itself rather than a sum, so long streams keep values at the
// inputs' scale instead of growing with t).
#ifndef RUNNEL_ENGINE_LAYERS_CUMULATIVE_H_
#define RUNNEL_ENGINE_LAYERS_CUMULATIVE_H_

#include <cstddef>

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Cumulative : LayerBase {
  rnl::Reduce reduce = rnl::Reduce::kMean;
  int d = 0;

  static Cumulative make(rnl::Reduce reduce, int d) { return Cumulative{{}, reduce, d}; }

  size_t state_floats() const { return static_cast<size_t>(d); }
  size_t scratch_floats() const { return 0; }
  void reset(float* state) const;
  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_CUMULATIVE_H_
