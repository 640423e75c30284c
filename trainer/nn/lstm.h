// Sequence form of kLstm: PyTorch LSTM (gates i, f, g, o), zero initial state.
// Streaming form: engine/layers/lstm.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_LSTM_H_
#define RUNNEL_TRAINER_NN_LSTM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Lstm : public Module {
 public:
  Lstm(std::string prefix, std::size_t in, std::size_t hidden) : Module(std::move(prefix)), in_(in), hidden_(hidden) {}
  rnl::Op op() const override { return rnl::Op::kLstm; }
  std::size_t width() const override { return hidden_; }
  void init(Params& params, Rng& rng) const override;
  Var forward(const Context& ctx, const std::vector<Var>& in) const override {
    return ag::lstm(in.at(0), param(ctx, "w_ih"), param(ctx, "w_hh"), param(ctx, "b_ih"), param(ctx, "b_hh"));
  }
  std::vector<std::string> tensor_roles() const override { return {"w_ih", "w_hh", "b_ih", "b_hh"}; }

 private:
  std::size_t in_, hidden_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_LSTM_H_
