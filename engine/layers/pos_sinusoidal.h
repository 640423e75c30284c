// kPosSinusoidal: in0 + PE(t), PE(t)[2i] = sin(t / 10000^(2i/d)), PE(t)[2i+1] = cos(same).
// An odd d ends with a sin. The angles are computed in double: in float, t * frequency
// loses ~1e-5 absolute already at t = 400, more than the parity budget allows.
#ifndef RUNNEL_ENGINE_LAYERS_POS_SINUSOIDAL_H_
#define RUNNEL_ENGINE_LAYERS_POS_SINUSOIDAL_H_

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct PosSinusoidal : LayerBase {
  int d = 0;

  static PosSinusoidal make(int d) { return PosSinusoidal{{}, d}; }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_POS_SINUSOIDAL_H_
