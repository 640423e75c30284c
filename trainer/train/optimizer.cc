#include "trainer/train/optimizer.h"

#include <cmath>

#include <xtensor/xmath.hpp>

namespace runnel::train {

TrainOptimizer::TrainOptimizer(ag::ParameterSet<float>& params, const TrainConfig& c)
    : params_(params),
      kind_(c.optimizer),
      momentum_(float(c.momentum)),
      beta1_(float(c.beta1)),
      beta2_(float(c.beta2)),
      eps_(float(c.eps)),
      weight_decay_(float(c.weight_decay)) {
  const std::size_t n_slots = kind_ == "sgd" ? 1 : 2;
  slots_.resize(n_slots);
  for (auto& slot : slots_)
    for (const auto& p : params.all()) slot.push_back(xt::zeros<float>(p.value().shape()));
}

// Mirrors trainer/optim/optimizer.cc expression by expression (tests compare the bits).
void TrainOptimizer::step(float lr) {
  using T = float;
  if (kind_ == "sgd") {
    const bool first = steps_++ == 0;
    auto& buf = slots_[0];
    for (std::size_t i = 0; i < params_.size(); ++i) {
      ag::Var<T> p = params_.all()[i];
      if (!p.has_grad()) continue;
      ag::Array<T> g = p.grad() + weight_decay_ * p.value();
      if (momentum_ != T(0)) {
        buf[i] = first ? g : ag::Array<T>(momentum_ * buf[i] + g);
        g = buf[i];
      }
      p.mutable_value() -= lr * g;
    }
    return;
  }
  const bool decoupled = kind_ == "adamw";
  const long t = ++steps_;
  const T bias1 = T(1) - std::pow(beta1_, T(t)), bias2 = T(1) - std::pow(beta2_, T(t));
  auto& m = slots_[0];
  auto& v = slots_[1];
  for (std::size_t i = 0; i < params_.size(); ++i) {
    ag::Var<T> p = params_.all()[i];
    if (!p.has_grad()) continue;
    ag::Array<T> g = p.grad();
    if (decoupled) p.mutable_value() *= T(1) - lr * weight_decay_;
    else if (weight_decay_ != T(0)) g += weight_decay_ * p.value();
    m[i] = beta1_ * m[i] + (T(1) - beta1_) * g;
    v[i] = beta2_ * v[i] + (T(1) - beta2_) * g * g;
    p.mutable_value() -= lr * (m[i] / bias1) / (xt::sqrt(v[i] / bias2) + eps_);
  }
}

}  // namespace runnel::train
