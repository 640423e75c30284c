// Sequence form of kActivation: an element-wise activation.
// Streaming form: engine/layers/activation.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_ACTIVATION_H_
#define RUNNEL_TRAINER_NN_ACTIVATION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Activation : public Module {
 public:
  Activation(std::size_t d, rnl::Activation act) : d_(d), act_(act) {}
  rnl::Op op() const override { return rnl::Op::kActivation; }
  std::size_t width() const override { return d_; }
  Var forward(const Context&, const std::vector<Var>& in) const override { return activate(in.at(0), act_); }
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(act_)}; }

 private:
  std::size_t d_;
  rnl::Activation act_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_ACTIVATION_H_
