// kAdd: in0 + in1, both of width d.
#ifndef RUNNEL_ENGINE_LAYERS_ADD_H_
#define RUNNEL_ENGINE_LAYERS_ADD_H_

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Add : LayerBase {
  int d = 0;

  static Add make(int d) { return Add{{}, d}; }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, 2)) return Status::kBadArgument;
    kernels::add(a.in[0], a.in[1], out, d);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_ADD_H_
