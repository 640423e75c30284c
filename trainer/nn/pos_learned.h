// Sequence form of kPosLearned: in0 + P[t], P [max_len, d]; sequences longer than max_len are an error.
// Streaming form: engine/layers/pos_learned.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_POS_LEARNED_H_
#define RUNNEL_TRAINER_NN_POS_LEARNED_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class PosLearned : public Module {
 public:
  PosLearned(std::string prefix, std::size_t max_len, std::size_t d)
      : Module(std::move(prefix)), max_len_(max_len), d_(d) {}
  rnl::Op op() const override { return rnl::Op::kPosLearned; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng& rng) const override { add_normal(params, name("table"), {max_len_, d_}, 0.1, rng); }
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<std::string> tensor_roles() const override { return {"table"}; }

 private:
  std::size_t max_len_, d_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_POS_LEARNED_H_
