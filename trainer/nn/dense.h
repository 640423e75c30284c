// Sequence form of kDense: act(W x + b), W [out, in].
// Streaming form: engine/layers/dense.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_DENSE_H_
#define RUNNEL_TRAINER_NN_DENSE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Dense : public Module {
 public:
  Dense(std::string prefix, std::size_t in, std::size_t out, rnl::Activation act = rnl::Activation::kNone)
      : Module(std::move(prefix)), in_(in), out_(out), act_(act) {}
  rnl::Op op() const override { return rnl::Op::kDense; }
  std::size_t width() const override { return out_; }
  void init(Params& params, Rng& rng) const override { init_linear(params, name("w"), name("b"), out_, in_, rng); }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override {
    return activate(ag::linear(in.at(0), param(ctx, "w"), param(ctx, "b")), act_);
  }
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(act_)}; }
  std::vector<std::string> tensor_roles() const override { return {"w", "b"}; }

 private:
  std::size_t in_, out_;
  rnl::Activation act_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_DENSE_H_
