// The training loop's optimizer: the one chosen by the "train" config section (sgd, adam,
// adamw), built from trainer/optim, whose update rules it uses; its state is reachable so
// a checkpoint can save it and --resume continue bit-identically.
#ifndef RUNNEL_TRAINER_TRAIN_OPTIMIZER_H_
#define RUNNEL_TRAINER_TRAIN_OPTIMIZER_H_

#include <memory>
#include <string>
#include <vector>

#include "trainer/autograd/parameters.h"
#include "trainer/optim/optimizer.h"
#include "trainer/train/train_config.h"

namespace runnel::train {

class TrainOptimizer {
 public:
  TrainOptimizer(ag::ParameterSet<float>& params, const TrainConfig& config);
  void step(float lr) { impl_->step(lr); }
  // State arrays per parameter the config's optimizer keeps (sgd 1, adam/adamw 2), known
  // before any parameter exists (the memory check).
  static std::size_t slot_count(const TrainConfig& config) { return config.optimizer == "sgd" ? 1 : 2; }

  // State, in parameter order: sgd keeps one slot ("momentum_buffer"), adam/adamw two
  // ("exp_avg", "exp_avg_sq").
  const std::string& kind() const { return kind_; }
  long steps() const { return impl_->steps(); }
  void set_steps(long s) { impl_->set_steps(s); }
  std::vector<std::vector<ag::Array<float>>>& slots() { return impl_->slots(); }
  const std::vector<std::vector<ag::Array<float>>>& slots() const { return impl_->slots(); }

 private:
  std::string kind_;
  std::unique_ptr<optim::Optimizer<float>> impl_;
};

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_OPTIMIZER_H_
