// Sequence form of kOutput: marks its input as a model output (categorical logits over a field's
// vocabulary, or a scalar regression).
// Streaming form: engine/layers/output.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_OUTPUT_H_
#define RUNNEL_TRAINER_NN_OUTPUT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Output : public Module {
 public:
  // Categorical: field >= 0 (the vocabulary the logits index), numeric = -1.
  // Regression: field = -1, width 1, numeric = the predicted numeric index or -1.
  Output(std::size_t width, rnl::OutputKind kind, int field, int numeric)
      : width_(width), kind_(kind), field_(field), numeric_(numeric) {}
  rnl::Op op() const override { return rnl::Op::kOutput; }
  std::size_t width() const override { return width_; }
  Var forward(const Context&, const std::vector<Var>& in) const override { return in.at(0); }
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(kind_), field_, numeric_}; }
  rnl::OutputKind kind() const { return kind_; }

 private:
  std::size_t width_;
  rnl::OutputKind kind_;
  int field_, numeric_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_OUTPUT_H_
