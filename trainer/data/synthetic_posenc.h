// posenc_regression: a target that depends on where values are, not only on which
// values occur, so a model without position information cannot fit it.
//   event t: numeric "x" ~ U(-1, 1), field "bucket" = floor((x + 1) * 4) in b0..b7
//   value = x[first_index] - x[second_index] + (1/L) * sum_t (2t/(L-1) - 1) * x_t
// Any permutation-invariant summary of the events (mean pooling without positions)
// sees the same multiset for every reordering, so it can at best predict E[value |
// multiset] = 0 for the first two terms.
#ifndef RUNNEL_TRAINER_DATA_SYNTHETIC_POSENC_H_
#define RUNNEL_TRAINER_DATA_SYNTHETIC_POSENC_H_

#include "trainer/data/synthetic_sequence.h"

namespace runnel::data {

struct PosencOptions {
  SyntheticSplit split;
  std::size_t first_index = 2;     // must be < split.min_length
  std::size_t second_index = 9;    // must be < split.min_length
};

class PosencDataset : public SyntheticSequenceDataset {
 public:
  explicit PosencDataset(const PosencOptions& options);
  float exact_value(const SequenceExample& ex) const;

 protected:
  SequenceExample generate(std::mt19937_64& rng, std::size_t length) const override;

 private:
  PosencOptions options_;
};

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_SYNTHETIC_POSENC_H_
