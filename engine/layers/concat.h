// kConcat: in0 | in1 | ... | in(n-1), input i of width width[i].
#ifndef RUNNEL_ENGINE_LAYERS_CONCAT_H_
#define RUNNEL_ENGINE_LAYERS_CONCAT_H_

#include "engine/format/rnl_spec.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Concat : LayerBase {
  static constexpr int kMaxInputs = static_cast<int>(rnl::kRecordInputs);

  int width[kMaxInputs] = {};
  int n = 0;
  int total = 0;

  // n is clamped to kMaxInputs (a record has no more inputs than that).
  static Concat make(const int* widths, int n) {
    Concat c;
    c.n = n < kMaxInputs ? n : kMaxInputs;
    for (int i = 0; i < c.n; ++i) c.total += (c.width[i] = widths[i]);
    return c;
  }

  int out_width() const { return total; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, n)) return Status::kBadArgument;
    for (int i = 0; i < n; ++i) {
      copy(a.in[i], out, width[i]);
      out += width[i];
    }
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_CONCAT_H_
