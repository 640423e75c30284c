// kActivation: an element-wise activation of in0 (the op's struct; rnl::Activation is the
// function it applies).
#ifndef RUNNEL_ENGINE_LAYERS_ACTIVATION_H_
#define RUNNEL_ENGINE_LAYERS_ACTIVATION_H_

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Activation : LayerBase {
  rnl::Activation act = rnl::Activation::kNone;
  int d = 0;

  static Activation make(rnl::Activation act, int d) { return Activation{{}, act, d}; }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, 1)) return Status::kBadArgument;
    copy(a.in[0], out, d);
    kernels::activate(act, out, d);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_ACTIVATION_H_
