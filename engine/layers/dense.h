// kDense: act(W in0 + b), W [out, in] row-major (f32 or int8 with per-row scales), b [out]
// (nullptr: no bias).
#ifndef RUNNEL_ENGINE_LAYERS_DENSE_H_
#define RUNNEL_ENGINE_LAYERS_DENSE_H_

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Dense : LayerBase {
  kernels::Matrix w;         // [out, in]
  const float* b = nullptr;  // [out] or nullptr
  int in = 0;
  int out = 0;
  rnl::Activation act = rnl::Activation::kNone;

  static Dense make(kernels::Matrix w, const float* b, int in, int out, rnl::Activation act) {
    return Dense{{}, w, b, in, out, act};
  }

  int out_width() const { return out; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* y) const {
    if (!has_inputs(a, 1)) return Status::kBadArgument;
    kernels::dense(w, a.in[0], b, out, in, act, y);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_DENSE_H_
