// Softmax and log-softmax along an axis, max-shifted for stability.
#include <cmath>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {
using detail::AxisView;

// log-sum-exp of each lane (o, r) along the axis.
template <class T>
std::vector<T> lane_logsumexp(const T* x, const AxisView& v) {
  std::vector<T> lse(v.outer * v.inner);
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t r = 0; r < v.inner; ++r) {
      T m = x[v.at(o, 0, r)];
      for (std::size_t i = 1; i < v.n; ++i) m = std::max(m, x[v.at(o, i, r)]);
      T s = 0;
      for (std::size_t i = 0; i < v.n; ++i) s += std::exp(x[v.at(o, i, r)] - m);
      lse[o * v.inner + r] = m + std::log(s);
    }
  return lse;
}

// Per lane: sum_i a[i] * b[i] (b may be null: sum of a).
template <class T>
std::vector<T> lane_dot(const T* a, const T* b, const AxisView& v) {
  std::vector<T> out(v.outer * v.inner, T(0));
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t i = 0; i < v.n; ++i)
      for (std::size_t r = 0; r < v.inner; ++r)
        out[o * v.inner + r] += a[v.at(o, i, r)] * (b ? b[v.at(o, i, r)] : T(1));
  return out;
}

// y = x - lse (log_softmax) or exp(x - lse) (softmax).
template <class T>
Array<T> normalize(const Var<T>& x, const AxisView& v, bool take_log) {
  const std::vector<T> lse = lane_logsumexp(x.value().data(), v);
  Array<T> y(x.shape());
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t i = 0; i < v.n; ++i)
      for (std::size_t r = 0; r < v.inner; ++r) {
        const T z = x.value().data()[v.at(o, i, r)] - lse[o * v.inner + r];
        y.data()[v.at(o, i, r)] = take_log ? z : std::exp(z);
      }
  return y;
}

}  // namespace

// dx = y * (g - sum(g * y))
template <class T>
Var<T> softmax(const Var<T>& x, int axis) {
  const AxisView v = detail::axis_view(x.shape(), detail::normalize_axis(axis, x.dim(), "softmax"));
  Array<T> y = normalize(x, v, false);
  return record<T>(y, {x}, [x, y, v](const Array<T>& g) {
    const std::vector<T> gy = lane_dot(g.data(), y.data(), v);
    Array<T> gx(x.shape());
    for (std::size_t o = 0; o < v.outer; ++o)
      for (std::size_t i = 0; i < v.n; ++i)
        for (std::size_t r = 0; r < v.inner; ++r) {
          const std::size_t e = v.at(o, i, r);
          gx.data()[e] = y.data()[e] * (g.data()[e] - gy[o * v.inner + r]);
        }
    x.accumulate(gx);
  });
}

// dx = g - softmax * sum(g)
template <class T>
Var<T> log_softmax(const Var<T>& x, int axis) {
  const AxisView v = detail::axis_view(x.shape(), detail::normalize_axis(axis, x.dim(), "log_softmax"));
  Array<T> y = normalize(x, v, true);
  return record<T>(y, {x}, [x, y, v](const Array<T>& g) {
    const std::vector<T> gsum = lane_dot<T>(g.data(), nullptr, v);
    Array<T> gx(x.shape());
    for (std::size_t o = 0; o < v.outer; ++o)
      for (std::size_t i = 0; i < v.n; ++i)
        for (std::size_t r = 0; r < v.inner; ++r) {
          const std::size_t e = v.at(o, i, r);
          gx.data()[e] = g.data()[e] - std::exp(y.data()[e]) * gsum[o * v.inner + r];
        }
    x.accumulate(gx);
  });
}

#define RUNNEL_INSTANTIATE(T)                        \
  template Var<T> softmax(const Var<T>&, int);       \
  template Var<T> log_softmax(const Var<T>&, int);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
