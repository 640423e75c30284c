// Matrix products through BLAS. Two forms cover the models: rows times a shared matrix
// (a [..., M, K] @ b [K, N], the linear-layer case, one GEMM over all rows) and equal
// batches (a [S, M, K] @ b [S, K, N], one GEMM per batch entry).
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
      a.accumulate(ga);
    }
    if (b.requires_grad()) {  // dB = Aᵀ · G (summed over all rows when B is shared)
      Array<T> gb(b.shape());
      for (std::size_t s = 0; s < d.batch; ++s)
        gemm<T>(true, false, d.k, d.n, d.m, 1, a.value().data() + s * d.m * d.k, d.k,
                g.data() + s * d.m * d.n, d.n, 0, gb.data() + s * d.k * d.n, d.n);
      b.accumulate(gb);
    }
  });
}

template <class T>
Var<T> linear(const Var<T>& x, const Var<T>& w, const Var<T>& bias) {
  Var<T> y = matmul(x, transpose(w, {1, 0}));
  return bias.defined() ? add(y, bias) : y;
}

#define RUNNEL_INSTANTIATE(T)                                  \
  template Var<T> matmul(const Var<T>&, const Var<T>&);        \
  template Var<T> linear(const Var<T>&, const Var<T>&, const Var<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
