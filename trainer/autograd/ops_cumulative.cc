// Running reductions over events 0..t: the sequence form of the engine's kCumulative
// encoder (a running vector per entity).
#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {
using detail::AxisView;

AxisView time_view(const Shape& s, int axis, const char* op) {
  return detail::axis_view(s, detail::normalize_axis(axis, s.size(), op));
}

// cumsum (average = false) or cummean (average = true): y_t = c_t * sum_{u<=t} x_u with
// c_t = 1 or 1/(t+1). Backward: gx_u = sum_{t>=u} c_t g_t, a reverse running sum.
template <class T>
Var<T> running_sum(const Var<T>& x, int axis, bool average, const char* op) {
  const AxisView v = time_view(x.shape(), axis, op);
  const auto c = [average](std::size_t t) { return average ? T(1) / T(t + 1) : T(1); };
  Array<T> y(x.shape());
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t r = 0; r < v.inner; ++r) {
      T s = 0;
      for (std::size_t t = 0; t < v.n; ++t) {
        s += x.value().data()[v.at(o, t, r)];
        y.data()[v.at(o, t, r)] = s * c(t);
      }
    }
  return record<T>(std::move(y), {x}, [x, v, c](const Array<T>& g) {
    Array<T> gx(x.shape());
    for (std::size_t o = 0; o < v.outer; ++o)
      for (std::size_t r = 0; r < v.inner; ++r) {
        T s = 0;
        for (std::size_t t = v.n; t-- > 0;) {
          s += g.data()[v.at(o, t, r)] * c(t);
          gx.data()[v.at(o, t, r)] = s;
        }
      }
    x.accumulate(gx);
  });
}

}  // namespace

template <class T>
Var<T> cumsum(const Var<T>& x, int axis) { return running_sum(x, axis, false, "cumsum"); }

template <class T>
Var<T> cummean(const Var<T>& x, int axis) { return running_sum(x, axis, true, "cummean"); }

// Ties go to the latest position (x_t >= running max), as torch.cummax does.
template <class T>
Var<T> cummax(const Var<T>& x, int axis) {
  const AxisView v = time_view(x.shape(), axis, "cummax");
  Array<T> y(x.shape());
  std::vector<std::size_t> winner(x.size());  // flat index of the running maximum
  const T* xs = x.value().data();
  for (std::size_t o = 0; o < v.outer; ++o)
    for (std::size_t r = 0; r < v.inner; ++r) {
      std::size_t best = v.at(o, 0, r);
      for (std::size_t t = 0; t < v.n; ++t) {
        const std::size_t e = v.at(o, t, r);
        if (xs[e] >= xs[best]) best = e;
        winner[e] = best;
        y.data()[e] = xs[best];
      }
    }
  return record<T>(std::move(y), {x}, [x, winner](const Array<T>& g) {
    Array<T> gx = detail::zeros<T>(x.shape());
    for (std::size_t e = 0; e < winner.size(); ++e) gx.data()[winner[e]] += g.data()[e];
    x.accumulate(gx);
  });
}

#define RUNNEL_INSTANTIATE(T)                    \
  template Var<T> cumsum(const Var<T>&, int);    \
  template Var<T> cummax(const Var<T>&, int);    \
  template Var<T> cummean(const Var<T>&, int);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
