// Element-wise ops. Binary ops broadcast like NumPy; their backward folds the upstream
// gradient back to each input's shape. Unary ops give d(out)/d(in) from (x, y).
#include <algorithm>
#include <cmath>
#include <utility>

#include <xtensor/xmath.hpp>
#include <xtensor/xreducer.hpp>
#include <xtensor/xmanipulation.hpp>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {

// Sums g over the dimensions that broadcasting added or stretched to reach g's shape.
template <class T>
Array<T> unbroadcast(const Array<T>& g, const Shape& target) {
  Array<T> r = g;
  while (r.dimension() > target.size()) r = xt::sum(r, {0});
  for (std::size_t d = 0; d < target.size(); ++d)
    if (target[d] == 1 && r.shape()[d] != 1) r = xt::sum(r, {d}, xt::keep_dims);
  return r;
}

// Adds g into v's gradient, folded to v's shape. The two cases of the models are direct:
// equal shapes (residual adds: no copy) and v broadcast over leading axes only (biases,
// position tables: a sum of equal-size blocks).
template <class T, class G>
void accumulate_unbroadcast(const Var<T>& v, G&& g) {
  const Shape target = v.shape();
  const std::size_t rank = g.dimension();
  if (std::equal(g.shape().begin(), g.shape().end(), target.begin(), target.end())) {
    v.accumulate(std::forward<G>(g));
  } else if (target.size() <= rank && std::equal(target.begin(), target.end(), g.shape().end() - target.size())) {
    Array<T> r = detail::zeros<T>(target);
    const std::size_t block = r.size(), blocks = block ? g.size() / block : 0;
    for (std::size_t k = 0; k < blocks; ++k)
      for (std::size_t i = 0; i < block; ++i) r.data()[i] += g.data()[k * block + i];
    v.accumulate(std::move(r));
  } else {
    v.accumulate(unbroadcast<T>(g, target));
  }
}

template <class T, class Fwd, class DA, class DB>
Var<T> binary(const Var<T>& a, const Var<T>& b, Fwd fwd, DA da, DB db) {
  Array<T> y = fwd(a.value(), b.value());
  return record<T>(std::move(y), {a, b}, [a, b, da, db](const Array<T>& g) {
    if (a.requires_grad()) accumulate_unbroadcast(a, da(g, a.value(), b.value()));
    if (b.requires_grad()) accumulate_unbroadcast(b, db(g, a.value(), b.value()));
  });
}

// dydx(x, y) returns d y / d x element-wise.
template <class T, class Fwd, class Dydx>
Var<T> unary(const Var<T>& x, Fwd fwd, Dydx dydx) {
  Array<T> y = fwd(x.value());
  return record<T>(y, {x}, [x, y, dydx](const Array<T>& g) {
    x.accumulate(Array<T>(g * dydx(x.value(), y)));
  });
}

// d(a ± b)/da: the upstream gradient itself, by reference (no copy).
template <class T>
const Array<T>& pass_through(const Array<T>& g, const Array<T>&, const Array<T>&) { return g; }

template <class T> constexpr T kSqrt2OverPi = T(0.7978845608028654);
template <class T> constexpr T kGeluCubic = T(0.044715);

}  // namespace

template <class T>
Var<T> add(const Var<T>& a, const Var<T>& b) {
  return binary(a, b, [](auto& x, auto& y) { return Array<T>(x + y); }, pass_through<T>, pass_through<T>);
}

template <class T>
Var<T> sub(const Var<T>& a, const Var<T>& b) {
  return binary(a, b, [](auto& x, auto& y) { return Array<T>(x - y); }, pass_through<T>,
                [](auto& g, auto&, auto&) { return Array<T>(-g); });
}

template <class T>
Var<T> mul(const Var<T>& a, const Var<T>& b) {
  return binary(a, b, [](auto& x, auto& y) { return Array<T>(x * y); },
                [](auto& g, auto&, auto& y) { return Array<T>(g * y); },
                [](auto& g, auto& x, auto&) { return Array<T>(g * x); });
}

