// Sequence form of kConv1d: one causal convolution layer with dilation and activation.
// Streaming form: engine/layers/conv1d.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_CONV1D_H_
#define RUNNEL_TRAINER_NN_CONV1D_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Conv1d : public Module {
 public:
  Conv1d(std::string prefix, std::size_t in, std::size_t out, std::size_t kernel, std::size_t dilation,
         rnl::Activation act)
      : Module(std::move(prefix)), in_(in), out_(out), kernel_(kernel), dilation_(dilation), act_(act) {}
  rnl::Op op() const override { return rnl::Op::kConv1d; }
  std::size_t width() const override { return out_; }
  void init(Params& params, Rng& rng) const override;
  Var forward(const Context& ctx, const std::vector<Var>& in) const override {
    return activate(ag::causal_conv1d(in.at(0), param(ctx, "w"), param(ctx, "b"), dilation_), act_);
  }
  std::vector<int32_t> hp() const override {
    return {static_cast<int32_t>(kernel_), static_cast<int32_t>(dilation_), static_cast<int32_t>(act_)};
  }
  std::vector<std::string> tensor_roles() const override { return {"w", "b"}; }

 private:
  std::size_t in_, out_, kernel_, dilation_;
  rnl::Activation act_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_CONV1D_H_
