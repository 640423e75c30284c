// Causal 1-D convolution, one layer (rnl kConv1d):
//   y(t)[o] = act(b[o] + sum_{i,k} w[o,i,k] · x(t - (K-1-k)·dilation)[i]),  x(<0) = 0.
// Stack layers (each its own state) for deeper receptive fields.
//
// State: a ring buffer of the receptive field, R = (K-1)·dilation + 1 input vectors,
// event j in slot j % R. Slots not yet written hold the zeros of reset(), which is exactly
// x(<0) = 0. Per event: gather the K taps into scratch as a [Cin, K] block (the layout of
// one row of w), then one [Cout, Cin·K] matvec: O(K·Cin·Cout), independent of t.
#ifndef RUNNEL_ENGINE_LAYERS_CONV1D_H_
#define RUNNEL_ENGINE_LAYERS_CONV1D_H_

#include <cstddef>
#include <cstdint>

#include "engine/kernels/kernels.h"
#include "engine/layers/layer.h"

namespace runnel::layers {

struct Conv1d : LayerBase {
  kernels::Matrix w;              // [Cout, Cin, K]: f32, or int8 with a scale per Cout
  const float* b = nullptr;       // [Cout]
  int in_channels = 0;            // Cin
  int out_channels = 0;           // Cout
  int kernel_size = 0;            // K
  int dilation = 1;
  rnl::Activation activation = rnl::Activation::kNone;

  static Conv1d make(kernels::Matrix w, const float* b, int in_channels, int out_channels,
                     int kernel_size, int dilation, rnl::Activation activation) {
    return Conv1d{{}, w, b, in_channels, out_channels, kernel_size, dilation, activation};
  }

  bool valid() const {  // the receptive field is a ring-buffer window: same limit as W
    return w && b && in_channels > 0 && out_channels > 0 && kernel_size > 0 && dilation > 0 &&
           static_cast<int64_t>(kernel_size - 1) * dilation < static_cast<int64_t>(rnl::kMaxWindow);
  }
  int receptive_field() const { return (kernel_size - 1) * dilation + 1; }
  int out_width() const { return out_channels; }
  uint64_t state_floats() const { return static_cast<uint64_t>(receptive_field()) * in_channels; }
  size_t scratch_floats() const { return static_cast<size_t>(in_channels) * kernel_size; }
  void reset(float* state) const;
  // a.in[0]: the event's input vector [Cin].
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_CONV1D_H_
