// kStaticInput: `count` of the entity's static (tabular) features starting at `first`, copied
// out on every event. The binder checks first + count against the model's n_static; NaN
// or infinite features give kNonFinite, missing statics kBadArgument.
#ifndef RUNNEL_ENGINE_LAYERS_STATIC_INPUT_H_
#define RUNNEL_ENGINE_LAYERS_STATIC_INPUT_H_

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct StaticInput : LayerBase {
  int first = 0;
  int count = 0;

  static StaticInput make(int first, int count) { return StaticInput{{}, first, count}; }

  int out_width() const { return count; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (count == 0) return Status::kOk;
    if (a.statics == nullptr || first < 0) return Status::kBadArgument;
    const float* x = a.statics + first;
    if (!all_finite(x, count)) return Status::kNonFinite;
    copy(x, out, count);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_STATIC_INPUT_H_
