// Sequence form of kSelfAttention: multi-head causal self-attention over the last W events with an
// optional relative (learned [H, W]) or ALiBi position bias; scale 1/sqrt(d/H).
// Streaming form: engine/layers/self_attention.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_SELF_ATTENTION_H_
#define RUNNEL_TRAINER_NN_SELF_ATTENTION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class SelfAttention : public Module {
 public:
  SelfAttention(std::string prefix, std::size_t d, std::size_t heads, std::size_t window,
                rnl::PositionBias bias = rnl::PositionBias::kNone);
  rnl::Op op() const override { return rnl::Op::kSelfAttention; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng& rng) const override;
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override {
    return {static_cast<int32_t>(heads_), static_cast<int32_t>(window_), static_cast<int32_t>(bias_)};
  }
  std::vector<std::string> tensor_roles() const override;

 private:
  std::size_t d_, heads_, window_;
  rnl::PositionBias bias_;
};

// The four [d, d] projections of multi-head attention (wq, bq, wk, bk, wv, bv, wo, bo),
// shared with cross_attention.
void init_mha(const Module& m, Params& params, std::size_t d, Rng& rng);
const std::vector<std::string>& mha_roles();

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_SELF_ATTENTION_H_
