// The training loop's optimizer: the update rules of trainer/optim (SGD with momentum,
// Adam, AdamW; the same expressions, so the same bits) with their state visible, so a
// checkpoint can save it and --resume continue bit-identically.
#ifndef RUNNEL_TRAINER_TRAIN_OPTIMIZER_H_
#define RUNNEL_TRAINER_TRAIN_OPTIMIZER_H_

#include <string>
#include <vector>

#include "trainer/autograd/parameters.h"
#include "trainer/train/train_config.h"

namespace runnel::train {

class TrainOptimizer {
 public:
  TrainOptimizer(ag::ParameterSet<float>& params, const TrainConfig& config);
  void step(float lr);

  // State, in parameter order: sgd keeps one slot ("momentum_buffer"), adam/adamw two
  // ("exp_avg", "exp_avg_sq").
  const std::string& kind() const { return kind_; }
  long steps() const { return steps_; }
  void set_steps(long s) { steps_ = s; }
  std::vector<std::vector<ag::Array<float>>>& slots() { return slots_; }
  const std::vector<std::vector<ag::Array<float>>>& slots() const { return slots_; }

 private:
  ag::ParameterSet<float>& params_;
  std::string kind_;
  float momentum_, beta1_, beta2_, eps_, weight_decay_;
  long steps_ = 0;
  std::vector<std::vector<ag::Array<float>>> slots_;
};

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_OPTIMIZER_H_
