// Sequence form of kL2Normalize: x / max(||x||, eps).
// Streaming form: engine/layers/l2_normalize.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_L2_NORMALIZE_H_
#define RUNNEL_TRAINER_NN_L2_NORMALIZE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class L2Normalize : public Module {
 public:
  explicit L2Normalize(std::size_t d, float eps = 1e-12f) : d_(d), eps_(eps) {}
  rnl::Op op() const override { return rnl::Op::kL2Normalize; }
  std::size_t width() const override { return d_; }
  Var forward(const Context&, const std::vector<Var>& in) const override { return ag::l2_normalize(in.at(0), eps_); }
  std::vector<int32_t> hp() const override { return {float_hp(eps_)}; }

 private:
  std::size_t d_;
  float eps_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_L2_NORMALIZE_H_
