// kLayerNorm: (x - mean) / sqrt(var + eps) * gamma + beta, biased variance.
#ifndef RUNNEL_ENGINE_LAYERS_LAYER_NORM_H_
#define RUNNEL_ENGINE_LAYERS_LAYER_NORM_H_

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct LayerNorm : LayerBase {
  const float* gamma = nullptr;  // [d]
  const float* beta = nullptr;   // [d]
  int d = 0;
  float eps = 1e-5f;             // hp0 holds its bits (rnl::hp_to_float)

  static LayerNorm make(const float* gamma, const float* beta, int d, float eps) {
    return LayerNorm{{}, gamma, beta, d, eps};
  }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, 1)) return Status::kBadArgument;
    kernels::layer_norm(a.in[0], gamma, beta, eps, out, d);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_LAYER_NORM_H_
