#include "trainer/optim/optimizer.h"

#include <cmath>

#include <xtensor/xmath.hpp>

namespace runnel::optim {
namespace {
template <class T>
std::vector<ag::Array<T>> zeros_like(const ag::ParameterSet<T>& params) {
  std::vector<ag::Array<T>> z;
  for (const auto& p : params.all()) z.push_back(xt::zeros<T>(p.value().shape()));
  return z;
}
}  // namespace

template <class T>
Sgd<T>::Sgd(ag::ParameterSet<T>& params, T momentum, T weight_decay)
    : Optimizer<T>(params), momentum_(momentum), weight_decay_(weight_decay) {
  this->slots_ = {zeros_like(params)};
}

template <class T>
void Sgd<T>::step(T lr) {
  const bool first = this->steps_++ == 0;
  auto& buf = this->slots_[0];
  for (std::size_t i = 0; i < this->params_.size(); ++i) {
    ag::Var<T> p = this->params_.all()[i];
    if (!p.has_grad()) continue;
    ag::Array<T> g = p.grad() + weight_decay_ * p.value();
    if (momentum_ != T(0)) {
      buf[i] = first ? g : ag::Array<T>(momentum_ * buf[i] + g);
      g = buf[i];
    }
    p.mutable_value() -= lr * g;
  }
}

template <class T>
Adam<T>::Adam(ag::ParameterSet<T>& params, Options options)
    : Optimizer<T>(params), o_(options) {
  this->slots_ = {zeros_like(params), zeros_like(params)};
}

template <class T>
void Adam<T>::step(T lr) {
  const long t = ++this->steps_;
  const T bias1 = T(1) - std::pow(o_.beta1, T(t)), bias2 = T(1) - std::pow(o_.beta2, T(t));
  auto& m = this->slots_[0];
  auto& v = this->slots_[1];
  for (std::size_t i = 0; i < this->params_.size(); ++i) {
    ag::Var<T> p = this->params_.all()[i];
    if (!p.has_grad()) continue;
    ag::Array<T> g = p.grad();
    if (o_.decoupled) p.mutable_value() *= T(1) - lr * o_.weight_decay;
    else if (o_.weight_decay != T(0)) g += o_.weight_decay * p.value();
    m[i] = o_.beta1 * m[i] + (T(1) - o_.beta1) * g;
    v[i] = o_.beta2 * v[i] + (T(1) - o_.beta2) * g * g;
    p.mutable_value() -= lr * (m[i] / bias1) / (xt::sqrt(v[i] / bias2) + o_.eps);
  }
}

template <class T>
double clip_grad_norm(ag::ParameterSet<T>& params, double max_norm) {
  double sq = 0;
  for (const auto& p : params.all())
    if (p.has_grad())
      for (const T g : p.grad()) sq += double(g) * double(g);
  const double norm = std::sqrt(sq);
  if (norm > max_norm) {
    const T factor = T(max_norm / (norm + 1e-6));  // PyTorch's clip_grad_norm_ formula
    for (auto p : params.all())
      if (p.has_grad()) p.grad_buffer() *= factor;
  }
  return norm;
}

template class Sgd<float>;
template class Sgd<double>;
template class Adam<float>;
template class Adam<double>;
template double clip_grad_norm(ag::ParameterSet<float>&, double);
template double clip_grad_norm(ag::ParameterSet<double>&, double);

}  // namespace runnel::optim
