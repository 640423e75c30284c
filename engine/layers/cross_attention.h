// Cross-attention fusion (rnl kCrossAttention): a learnable query attends over the S
// stream vectors of the current event, then residual and LayerNorm:
//   y = LayerNorm(q + MHA(q, S, S)),  S = [in0; ...; in(S-1)], all of width d.
// Stateless: the S keys/values are this event's stream outputs, projected into scratch
// in the layouts of support/attention_core.h. Cost per event O(S·d²).
#ifndef RUNNEL_ENGINE_LAYERS_CROSS_ATTENTION_H_
#define RUNNEL_ENGINE_LAYERS_CROSS_ATTENTION_H_

#include <cstddef>

#include "engine/layers/layer.h"
#include "engine/layers/support/attention_core.h"

namespace runnel::layers {

struct CrossAttention : LayerBase {
  MhaWeights mha;
  const float* query = nullptr;   // q [d]
  const float* gamma = nullptr;   // LayerNorm [d]
  const float* beta = nullptr;    // LayerNorm [d]
  float eps = 1e-5f;
  int n_streams = 0;              // S: number of inputs, 1..rnl::kRecordInputs

  static CrossAttention make(const MhaWeights& mha, const float* query, const float* gamma,
                             const float* beta, float eps, int n_streams) {
    CrossAttention c;
    c.mha = mha;
    c.query = query;
    c.gamma = gamma;
    c.beta = beta;
    c.eps = eps;
    c.n_streams = n_streams;
    return c;
  }

  bool valid() const {
    return mha.valid() && query && gamma && beta && eps > 0.f && n_streams >= 1 &&
           n_streams <= static_cast<int>(rnl::kRecordInputs);
  }
  int out_width() const { return mha.d; }
  size_t scratch_floats() const {
    const size_t d = round_to_line<float>(mha.d);
    return 3 * d + 2 * round_to_line<float>(static_cast<size_t>(mha.d) * n_streams) + probs_floats(mha.heads, n_streams);
  }
  // a.in[0..S-1]: the stream vectors [d] each.
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_CROSS_ATTENTION_H_
