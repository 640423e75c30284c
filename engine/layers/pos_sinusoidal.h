// kPosSinusoidal: in0 + PE(t), PE(t)[2i] = sin(t * f_i), PE(t)[2i+1] = cos(same),
// f_i = 10000^(-2i/d). An odd d ends with a sin.
//
// In float, t * f_i loses ~1e-5 absolute already at t = 400, more than the parity budget
// allows; in double it costs double-precision pow/sin/cos per event (library calls on a
// core without a double FPU, e.g. Cortex-M4). So the angle is reduced exactly in fixed
// point instead: reset() stores, per frequency, g_i = round(2^64 * f_i / 2pi) (the turns per
// event as a 64-bit fraction); at event t, t * g_i mod 2^64 is the fraction of a turn, its
// top 32 bits read as signed give the angle in [-pi, pi) to 2^-32 of a turn, and float
// sin/cos of it are within ~2e-7 of the double-precision values at any t.
// State: the (d + 1) / 2 values g_i (64 bits each, two floats' room).
#ifndef RUNNEL_ENGINE_LAYERS_POS_SINUSOIDAL_H_
#define RUNNEL_ENGINE_LAYERS_POS_SINUSOIDAL_H_

#include <cstddef>

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct PosSinusoidal : LayerBase {
  int d = 0;

  static PosSinusoidal make(int d) { return PosSinusoidal{{}, d}; }

  size_t state_floats() const { return 2 * static_cast<size_t>((d + 1) / 2); }
  size_t scratch_floats() const { return 0; }
  void reset(float* state) const;
  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_POS_SINUSOIDAL_H_
