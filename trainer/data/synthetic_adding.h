// The adding problem (Hochreiter & Schmidhuber 1997): a sequence of (value, marker)
// pairs, value ~ U(0, 1), exactly two markers (one in the first half, one in the
// second half); target "sum" = the sum of the two marked values. Inputs: numeric
// "value" and "marker" (0/1), and the categorical field "marker" ("0"/"1") for models
// that need a field. Lengths uniform in [min_length, max_length] (default 100..400).
// The target is exact (no noise): a perfect model has MSE 0; predicting the constant 1
// has MSE 1/6 (the variance of a sum of two U(0, 1)).
#ifndef RUNNEL_TRAINER_DATA_SYNTHETIC_ADDING_H_
#define RUNNEL_TRAINER_DATA_SYNTHETIC_ADDING_H_

#include "trainer/data/synthetic_sequence.h"

namespace runnel::data {

struct AddingOptions {
  SyntheticSplit split = {4096, 512, 1, 100, 400};
};

class AddingDataset : public SyntheticSequenceDataset {
 public:
  explicit AddingDataset(const AddingOptions& options);

 protected:
  SequenceExample generate(std::mt19937_64& rng, std::size_t length) const override;
};

// The exact answer for row `row` of a batch of this dataset, computed from its inputs:
// the sum of the values whose marker is 1.
float adding_perfect_answer(const Batch& batch, std::size_t row);
// MSE of always predicting 1 (the best constant): 1/6.
constexpr double kAddingConstantMse = 1.0 / 6.0;

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_SYNTHETIC_ADDING_H_
