// Causal 1D convolution as K shifted matrix products: tap k reads x delayed by
// s_k = (K-1-k)·dilation, so y[b, s_k:, :] += x[b, :T-s_k, :] · W_kᵀ with W_k = w[:, :, k].
#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {
using detail::gemm;

struct ConvDims {
  std::size_t b, t, cin, cout, k, dilation;
  std::size_t shift(std::size_t tap) const { return (k - 1 - tap) * dilation; }
  // Rows of the sequence that tap `tap` contributes to (0 when the delay exceeds T).
  std::size_t rows(std::size_t tap) const { return shift(tap) < t ? t - shift(tap) : 0; }
};

// w [Cout, Cin, K] -> K contiguous [Cout, Cin] matrices (and back, for the gradient).
template <class T>
std::vector<T> split_taps(const T* w, const ConvDims& d) {
  std::vector<T> taps(d.k * d.cout * d.cin);
  for (std::size_t o = 0; o < d.cout; ++o)
    for (std::size_t i = 0; i < d.cin; ++i)
      for (std::size_t tap = 0; tap < d.k; ++tap)
        taps[(tap * d.cout + o) * d.cin + i] = w[(o * d.cin + i) * d.k + tap];
  return taps;
}

template <class T>
Array<T> merge_taps(const std::vector<T>& taps, const ConvDims& d) {
  Array<T> w(Shape{d.cout, d.cin, d.k});
  for (std::size_t o = 0; o < d.cout; ++o)
    for (std::size_t i = 0; i < d.cin; ++i)
      for (std::size_t tap = 0; tap < d.k; ++tap)
        w.data()[(o * d.cin + i) * d.k + tap] = taps[(tap * d.cout + o) * d.cin + i];
  return w;
}

}  // namespace

template <class T>
Var<T> causal_conv1d(const Var<T>& x, const Var<T>& w, const Var<T>& bias, std::size_t dilation) {
  if (x.dim() != 3 || w.dim() != 3 || w.shape()[1] != x.shape()[2] || dilation == 0 ||
      (bias.defined() && bias.shape() != Shape{w.shape()[0]}))
    detail::shape_error("causal_conv1d", "x " + detail::shape_str(x.shape()) + ", w " +
                                             detail::shape_str(w.shape()) + ", dilation " + std::to_string(dilation));
  const ConvDims d{x.shape()[0], x.shape()[1], x.shape()[2], w.shape()[0], w.shape()[2], dilation};
  const std::vector<T> taps = split_taps(w.value().data(), d);
  Array<T> y(Shape{d.b, d.t, d.cout});
  for (std::size_t r = 0; r < d.b * d.t; ++r)
    for (std::size_t o = 0; o < d.cout; ++o) y.data()[r * d.cout + o] = bias.defined() ? bias.value()(o) : T(0);
  for (std::size_t b = 0; b < d.b; ++b)
    for (std::size_t tap = 0; tap < d.k; ++tap) {
      if (d.rows(tap) == 0) continue;  // the delay reaches past the sequence
      gemm<T>(false, true, d.rows(tap), d.cout, d.cin, 1, x.value().data() + b * d.t * d.cin, d.cin,
              taps.data() + tap * d.cout * d.cin, d.cin, 1,
              y.data() + (b * d.t + d.shift(tap)) * d.cout, d.cout);
    }
  return record<T>(std::move(y), {x, w, bias}, [x, w, bias, d, taps](const Array<T>& g) {
    Array<T> gx = detail::zeros<T>(x.shape());
    std::vector<T> gtaps(taps.size(), T(0));
    for (std::size_t b = 0; b < d.b; ++b)
      for (std::size_t tap = 0; tap < d.k; ++tap) {
        if (d.rows(tap) == 0) continue;
        const T* g_rows = g.data() + (b * d.t + d.shift(tap)) * d.cout;
        const T* x_rows = x.value().data() + b * d.t * d.cin;
        // gx[b, :T-s] += g[b, s:] · W_k ;  gW_k += g[b, s:]ᵀ · x[b, :T-s]
        gemm<T>(false, false, d.rows(tap), d.cin, d.cout, 1, g_rows, d.cout,
                taps.data() + tap * d.cout * d.cin, d.cin, 1, gx.data() + b * d.t * d.cin, d.cin);
        gemm<T>(true, false, d.cout, d.cin, d.rows(tap), 1, g_rows, d.cout, x_rows, d.cin, 1,
                gtaps.data() + tap * d.cout * d.cin, d.cin);
      }
    x.accumulate(gx);
    w.accumulate(merge_taps(gtaps, d));
    if (bias.requires_grad()) {
      Array<T> gb = detail::zeros<T>(bias.shape());
      for (std::size_t r = 0; r < d.b * d.t; ++r)
        for (std::size_t o = 0; o < d.cout; ++o) gb(o) += g.data()[r * d.cout + o];
      bias.accumulate(gb);
    }
  });
}

#define RUNNEL_INSTANTIATE(T) \
  template Var<T> causal_conv1d(const Var<T>&, const Var<T>&, const Var<T>&, std::size_t);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
