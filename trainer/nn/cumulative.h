// Sequence form of kCumulative: running mean | max | sum over events 0..t.
// Streaming form: engine/layers/cumulative.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_CUMULATIVE_H_
#define RUNNEL_TRAINER_NN_CUMULATIVE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Cumulative : public Module {
 public:
  Cumulative(std::size_t d, rnl::Reduce reduce) : d_(d), reduce_(reduce) {}
  rnl::Op op() const override { return rnl::Op::kCumulative; }
  std::size_t width() const override { return d_; }
  Var forward(const Context&, const std::vector<Var>& in) const override {
    switch (reduce_) {
      case rnl::Reduce::kMax: return ag::cummax(in.at(0), 1);
      case rnl::Reduce::kSum: return ag::cumsum(in.at(0), 1);
      default: return ag::cummean(in.at(0), 1);
    }
  }
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(reduce_)}; }

 private:
  std::size_t d_;
  rnl::Reduce reduce_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_CUMULATIVE_H_