template <class T>
Var<T> div(const Var<T>& a, const Var<T>& b) {
  return binary(a, b, [](auto& x, auto& y) { return Array<T>(x / y); },
                [](auto& g, auto&, auto& y) { return Array<T>(g / y); },
                [](auto& g, auto& x, auto& y) { return Array<T>(-g * x / (y * y)); });
}

template <class T>
Var<T> scale(const Var<T>& x, T factor) {
  return unary(x, [factor](auto& v) { return Array<T>(v * factor); },
               [factor](auto& v, auto&) { return Array<T>(xt::full_like(v, factor)); });
}

template <class T>
Var<T> exp(const Var<T>& x) {
  return unary(x, [](auto& v) { return Array<T>(xt::exp(v)); }, [](auto&, auto& y) { return y; });
}

template <class T>
Var<T> log(const Var<T>& x) {
  return unary(x, [](auto& v) { return Array<T>(xt::log(v)); },
               [](auto& v, auto&) { return Array<T>(T(1) / v); });
}

template <class T>
Var<T> tanh(const Var<T>& x) {
  return unary(x, [](auto& v) { return Array<T>(xt::tanh(v)); },
               [](auto&, auto& y) { return Array<T>(T(1) - y * y); });
}

template <class T>
Var<T> sigmoid(const Var<T>& x) {
  return unary(x, [](auto& v) { return Array<T>(T(1) / (T(1) + xt::exp(-v))); },
               [](auto&, auto& y) { return Array<T>(y * (T(1) - y)); });
}

template <class T>
Var<T> relu(const Var<T>& x) {
  return unary(x, [](auto& v) { return Array<T>(xt::maximum(v, T(0))); },
               [](auto& v, auto&) { return Array<T>(xt::cast<T>(v > T(0))); });
}

// 0.5 x (1 + tanh(c (x + a x^3))), as PyTorch's approximate="tanh".
template <class T>
Var<T> gelu_tanh(const Var<T>& x) {
  const T c = kSqrt2OverPi<T>, a = kGeluCubic<T>;
  return unary(
      x, [=](auto& v) { return Array<T>(T(0.5) * v * (T(1) + xt::tanh(c * (v + a * v * v * v)))); },
      [=](auto& v, auto&) {
        Array<T> t = xt::tanh(c * (v + a * v * v * v));
        return Array<T>(T(0.5) * (T(1) + t) +
                        T(0.5) * v * (T(1) - t * t) * c * (T(1) + T(3) * a * v * v));
      });
}

// 0.5 x (1 + erf(x / sqrt 2)), the exact GELU.
template <class T>
Var<T> gelu_erf(const Var<T>& x) {
  // y = x Φ(x), dy/dx = Φ(x) + x φ(x); Φ is kept from forward so erf runs once.
  const T inv_sqrt2 = T(0.7071067811865476), inv_sqrt2pi = T(0.3989422804014327);
  const Array<T>& v = x.value();
  Array<T> cdf = T(0.5) * (T(1) + xt::erf(v * inv_sqrt2));
  Array<T> y = v * cdf;
  return record<T>(std::move(y), {x}, [x, cdf = std::move(cdf), inv_sqrt2pi](const Array<T>& g) {
    const Array<T>& v = x.value();
    x.accumulate(Array<T>(g * (cdf + v * xt::exp(T(-0.5) * v * v) * inv_sqrt2pi)));
  });
}

#define RUNNEL_INSTANTIATE(T)                                            \
  template Var<T> add(const Var<T>&, const Var<T>&);                     \
  template Var<T> sub(const Var<T>&, const Var<T>&);                     \
  template Var<T> mul(const Var<T>&, const Var<T>&);                     \
  template Var<T> div(const Var<T>&, const Var<T>&);                     \
  template Var<T> scale(const Var<T>&, T);                               \
  template Var<T> exp(const Var<T>&);                                    \
  template Var<T> log(const Var<T>&);                                    \
  template Var<T> tanh(const Var<T>&);                                   \
  template Var<T> sigmoid(const Var<T>&);                                \
  template Var<T> relu(const Var<T>&);                                   \
  template Var<T> gelu_tanh(const Var<T>&);                              \
  template Var<T> gelu_erf(const Var<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
