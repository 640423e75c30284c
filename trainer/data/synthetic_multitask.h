// multitask: one sequence, a classification target "class" and a regression target
// "value" that share structure.
//   each sequence has a dominant token d in {t0, t1, t2} (uniform); tokens are drawn
//   from t0..t7 with d given weight 3 and the others weight 1; numeric "x" ~ U(0, 1).
//   class = 1 + argmax(count(t0), count(t1), count(t2)) (ties: lowest token), ids 1..3
//   value = mean of x over events with token t3 or t4 (0 if none) + 0.5 * [class == 1]
#ifndef RUNNEL_TRAINER_DATA_SYNTHETIC_MULTITASK_H_
#define RUNNEL_TRAINER_DATA_SYNTHETIC_MULTITASK_H_

#include "trainer/data/synthetic_sequence.h"

namespace runnel::data {

struct MultitaskOptions {
  SyntheticSplit split;
};

class MultitaskDataset : public SyntheticSequenceDataset {
 public:
  explicit MultitaskDataset(const MultitaskOptions& options);
  static std::int64_t exact_class(const SequenceExample& ex);
  static float exact_value(const SequenceExample& ex);

 protected:
  SequenceExample generate(std::mt19937_64& rng, std::size_t length) const override;
};

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_SYNTHETIC_MULTITASK_H_
