// Sequence form of kLinearDecay: normalised linearly decaying weights over the last W events.
// Streaming form: engine/layers/linear_decay.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_LINEAR_DECAY_H_
#define RUNNEL_TRAINER_NN_LINEAR_DECAY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class LinearDecay : public Module {
 public:
  LinearDecay(std::size_t d, std::size_t window) : d_(d), window_(window) {}
  rnl::Op op() const override { return rnl::Op::kLinearDecay; }
  std::size_t width() const override { return d_; }
  Var forward(const Context&, const std::vector<Var>& in) const override { return ag::linear_decay(in.at(0), window_); }
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(window_)}; }

 private:
  std::size_t d_, window_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_LINEAR_DECAY_H_
