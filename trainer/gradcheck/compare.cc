#include "trainer/gradcheck/compare.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <xtensor/xmath.hpp>

namespace runnel::gradcheck {

ErrorStats compare(const Array<double>& got, const Array<double>& want) {
  ErrorStats s;
  if (!std::equal(got.shape().begin(), got.shape().end(), want.shape().begin(), want.shape().end())) {
    s.shape_ok = false;
    s.max_abs = s.max_rel = INFINITY;
    return s;
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double a = got.data()[i], b = want.data()[i], d = std::abs(a - b);
    const double rel = d / std::max({std::abs(a), std::abs(b), kRelativeFloor});
    if (!(d <= s.max_abs)) s.max_abs = d;  // NaN propagates
    if (!(rel <= s.max_rel)) s.max_rel = rel;
  }
  return s;
}

namespace {
double weighted_sum(const Array<double>& y, const Array<double>& w) {
  double s = 0;
  for (std::size_t i = 0; i < y.size(); ++i) s += y.data()[i] * w.data()[i];
  return s;
}
std::vector<ag::Var<double>> as_vars(const std::vector<Array<double>>& xs, bool leaves) {
  std::vector<ag::Var<double>> v;
  for (const auto& x : xs) v.push_back(leaves ? ag::leaf<double>(x) : ag::constant<double>(x));
  return v;
}
}  // namespace

std::vector<Array<double>> numeric_vjp(const VarFn& f, const std::vector<Array<double>>& inputs,
                                       const Array<double>& grad_out, double h) {
  ag::NoGradGuard no_grad;
  std::vector<Array<double>> grads;
  std::vector<Array<double>> xs = inputs;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    Array<double> g(xs[k].shape());
    for (std::size_t i = 0; i < xs[k].size(); ++i) {
      const double keep = xs[k].data()[i];
      const auto at = [&](double step) {
        xs[k].data()[i] = keep + step;
        return weighted_sum(f(as_vars(xs, false)).value(), grad_out);
      };
      g.data()[i] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
      xs[k].data()[i] = keep;
    }
    grads.push_back(std::move(g));
  }
  return grads;
}

std::vector<Array<double>> autograd_vjp(const VarFn& f, const std::vector<Array<double>>& inputs,
                                        const Array<double>& grad_out, Array<double>* output) {
  std::vector<ag::Var<double>> vars = as_vars(inputs, true);
  ag::Var<double> y = f(vars);
  if (output) *output = y.value();
  ag::backward(y, grad_out);
  std::vector<Array<double>> grads;
  for (const auto& v : vars) grads.push_back(v.grad());
  return grads;
}

ErrorStats check_finite_differences(const VarFn& f, const std::vector<Array<double>>& inputs,
                                    unsigned seed) {
  Array<double> y;
  {
    ag::NoGradGuard no_grad;
    y = f(as_vars(inputs, false)).value();
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Array<double> grad_out(y.shape());
  for (auto& g : grad_out) g = u(rng);
  const auto analytic = autograd_vjp(f, inputs, grad_out);
  const auto numeric = numeric_vjp(f, inputs, grad_out);
  ErrorStats worst;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const ErrorStats s = compare(analytic[k], numeric[k]);
    worst.max_abs = std::max(worst.max_abs, s.max_abs);
    worst.max_rel = std::max(worst.max_rel, s.max_rel);
    worst.shape_ok = worst.shape_ok && s.shape_ok;
  }
  return worst;
}

}  // namespace runnel::gradcheck
