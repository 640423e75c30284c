// Sequence form of kStaticInput: the entity's static features [first, first + count), repeated at every event.
// Streaming form: engine/layers/static_input.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_STATIC_INPUT_H_
#define RUNNEL_TRAINER_NN_STATIC_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class StaticInput : public Module {
 public:
  StaticInput(std::size_t first, std::size_t count) : first_(first), count_(count) {}
  rnl::Op op() const override { return rnl::Op::kStaticInput; }
  std::size_t width() const override { return count_; }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(first_), static_cast<int32_t>(count_)}; }

 private:
  std::size_t first_, count_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_STATIC_INPUT_H_
