// Sequence form of kAdd: in0 + in1.
// Streaming form: engine/layers/add.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_ADD_H_
#define RUNNEL_TRAINER_NN_ADD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Add : public Module {
 public:
  explicit Add(std::size_t d) : d_(d) {}
  rnl::Op op() const override { return rnl::Op::kAdd; }
  std::size_t width() const override { return d_; }
  Var forward(const Context&, const std::vector<Var>& in) const override { return ag::add(in.at(0), in.at(1)); }

 private:
  std::size_t d_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_ADD_H_
