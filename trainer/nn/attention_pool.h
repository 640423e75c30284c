// Sequence form of kAttentionPool: causal content-scored softmax average with a learned query.
// Streaming form: engine/layers/attention_pool.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_ATTENTION_POOL_H_
#define RUNNEL_TRAINER_NN_ATTENTION_POOL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class AttentionPool : public Module {
 public:
  AttentionPool(std::string prefix, std::size_t d) : Module(std::move(prefix)), d_(d) {}
  rnl::Op op() const override { return rnl::Op::kAttentionPool; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng& rng) const override {
    add_normal(params, name("q"), {d_}, 1.0 / std::sqrt(static_cast<double>(d_)), rng);
  }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override {
    return ag::attention_pool(in.at(0), param(ctx, "q"));
  }
  std::vector<std::string> tensor_roles() const override { return {"q"}; }

 private:
  std::size_t d_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_ATTENTION_POOL_H_
