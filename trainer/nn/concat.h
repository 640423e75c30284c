// Sequence form of kConcat: the concatenation of 1..8 inputs along the feature axis.
// Streaming form: engine/layers/concat.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_CONCAT_H_
#define RUNNEL_TRAINER_NN_CONCAT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Concat : public Module {
 public:
  explicit Concat(std::vector<std::size_t> widths) : widths_(std::move(widths)) {}
  rnl::Op op() const override { return rnl::Op::kConcat; }
  std::size_t width() const override {
    std::size_t w = 0;
    for (std::size_t x : widths_) w += x;
    return w;
  }
  Var forward(const Context&, const std::vector<Var>& in) const override {
    return in.size() == 1 ? in[0] : ag::concat(in, 2);
  }

 private:
  std::vector<std::size_t> widths_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_CONCAT_H_
