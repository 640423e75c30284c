// seq_tabular: a sequence plus static tabular features predicting a sequence-level
// regression target "value" that needs both.
//   event t: field "kind" in k0..k3, numeric "x" ~ N(0, 1)
//   statics: s0, s1, s2 ~ U(-1, 1) (s2 is a distractor)
//   u_t = m[kind_t] * x_t with m = (1, -1, 0.5, 2)
//   r = sum_{i<8} 0.7^i u_{L-1-i} / sum_{i<8} 0.7^i     (recent, decaying weights)
//   value = r * (1 + s0) + 0.5 * s1 + noise * N(0, 1)
#ifndef RUNNEL_TRAINER_DATA_SYNTHETIC_SEQ_TABULAR_H_
#define RUNNEL_TRAINER_DATA_SYNTHETIC_SEQ_TABULAR_H_

#include "trainer/data/synthetic_sequence.h"

namespace runnel::data {

struct SeqTabularOptions {
  SyntheticSplit split;
  float noise = 0.05f;
};

class SeqTabularDataset : public SyntheticSequenceDataset {
 public:
  explicit SeqTabularDataset(const SeqTabularOptions& options);
  // The noise-free target of an example (for "perfect" comparisons).
  static float exact_value(const SequenceExample& ex);

 protected:
  SequenceExample generate(std::mt19937_64& rng, std::size_t length) const override;

 private:
  SeqTabularOptions options_;
};

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_SYNTHETIC_SEQ_TABULAR_H_
