#include "engine/layers/pos_sinusoidal.h"

#include <cmath>

namespace runnel::layers {

Status PosSinusoidal::step(const StepArgs& a, float*, float*, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0) return Status::kBadArgument;
  const float* x = a.in[0];
  const double t = static_cast<double>(a.t);
  for (int j = 0; j < d; j += 2) {
    const double angle = t * std::pow(10000.0, -static_cast<double>(j) / d);
    out[j] = static_cast<float>(x[j] + std::sin(angle));
    if (j + 1 < d) out[j + 1] = static_cast<float>(x[j + 1] + std::cos(angle));
  }
  return Status::kOk;
}

}  // namespace runnel::layers
