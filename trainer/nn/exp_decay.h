// Sequence form of kExpDecay: normalised exponentially decaying average (s = x + alpha s, n = 1 + alpha n).
// Streaming form: engine/layers/exp_decay.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_EXP_DECAY_H_
#define RUNNEL_TRAINER_NN_EXP_DECAY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class ExpDecay : public Module {
 public:
  ExpDecay(std::size_t d, float alpha) : d_(d), alpha_(alpha) {}
  rnl::Op op() const override { return rnl::Op::kExpDecay; }
  std::size_t width() const override { return d_; }
  Var forward(const Context&, const std::vector<Var>& in) const override { return ag::exp_decay(in.at(0), alpha_); }
  std::vector<int32_t> hp() const override { return {float_hp(alpha_)}; }

 private:
  std::size_t d_;
  float alpha_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_EXP_DECAY_H_
