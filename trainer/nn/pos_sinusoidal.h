// Sequence form of kPosSinusoidal: in0 + PE(t), angles in double as the engine computes them.
// Streaming form: engine/layers/pos_sinusoidal.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_POS_SINUSOIDAL_H_
#define RUNNEL_TRAINER_NN_POS_SINUSOIDAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class PosSinusoidal : public Module {
 public:
  explicit PosSinusoidal(std::size_t d) : d_(d) {}
  rnl::Op op() const override { return rnl::Op::kPosSinusoidal; }
  std::size_t width() const override { return d_; }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;

 private:
  std::size_t d_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_POS_SINUSOIDAL_H_
