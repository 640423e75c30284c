// kPosLearned: in0 + P[t], P [max_len, d]. Positions exist only up to max_len - 1: a
// longer stream gets kPositionOutOfRange (and nothing written) from event max_len on.
#ifndef RUNNEL_ENGINE_LAYERS_POS_LEARNED_H_
#define RUNNEL_ENGINE_LAYERS_POS_LEARNED_H_

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct PosLearned : LayerBase {
  const float* table = nullptr;  // [max_len, d]
  int max_len = 0;
  int d = 0;

  static PosLearned make(const float* table, int max_len, int d) {
    return PosLearned{{}, table, max_len, d};
  }

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* /*state*/, float* /*scratch*/, float* out) const {
    if (!has_inputs(a, 1)) return Status::kBadArgument;
    if (a.t < 0 || a.t >= max_len) return Status::kPositionOutOfRange;
    kernels::add(a.in[0], table_row(table, a.t, d), out, d);
    return Status::kOk;
  }
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_POS_LEARNED_H_
