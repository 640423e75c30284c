// kL2Normalize: x / max(||x||, eps). eps keeps an all-zero vector at zero instead of NaN.
#ifndef RUNNEL_ENGINE_LAYERS_L2_NORMALIZE_H_
#define RUNNEL_ENGINE_LAYERS_L2_NORMALIZE_H_

#include <cmath>

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct L2Normalize : LayerBase {
  int d = 0;
  float eps = 1e-12f;  // hp0 holds its bits (rnl::hp_to_float)

  static L2Normalize make(int d, float eps) { return L2Normalize{{}, d, eps}; }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, 1)) return Status::kBadArgument;
    const float norm = std::sqrt(kernels::dot(a.in[0], a.in[0], d));
    copy(a.in[0], out, d);
    kernels::scale(out, 1.f / (norm > eps ? norm : eps), d);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_L2_NORMALIZE_H_
