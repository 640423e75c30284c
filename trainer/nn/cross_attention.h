// Sequence form of kCrossAttention: a learnable query attends over this event's stream vectors
// (all width d): y = LayerNorm(q + MHA(q, S, S)).
// Streaming form: engine/layers/cross_attention.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_CROSS_ATTENTION_H_
#define RUNNEL_TRAINER_NN_CROSS_ATTENTION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class CrossAttention : public Module {
 public:
  CrossAttention(std::string prefix, std::size_t d, std::size_t heads, std::size_t n_streams, float eps = 1e-5f);
  rnl::Op op() const override { return rnl::Op::kCrossAttention; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng& rng) const override;
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(heads_), float_hp(eps_)}; }
  std::vector<std::string> tensor_roles() const override;

 private:
  std::size_t d_, heads_, n_streams_;
  float eps_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_CROSS_ATTENTION_H_
