// Reductions along one axis (the axis is removed). Backward spreads the gradient back
// over the reduced axis: evenly for sum/mean, to the first maximum for max.
#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {
using detail::AxisView;

Shape without_axis(Shape s, std::size_t axis) {
  s.erase(s.begin() + static_cast<std::ptrdiff_t>(axis));
  return s;
}

// Sum along the axis times `factor` (1 for sum, 1/n for mean).
template <class T>
Var<T> scaled_sum(const Var<T>& x, int axis_arg, bool average, const char* op) {
  const std::size_t axis = detail::normalize_axis(axis_arg, x.dim(), op);
  const AxisView v = detail::axis_view(x.shape(), axis);
  const T factor = average ? T(1) / T(v.n) : T(1);
  Array<T> y = detail::zeros<T>(without_axis(x.shape(), axis));
  const T* xs = x.value().data();
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t i = 0; i < v.n; ++i)
      for (std::size_t r = 0; r < v.inner; ++r) y.data()[o * v.inner + r] += xs[v.at(o, i, r)];
  y *= factor;
  return record<T>(std::move(y), {x}, [x, v, factor](const Array<T>& g) {
    Array<T> gx(x.shape());
    for (std::size_t o = 0; o < v.outer; ++o)
      for (std::size_t i = 0; i < v.n; ++i)
        for (std::size_t r = 0; r < v.inner; ++r)
          gx.data()[v.at(o, i, r)] = g.data()[o * v.inner + r] * factor;
    x.accumulate(gx);
  });
}

}  // namespace

template <class T>
Var<T> sum(const Var<T>& x, int axis) { return scaled_sum(x, axis, false, "sum"); }

template <class T>
Var<T> mean(const Var<T>& x, int axis) { return scaled_sum(x, axis, true, "mean"); }

template <class T>
Var<T> max(const Var<T>& x, int axis_arg) {
  const std::size_t axis = detail::normalize_axis(axis_arg, x.dim(), "max");
  const AxisView v = detail::axis_view(x.shape(), axis);
  if (v.n == 0) detail::shape_error("max", "empty axis");
  Array<T> y(without_axis(x.shape(), axis));
  std::vector<std::size_t> arg(v.outer * v.inner);  // flat index of the winner
  const T* xs = x.value().data();
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t r = 0; r < v.inner; ++r) {
      std::size_t best = v.at(o, 0, r);
      for (std::size_t i = 1; i < v.n; ++i)
        if (xs[v.at(o, i, r)] > xs[best]) best = v.at(o, i, r);
      arg[o * v.inner + r] = best;
      y.data()[o * v.inner + r] = xs[best];
    }
  return record<T>(std::move(y), {x}, [x, arg](const Array<T>& g) {
    Array<T> gx = detail::zeros<T>(x.shape());
    for (std::size_t j = 0; j < arg.size(); ++j) gx.data()[arg[j]] += g.data()[j];
    x.accumulate(gx);
  });
}

template <class T>
Var<T> sum_all(const Var<T>& x) {
  return sum(reshape(x, {x.size()}), 0);
}

template <class T>
Var<T> mean_all(const Var<T>& x) {
  return mean(reshape(x, {x.size()}), 0);
}

#define RUNNEL_INSTANTIATE(T)                      \
  template Var<T> sum(const Var<T>&, int);         \
  template Var<T> mean(const Var<T>&, int);        \
  template Var<T> max(const Var<T>&, int);         \
  template Var<T> sum_all(const Var<T>&);          \
  template Var<T> mean_all(const Var<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
