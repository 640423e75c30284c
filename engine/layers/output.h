// kOutput: marks in0 as a model output. The engine copies it into the session's output
// area so each session's outputs stay readable after other sessions step. A regression
// output is de-standardised on the way: y = scale * x + shift (the head was trained on the
// standardised target). Cost per event: O(width).
#ifndef RUNNEL_ENGINE_LAYERS_OUTPUT_H_
#define RUNNEL_ENGINE_LAYERS_OUTPUT_H_

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Output : LayerBase {
  rnl::OutputKind kind = rnl::OutputKind::kCategorical;
  int field = -1;       // categorical: the field whose next value the logits predict
  int numeric = -1;     // regression: the numeric value predicted, or -1
  int d = 0;
  float scale = 1.0f;   // regression: the target's train std
  float shift = 0.0f;   // regression: the target's train mean

  static Output make(rnl::OutputKind kind, int field, int numeric, int d, float scale, float shift) {
    return Output{{}, kind, field, numeric, d, scale, shift};
  }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, 1)) return Status::kBadArgument;
    if (kind == rnl::OutputKind::kRegression) {
      for (int i = 0; i < d; ++i) out[i] = scale * a.in[0][i] + shift;
    } else {
      copy(a.in[0], out, d);
    }
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_OUTPUT_H_
