// Sequence form of kEmbed: the sum of one learned row per categorical field (engine/layers/embed.h).
// Streaming form: engine/layers/embed.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_EMBED_H_
#define RUNNEL_TRAINER_NN_EMBED_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class Embed : public Module {
 public:
  // fields: event field indices (1..8), vocab: their vocabulary sizes, d: width.
  Embed(std::string prefix, std::vector<int> fields, std::vector<std::size_t> vocab, std::size_t d);
  rnl::Op op() const override { return rnl::Op::kEmbed; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng& rng) const override;
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override;
  std::vector<std::string> tensor_roles() const override;

 private:
  std::vector<int> fields_;
  std::vector<std::size_t> vocab_;
  std::size_t d_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_EMBED_H_
