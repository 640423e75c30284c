// Trivial baselines for the sequence-level targets of a synthetic data config
// (seq_tabular, posenc, multitask, adding), measured on the validation split:
//   regression target:  constant = MSE of predicting the train mean;
//                       statics_ols = MSE of least squares on [1, statics] fitted on train
//                       (only when the source has static features);
//   categorical target: majority = accuracy and macro-F1 (as the trainer computes it:
//                       mean over classes >= 1 that occur or are predicted) of always
//                       predicting the most frequent train class.
// The Results tables' baseline rows; `runnel baselines --config C` prints them for a
// sequence-level config.
#ifndef RUNNEL_TRAINER_DATA_TARGET_BASELINES_H_
#define RUNNEL_TRAINER_DATA_TARGET_BASELINES_H_

#include <nlohmann/json.hpp>

#include "trainer/data/synthetic_sequence.h"

namespace runnel::data {

// {"<target>": {"constant_mse": ..., "statics_ols_mse": ...} or
//  {"majority_class": ..., "majority_accuracy": ..., "majority_macro_f1": ...}, ...}
nlohmann::json target_baselines(const SyntheticSequenceDataset& ds);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_TARGET_BASELINES_H_
