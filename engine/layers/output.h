// kOutput: marks in0 as a model output. The engine copies it into the session's output
// area so each session's outputs stay readable after other sessions step.
#ifndef RUNNEL_ENGINE_LAYERS_OUTPUT_H_
#define RUNNEL_ENGINE_LAYERS_OUTPUT_H_

#include "engine/layers/layer_util.h"

namespace runnel::layers {

struct Output : Stateless {
  rnl::OutputKind kind = rnl::OutputKind::kCategorical;
  int field = -1;     // categorical: the field whose next value the logits predict
  int numeric = -1;   // regression: the numeric value predicted, or -1
  int d = 0;

  static Output make(rnl::OutputKind kind, int field, int numeric, int d) {
    return Output{{}, kind, field, numeric, d};
  }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, 1)) return Status::kBadArgument;
    copy(a.in[0], out, d);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_OUTPUT_H_
