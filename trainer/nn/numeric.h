// Sequence form of kNumeric: a linear projection of `count` numeric values starting at `first`.
// Streaming form: engine/layers/numeric.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_NUMERIC_H_
#define RUNNEL_TRAINER_NN_NUMERIC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Numeric : public Module {
 public:
  Numeric(std::string prefix, std::size_t first, std::size_t count, std::size_t d)
      : Module(std::move(prefix)), first_(first), count_(count), d_(d) {}
  rnl::Op op() const override { return rnl::Op::kNumeric; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng& rng) const override { init_linear(params, name("w"), name("b"), d_, count_, rng); }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override {
    return {static_cast<int32_t>(first_), static_cast<int32_t>(count_), static_cast<int32_t>(d_)};
  }
  std::vector<std::string> tensor_roles() const override { return {"w", "b"}; }

 private:
  std::size_t first_, count_, d_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_NUMERIC_H_
