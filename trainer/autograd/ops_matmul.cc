// Matrix products through BLAS. Two forms cover the models: rows times a shared matrix
// (a [..., M, K] @ b [K, N], the linear-layer case, one GEMM over all rows) and equal
// batches (a [S, M, K] @ b [S, K, N], one GEMM per batch entry).
#include <algorithm>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {
using detail::gemm;
using detail::shape_error;
using detail::shape_str;

struct MatmulDims {
  std::size_t batch, m, k, n;
  bool shared_b;  // b is one [K, N] matrix for every row of a
};

template <class T>
MatmulDims matmul_dims(const Array<T>& a, const Array<T>& b) {
  const Shape sa = detail::shape_of(a), sb = detail::shape_of(b);
  const auto fail = [&] { shape_error("matmul", "cannot multiply " + shape_str(sa) + " by " + shape_str(sb)); };
  if (sa.size() < 2 || sb.size() < 2) fail();
  const std::size_t k = sa.back(), m = sa[sa.size() - 2];
  if (sb[sb.size() - 2] != k) fail();
  if (sb.size() == 2) return {1, a.size() / k, k, sb[1], true};
  if (sa.size() != sb.size() || !std::equal(sa.begin(), sa.end() - 2, sb.begin())) fail();
  return {a.size() / (m * k), m, k, sb.back(), false};
}

}  // namespace

template <class T>
Var<T> matmul(const Var<T>& a, const Var<T>& b) {
  const MatmulDims d = matmul_dims(a.value(), b.value());
  Shape out = detail::shape_of(a.value());
  out.back() = d.n;
  Array<T> y(out);
  for (std::size_t s = 0; s < d.batch; ++s)
    gemm<T>(false, false, d.m, d.n, d.k, 1, a.value().data() + s * d.m * d.k, d.k,
            b.value().data() + (d.shared_b ? 0 : s * d.k * d.n), d.n, 0, y.data() + s * d.m * d.n, d.n);
  return record<T>(std::move(y), {a, b}, [a, b, d](const Array<T>& g) {
    if (a.requires_grad()) {  // dA = G · Bᵀ
      Array<T> ga(a.shape());
      for (std::size_t s = 0; s < d.batch; ++s)
        gemm<T>(false, true, d.m, d.k, d.n, 1, g.data() + s * d.m * d.n, d.n,
                b.value().data() + (d.shared_b ? 0 : s * d.k * d.n), d.n, 0,
                ga.data() + s * d.m * d.k, d.k);
      a.accumulate(std::move(ga));
    }
    if (b.requires_grad()) {  // dB = Aᵀ · G (summed over all rows when B is shared)
      Array<T> gb(b.shape());
      for (std::size_t s = 0; s < d.batch; ++s)
        gemm<T>(true, false, d.k, d.n, d.m, 1, a.value().data() + s * d.m * d.k, d.k,
                g.data() + s * d.m * d.n, d.n, 0, gb.data() + s * d.k * d.n, d.n);
      b.accumulate(std::move(gb));
    }
  });
}

// One GEMM against W as stored ([out, in], read transposed by BLAS) with the bias as
// C's starting rows: no transposed copy of W, no broadcast add, no reduction through
// xtensor in backward — the linear layer is most of a Transformer's training time.
template <class T>
Var<T> linear(const Var<T>& x, const Var<T>& w, const Var<T>& bias) {
  const Shape sx = x.shape();
  if (x.dim() < 1 || w.dim() != 2 || sx.back() != w.shape()[1])
    shape_error("linear", "x " + shape_str(sx) + " does not match W " + shape_str(w.shape()) + " ([out, in])");
  const std::size_t in = w.shape()[1], out = w.shape()[0], rows = x.size() / in;
  if (bias.defined() && (bias.dim() != 1 || bias.size() != out))
    shape_error("linear", "bias must be [" + std::to_string(out) + "], got " + shape_str(bias.shape()));
  Shape sy = sx;
  sy.back() = out;
  Array<T> y(sy);
  if (bias.defined()) {
    const T* b = bias.value().data();
    for (std::size_t r = 0; r < rows; ++r) std::copy(b, b + out, y.data() + r * out);
  }
  gemm<T>(false, true, rows, out, in, 1, x.value().data(), in, w.value().data(), in, bias.defined() ? 1 : 0,
          y.data(), out);
  return record<T>(std::move(y), {x, w, bias}, [x, w, bias, rows, in, out](const Array<T>& g) {
    if (x.requires_grad()) {  // dX = G · W
      Array<T> gx(x.shape());
      gemm<T>(false, false, rows, in, out, 1, g.data(), out, w.value().data(), in, 0, gx.data(), in);
      x.accumulate(std::move(gx));
    }
    if (w.requires_grad()) {  // dW = Gᵀ · X over all rows
      Array<T> gw(w.shape());
      gemm<T>(true, false, out, in, rows, 1, g.data(), out, x.value().data(), in, 0, gw.data(), in);
      w.accumulate(std::move(gw));
    }
    if (bias.requires_grad()) {  // db = column sums of G
      Array<T> gb = detail::zeros<T>({out});
      T* __restrict sums = gb.data();
      const T* gs = g.data();
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t o = 0; o < out; ++o) sums[o] += gs[r * out + o];
      bias.accumulate(std::move(gb));
    }
  });
}

#define RUNNEL_INSTANTIATE(T)                                  \
  template Var<T> matmul(const Var<T>&, const Var<T>&);        \
  template Var<T> linear(const Var<T>&, const Var<T>&, const Var<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
