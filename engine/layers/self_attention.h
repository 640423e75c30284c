// Multi-head causal self-attention over the last W events (rnl kSelfAttention).
//
// At event t the query q(t) attends over the keys j with t-W < j <= t:
//   y(t) = Wo · concat_h softmax_j(q_h(t)·k_h(j) / sqrt(d/H) + bias_h(t-j)) v_h(j) + bo
// bias: none, a learned relative bias [H, W] indexed by the offset t-j, or ALiBi
// (-2^(-8(h+1)/H) · (t-j)).
//
// State: the K ring buffer transposed to [d, W] and the V ring buffer [W, d] (layouts:
// support/attention_core.h); event j lives in slot j % W, so the offset of slot s at event t is
// (t-s) mod W.
// Cost per event: three [d,d] projections, O(W·d) attention, one [d,d] projection,
// independent of t.
#ifndef RUNNEL_ENGINE_LAYERS_SELF_ATTENTION_H_
#define RUNNEL_ENGINE_LAYERS_SELF_ATTENTION_H_

#include <cstddef>

#include "engine/layers/layer.h"
#include "engine/layers/support/attention_core.h"

namespace runnel::layers {

struct SelfAttention : LayerBase {
  MhaWeights mha;
  int window = 0;                                        // W
  rnl::PositionBias position_bias = rnl::PositionBias::kNone;
  const float* relative_bias = nullptr;                  // [heads, W], only for kRelative

  static SelfAttention make(const MhaWeights& mha, int window, rnl::PositionBias position_bias,
                            const float* relative_bias = nullptr) {
    SelfAttention a;
    a.mha = mha;
    a.window = window;
    a.position_bias = position_bias;
    a.relative_bias = relative_bias;
    return a;
  }

  bool valid() const;
  int out_width() const { return mha.d; }
  uint64_t state_floats() const { return 2 * cache_floats(); }
  size_t scratch_floats() const { return 3 * round_to_line<float>(mha.d) + probs_floats(mha.heads, window); }
  void reset(float* state) const;
  // a.in[0]: the event's input vector [d].
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;

 private:
  uint64_t cache_floats() const { return static_cast<uint64_t>(mha.d) * window; }
  void fill_position_bias(int head, int newest_column, int n, float* scores) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_SELF_ATTENTION_H_
