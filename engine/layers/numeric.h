// kNumeric: a linear projection of `count` numeric values of the event, starting at
// `first`: out = W x + b, W [d, count]. NaN or infinite inputs give kNonFinite (nothing
// written); an event with fewer numeric values than first + count gives kBadArgument.
#ifndef RUNNEL_ENGINE_LAYERS_NUMERIC_H_
#define RUNNEL_ENGINE_LAYERS_NUMERIC_H_

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Numeric : LayerBase {
  kernels::Matrix w;         // [d, count]
  const float* b = nullptr;  // [d]
  int first = 0;
  int count = 0;
  int d = 0;

  static Numeric make(kernels::Matrix w, const float* b, int first, int count, int d) {
    return Numeric{{}, w, b, first, count, d};
  }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_NUMERIC_H_
