// Sequence form of kCopyHead: a pointer-generator head for the next value of one event
// field, over [B, T, ·]. Inputs: the state h [B, T, d] and the generator logits [B, T, V];
// output: log(g softmax(logits) + (1 - g) pointer + eps) [B, T, V], the pointer attending
// from h over the field's ids in the last W events of the row (engine/layers/copy_head.h
// has the math). Streaming form: engine/layers/copy_head.h; parity:
// tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_COPY_HEAD_H_
#define RUNNEL_TRAINER_NN_COPY_HEAD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class CopyHead : public Module {
 public:
  // field: event field index, vocab: its vocabulary size V, d: state width, key_dim: k,
  // window: W (events the pointer sees, this one included).
  CopyHead(std::string prefix, int field, std::size_t vocab, std::size_t d, std::size_t key_dim, std::size_t window);
  rnl::Op op() const override { return rnl::Op::kCopyHead; }
  std::size_t width() const override { return vocab_; }
  void init(Params& params, Rng& rng) const override;
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override { return {field_, static_cast<int32_t>(window_)}; }
  std::vector<std::string> tensor_roles() const override { return {"wq", "bq", "keys", "bias", "wg", "bg"}; }

 private:
  int field_;
  std::size_t vocab_, d_, key_dim_, window_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_COPY_HEAD_H_
