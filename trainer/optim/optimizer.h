// Optimizers over a ParameterSet, with PyTorch's update rules. step(lr) reads each
// parameter's gradient (parameters without one are left alone) and updates its value in
// place; the learning rate comes from the caller (see schedule.h). The state (momentum
// buffers, moments) and the step count are visible so a checkpoint can save them and a
// resumed run continue bit-identically (trainer/train/checkpoint.h).
#ifndef RUNNEL_TRAINER_OPTIM_OPTIMIZER_H_
#define RUNNEL_TRAINER_OPTIM_OPTIMIZER_H_

#include <vector>

#include "trainer/autograd/parameters.h"

namespace runnel::optim {

template <class T>
class Optimizer {
 public:
  explicit Optimizer(ag::ParameterSet<T>& params) : params_(params) {}
  virtual ~Optimizer() = default;
  virtual void step(T lr) = 0;
  void zero_grad() { params_.zero_grad(); }
  long steps() const { return steps_; }
  void set_steps(long s) { steps_ = s; }

  // State slots, each one array per parameter in parameter order: Sgd keeps one
  // ("momentum_buffer"), Adam two ("exp_avg", "exp_avg_sq").
  std::vector<std::vector<ag::Array<T>>>& slots() { return slots_; }
  const std::vector<std::vector<ag::Array<T>>>& slots() const { return slots_; }

 protected:
  ag::ParameterSet<T>& params_;
  long steps_ = 0;
  std::vector<std::vector<ag::Array<T>>> slots_;
};

// buf = momentum·buf + (g + weight_decay·p) (buf = g on the first step); p -= lr·buf.
template <class T>
class Sgd : public Optimizer<T> {
 public:
  Sgd(ag::ParameterSet<T>& params, T momentum = 0, T weight_decay = 0);
  void step(T lr) override;

 private:
  T momentum_, weight_decay_;
};

// Adam; with decoupled = true it is AdamW: p -= lr·weight_decay·p before the Adam step,
// otherwise weight_decay is added to the gradient (L2), as torch.optim.Adam does.
template <class T>
class Adam : public Optimizer<T> {
 public:
  struct Options {
    T beta1 = T(0.9), beta2 = T(0.999), eps = T(1e-8), weight_decay = T(0);
    bool decoupled = false;
  };
  Adam(ag::ParameterSet<T>& params, Options options);
  void step(T lr) override;

 private:
  Options o_;
};

// AdamW with PyTorch's default decay of 0.01.
template <class T>
Adam<T> adamw(ag::ParameterSet<T>& params, T weight_decay = T(0.01)) {
  typename Adam<T>::Options o;
  o.weight_decay = weight_decay;
  o.decoupled = true;
  return Adam<T>(params, o);
}

// Scales all gradients so their global L2 norm is at most max_norm; returns the norm
// before clipping (accumulated in double, parameters in order, so it is reproducible).
template <class T>
double clip_grad_norm(ag::ParameterSet<T>& params, double max_norm);

}  // namespace runnel::optim

#endif  // RUNNEL_TRAINER_OPTIM_OPTIMIZER_H_
