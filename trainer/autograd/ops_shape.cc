// Shape plumbing: the data moves, the values do not change, so every backward is the
// inverse movement of the gradient.
#include <numeric>

#include <xtensor/xmanipulation.hpp>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {
using detail::AxisView;

// Copies `count` slabs along an axis between arrays seen as [outer, n, inner]:
// dst[o, dst_begin + i, :] (op)= src[o, src_begin + i, :].
template <class T, bool kAdd>
void copy_slabs(const T* src, const AxisView& s, std::size_t src_begin, T* dst,
                const AxisView& d, std::size_t dst_begin, std::size_t count) {
  for (std::size_t o = 0; o < s.outer; ++o)
    for (std::size_t i = 0; i < count; ++i) {
      const T* from = src + s.at(o, src_begin + i, 0);
      T* to = dst + d.at(o, dst_begin + i, 0);
      for (std::size_t r = 0; r < s.inner; ++r) {
        if constexpr (kAdd) to[r] += from[r];
        else to[r] = from[r];
      }
    }
}

}  // namespace

template <class T>
Var<T> reshape(const Var<T>& x, const Shape& shape) {
  const std::size_t n = std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
  if (n != x.size())
    detail::shape_error("reshape", detail::shape_str(x.shape()) + " -> " + detail::shape_str(shape));
  Array<T> y = x.value();
  y.reshape(shape);
  return record<T>(std::move(y), {x}, [x](const Array<T>& g) {
    Array<T> gx = g;
    gx.reshape(x.shape());
    x.accumulate(gx);
  });
}

template <class T>
Var<T> transpose(const Var<T>& x, const std::vector<std::size_t>& perm) {
  if (perm.size() != x.dim()) detail::shape_error("transpose", "permutation rank differs from input rank");
  Array<T> y = xt::transpose(x.value(), perm);
  std::vector<std::size_t> inverse(perm.size());
  for (std::size_t d = 0; d < perm.size(); ++d) inverse[perm[d]] = d;
  return record<T>(std::move(y), {x}, [x, inverse](const Array<T>& g) {
    x.accumulate(Array<T>(xt::transpose(g, inverse)));
  });
}

template <class T>
Var<T> slice(const Var<T>& x, int axis_arg, std::size_t begin, std::size_t end) {
  const std::size_t axis = detail::normalize_axis(axis_arg, x.dim(), "slice");
  if (begin > end || end > x.shape()[axis]) detail::shape_error("slice", "range out of bounds");
  Shape out = x.shape();
  out[axis] = end - begin;
  const AxisView s = detail::axis_view(x.shape(), axis), d = detail::axis_view(out, axis);
  Array<T> y(out);
  copy_slabs<T, false>(x.value().data(), s, begin, y.data(), d, 0, end - begin);
  return record<T>(std::move(y), {x}, [x, s, d, begin](const Array<T>& g) {
    Array<T> gx = detail::zeros<T>(x.shape());
    copy_slabs<T, true>(g.data(), d, 0, gx.data(), s, begin, d.n);
    x.accumulate(gx);
  });
}

template <class T>
Var<T> concat(const std::vector<Var<T>>& xs, int axis_arg) {
  if (xs.empty()) detail::shape_error("concat", "no inputs");
  const std::size_t axis = detail::normalize_axis(axis_arg, xs[0].dim(), "concat");
  Shape out = xs[0].shape();
  out[axis] = 0;
  for (const Var<T>& x : xs) {
    Shape s = x.shape();
    if (s.size() != out.size()) detail::shape_error("concat", "inputs differ in rank");
    out[axis] += s[axis];
    s[axis] = out[axis];
    if (s != out) detail::shape_error("concat", "inputs differ outside the axis");
  }
  const AxisView d = detail::axis_view(out, axis);
  Array<T> y(out);
  std::vector<std::size_t> offsets;
  std::size_t at = 0;
  for (const Var<T>& x : xs) {
    offsets.push_back(at);
    copy_slabs<T, false>(x.value().data(), detail::axis_view(x.shape(), axis), 0, y.data(), d, at,
                         x.shape()[axis]);
    at += x.shape()[axis];
  }
  return record<T>(std::move(y), xs, [xs, offsets, axis, d](const Array<T>& g) {
    for (std::size_t j = 0; j < xs.size(); ++j) {
      if (!xs[j].requires_grad()) continue;
      const AxisView s = detail::axis_view(xs[j].shape(), axis);
      Array<T> gx(xs[j].shape());
      copy_slabs<T, false>(g.data(), d, offsets[j], gx.data(), s, 0, s.n);
      xs[j].accumulate(gx);
    }
  });
}

// Stacking is concatenation of inputs given a new size-1 axis.
template <class T>
Var<T> stack(const std::vector<Var<T>>& xs, int axis_arg) {
  if (xs.empty()) detail::shape_error("stack", "no inputs");
  const std::size_t axis = detail::normalize_axis(axis_arg, xs[0].dim() + 1, "stack");
  std::vector<Var<T>> expanded;
  for (const Var<T>& x : xs) {
    Shape s = x.shape();
    s.insert(s.begin() + static_cast<std::ptrdiff_t>(axis), 1);
    expanded.push_back(reshape(x, s));
  }
  return concat(expanded, static_cast<int>(axis));
}

#define RUNNEL_INSTANTIATE(T)                                                   \
  template Var<T> reshape(const Var<T>&, const Shape&);                         \
  template Var<T> transpose(const Var<T>&, const std::vector<std::size_t>&);    \
  template Var<T> slice(const Var<T>&, int, std::size_t, std::size_t);          \
  template Var<T> concat(const std::vector<Var<T>>&, int);                      \
  template Var<T> stack(const std::vector<Var<T>>&, int);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
