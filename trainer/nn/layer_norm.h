// Sequence form of kLayerNorm over the feature axis, biased variance.
// Streaming form: engine/layers/layer_norm.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_LAYER_NORM_H_
#define RUNNEL_TRAINER_NN_LAYER_NORM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class LayerNorm : public Module {
 public:
  LayerNorm(std::string prefix, std::size_t d, float eps = 1e-5f) : Module(std::move(prefix)), d_(d), eps_(eps) {}
  rnl::Op op() const override { return rnl::Op::kLayerNorm; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng&) const override {
    add_filled(params, name("gamma"), {d_}, 1.f);
    add_filled(params, name("beta"), {d_}, 0.f);
  }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override {
    return ag::layer_norm(in.at(0), param(ctx, "gamma"), param(ctx, "beta"), eps_);
  }
  std::vector<int32_t> hp() const override { return {float_hp(eps_)}; }
  std::vector<std::string> tensor_roles() const override { return {"gamma", "beta"}; }

 private:
  std::size_t d_;
  float eps_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_LAYER_NORM_H_
