// Sequence form of kLearnedPosWeights: y_t = sum_{i < min(t+1, W)} w[i] x_{t-i}, w learned.
// Streaming form: engine/layers/learned_pos_weights.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_LEARNED_POS_WEIGHTS_H_
#define RUNNEL_TRAINER_NN_LEARNED_POS_WEIGHTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class LearnedPosWeights : public Module {
 public:
  LearnedPosWeights(std::string prefix, std::size_t d, std::size_t window)
      : Module(std::move(prefix)), d_(d), window_(window) {}
  rnl::Op op() const override { return rnl::Op::kLearnedPosWeights; }
  std::size_t width() const override { return d_; }
  // Starts as a uniform average over the window.
  void init(Params& params, Rng&) const override {
    add_filled(params, name("w"), {window_}, 1.f / static_cast<float>(window_));
  }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override {
    return ag::learned_pos_weights(in.at(0), param(ctx, "w"));
  }
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(window_)}; }
  std::vector<std::string> tensor_roles() const override { return {"w"}; }

 private:
  std::size_t d_, window_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_LEARNED_POS_WEIGHTS_H_
