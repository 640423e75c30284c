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
  // Regression: field = -1, width 1, numeric = the predicted numeric index or -1; the
  // output is scale * x + shift, x being the head's prediction of the standardised target
  // (scale, shift: the target's train std and mean), which is what the loss reads.
  Output(std::size_t width, rnl::OutputKind kind, int field, int numeric, float scale = 1.0f, float shift = 0.0f)
      : width_(width), kind_(kind), field_(field), numeric_(numeric), scale_(scale), shift_(shift) {}
  rnl::Op op() const override { return rnl::Op::kOutput; }
  std::size_t width() const override { return width_; }
  Var forward(const Context&, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override;
  rnl::OutputKind kind() const { return kind_; }
  float scale() const { return scale_; }
  float shift() const { return shift_; }

 private:
  std::size_t width_;
  rnl::OutputKind kind_;
  int field_, numeric_;
  float scale_, shift_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_OUTPUT_H_
