// kAttentionPool: a content-weighted mean of every input so far,
//   y(t) = sum_{j<=t} softmax_j(q·x_j / sqrt(d)) x_j,
// kept as an online softmax: the running max score m, the sum l of exp(score - m) and the
// vector acc of exp(score - m)-weighted inputs; y = acc / l. When a new score exceeds m the
// old sums are rescaled by exp(m_old - m_new), so no exp ever overflows.
// State: acc [d], then m, then l.
#ifndef RUNNEL_ENGINE_LAYERS_ATTENTION_POOL_H_
#define RUNNEL_ENGINE_LAYERS_ATTENTION_POOL_H_

#include <cstddef>

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct AttentionPool : LayerBase {
  const float* q = nullptr;  // [d]
  int d = 0;

  static AttentionPool make(const float* q, int d) { return AttentionPool{{}, q, d}; }

  size_t state_floats() const { return static_cast<size_t>(d) + 2; }
  size_t scratch_floats() const { return 0; }
  void reset(float* state) const;
  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_ATTENTION_POOL_H_
