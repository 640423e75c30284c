#include "trainer/train/optimizer.h"

namespace runnel::train {
namespace {
std::unique_ptr<optim::Optimizer<float>> make_optimizer(ag::ParameterSet<float>& params,
                                                        const TrainConfig& c) {
  if (c.optimizer == "sgd")
    return std::make_unique<optim::Sgd<float>>(params, float(c.momentum), float(c.weight_decay));
  optim::Adam<float>::Options o;
  o.beta1 = float(c.beta1);
  o.beta2 = float(c.beta2);
  o.eps = float(c.eps);
  o.weight_decay = float(c.weight_decay);
  o.decoupled = c.optimizer == "adamw";
  return std::make_unique<optim::Adam<float>>(params, o);
}
}  // namespace

TrainOptimizer::TrainOptimizer(ag::ParameterSet<float>& params, const TrainConfig& c)
    : kind_(c.optimizer), impl_(make_optimizer(params, c)) {}

}  // namespace runnel::train
