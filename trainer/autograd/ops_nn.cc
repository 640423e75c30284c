// Normalisations, embedding lookup and dropout: the per-row building blocks of layers.
#include <cmath>
#include <random>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"
#include "trainer/autograd/vec_math.h"

namespace runnel::ag {
namespace {
// Rows of the last axis: a [..., D] array is `rows` rows of `d`.
struct Rows {
  std::size_t rows, d;
};
template <class T>
Rows rows_of(const Var<T>& x, const char* op) {
  if (x.dim() == 0 || x.shape().back() == 0) detail::shape_error(op, "needs a non-empty last axis");
  return {x.size() / x.shape().back(), x.shape().back()};
}
}  // namespace

// y = xhat * gamma + beta, xhat = (x - mean) / sqrt(var + eps). With gx̂ = g * gamma:
// dx = (gx̂ - mean(gx̂) - xhat * mean(gx̂ * xhat)) / sqrt(var + eps).
template <class T>
Var<T> layer_norm(const Var<T>& x, const Var<T>& gamma, const Var<T>& beta, T eps) {
  const Rows r = rows_of(x, "layer_norm");
  if (gamma.size() != r.d || beta.size() != r.d) detail::shape_error("layer_norm", "gamma/beta must be [D]");
  Array<T> xhat(x.shape()), y(x.shape());
  std::vector<T> inv_std(r.rows);
  const T *xs = x.value().data(), *gm = gamma.value().data(), *bt = beta.value().data();
  for (std::size_t i = 0; i < r.rows; ++i) {
    const T* row = xs + i * r.d;
    T* __restrict h = xhat.data() + i * r.d;
    T* __restrict out = y.data() + i * r.d;
    const T mu = vec::sum(row, r.d) / T(r.d);
    for (std::size_t j = 0; j < r.d; ++j) h[j] = row[j] - mu;
    inv_std[i] = T(1) / std::sqrt(vec::dot(h, h, r.d) / T(r.d) + eps);
    for (std::size_t j = 0; j < r.d; ++j) {
      h[j] *= inv_std[i];
      out[j] = h[j] * gm[j] + bt[j];
    }
  }
  return record<T>(std::move(y), {x, gamma, beta}, [x, gamma, beta, xhat, inv_std, r](const Array<T>& g) {
    Array<T> gx(x.shape()), gg = detail::zeros<T>(gamma.shape()), gb = detail::zeros<T>(beta.shape());
    const T* gm = gamma.value().data();
    T* __restrict ggs = gg.data();  // distinct buffers: lets the row loops vectorise
    T* __restrict gbs = gb.data();
    std::vector<T> gh_row(r.d);  // gradient with respect to x̂ of one row
    T* __restrict gh = gh_row.data();
    for (std::size_t i = 0; i < r.rows; ++i) {
      const T *gi = g.data() + i * r.d, *hi = xhat.data() + i * r.d;
      for (std::size_t j = 0; j < r.d; ++j) {
        gh[j] = gi[j] * gm[j];
        ggs[j] += gi[j] * hi[j];
        gbs[j] += gi[j];
      }
      const T m1 = vec::sum(gh, r.d) / T(r.d), m2 = vec::dot(gh, hi, r.d) / T(r.d);
      T* __restrict gxi = gx.data() + i * r.d;
      for (std::size_t j = 0; j < r.d; ++j) gxi[j] = (gh[j] - m1 - hi[j] * m2) * inv_std[i];
    }
    x.accumulate(std::move(gx));
    gamma.accumulate(std::move(gg));
    beta.accumulate(std::move(gb));
  });
}

// Above eps: y = x / n and dx = (g - y (y·g)) / n. At or below: y = x / eps, dx = g / eps.
template <class T>
Var<T> l2_normalize(const Var<T>& x, T eps) {
  const Rows r = rows_of(x, "l2_normalize");
  Array<T> y(x.shape());
  std::vector<T> denom(r.rows);
  std::vector<bool> clamped(r.rows);
  for (std::size_t i = 0; i < r.rows; ++i) {
    const T* row = x.value().data() + i * r.d;
    T sq = 0;
    for (std::size_t j = 0; j < r.d; ++j) sq += row[j] * row[j];
    const T norm = std::sqrt(sq);
    clamped[i] = !(norm > eps);
    denom[i] = clamped[i] ? eps : norm;
    for (std::size_t j = 0; j < r.d; ++j) y.data()[i * r.d + j] = row[j] / denom[i];
  }
  return record<T>(y, {x}, [x, y, denom, clamped, r](const Array<T>& g) {
    Array<T> gx(x.shape());
    for (std::size_t i = 0; i < r.rows; ++i) {
      const T *gi = g.data() + i * r.d, *yi = y.data() + i * r.d;
      T dot = 0;
      if (!clamped[i])
        for (std::size_t j = 0; j < r.d; ++j) dot += yi[j] * gi[j];
      for (std::size_t j = 0; j < r.d; ++j) gx.data()[i * r.d + j] = (gi[j] - yi[j] * dot) / denom[i];
    }
    x.accumulate(gx);
  });
}

template <class T>
Var<T> embedding(const Var<T>& weight, const xt::xarray<std::int64_t>& ids) {
  if (weight.dim() != 2) detail::shape_error("embedding", "weight must be [V, D]");
  const std::size_t v = weight.shape()[0], d = weight.shape()[1];
  Shape out(ids.shape().begin(), ids.shape().end());
  out.push_back(d);
  Array<T> y(out);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::int64_t id = ids.data()[i];
    if (id < 0 || static_cast<std::size_t>(id) >= v)
      detail::shape_error("embedding", "id " + std::to_string(id) + " outside vocabulary of " + std::to_string(v));
    std::copy_n(weight.value().data() + id * d, d, y.data() + i * d);
  }
  return record<T>(std::move(y), {weight}, [weight, ids, d](const Array<T>& g) {
    Array<T> gw = detail::zeros<T>(weight.shape());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      T* row = gw.data() + ids.data()[i] * static_cast<std::int64_t>(d);
      for (std::size_t j = 0; j < d; ++j) row[j] += g.data()[i * d + j];
    }
    weight.accumulate(gw);
  });
}

// Each element is kept with probability 1 - p and scaled by 1 / (1 - p), so the expected
// value is unchanged; the mask comes from its own generator seeded by `seed`.
template <class T>
Var<T> dropout(const Var<T>& x, T p, std::uint64_t seed, bool training) {
  if (!training || p <= T(0)) return x;
  if (p >= T(1)) detail::shape_error("dropout", "p must be < 1");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Array<T> mask(x.shape());
  for (std::size_t i = 0; i < mask.size(); ++i) mask.data()[i] = u(rng) < double(p) ? T(0) : T(1) / (T(1) - p);
  return record<T>(Array<T>(x.value() * mask), {x}, [x, mask](const Array<T>& g) {
    x.accumulate(Array<T>(g * mask));
  });
}

#define RUNNEL_INSTANTIATE(T)                                                          \
  template Var<T> layer_norm(const Var<T>&, const Var<T>&, const Var<T>&, T);          \
  template Var<T> l2_normalize(const Var<T>&, T);                                      \
  template Var<T> embedding(const Var<T>&, const xt::xarray<std::int64_t>&);           \
  template Var<T> dropout(const Var<T>&, T, std::uint64_t, bool);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
