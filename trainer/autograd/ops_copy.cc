// The pointer-generator mixture of a copy head: the sequence form of the engine's kCopyHead
// after its two projections (q and the gate logit, plain linear ops in trainer/nn/copy_head).
#include <algorithm>
#include <cmath>
#include <limits>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {

// Per position (b, t), with x_j = ids[b, t - j], j < m = min(t + 1, W):
//   a = softmax_j(q·K[x_j] / sqrt(k) + bias[j]), g = sigmoid(gate), pg = softmax(logits),
//   p[v] = g pg[v] + (1 - g) sum_{j: x_j = v} a_j,  y[v] = log(p[v] + eps).
// Backward, with gp = gy / (p + eps):
//   d gate   = g (1 - g) (gp·pg - sum_j a_j gp[x_j])
//   d logits = pg ⊙ (g gp - g gp·pg)
//   ds_j     = a_j ((1 - g) gp[x_j] - sum_i a_i (1 - g) gp[x_i]) -> bias[j], q, K[x_j].
template <class T>
Var<T> copy_mixture(const Var<T>& q, const Var<T>& keys, const Var<T>& bias, const Var<T>& gate,
                    const Var<T>& logits, const xt::xarray<std::int64_t>& ids, T eps) {
  const char* op = "copy_mixture";
  if (q.dim() != 3) detail::shape_error(op, "q must be [B, T, k], got " + detail::shape_str(q.shape()));
  const std::size_t B = q.shape()[0], S = q.shape()[1], K = q.shape()[2];
  if (keys.dim() != 2 || keys.shape()[1] != K) detail::shape_error(op, "keys must be [V, k]");
  const std::size_t V = keys.shape()[0];
  if (bias.dim() != 1 || bias.size() == 0) detail::shape_error(op, "bias must be [W]");
  const std::size_t W = bias.size();
  if (gate.shape() != Shape{B, S, 1}) detail::shape_error(op, "gate must be [B, T, 1]");
  if (logits.shape() != Shape{B, S, V}) detail::shape_error(op, "logits must be [B, T, V]");
  if (ids.dimension() != 2 || ids.shape()[0] != B || ids.shape()[1] != S) detail::shape_error(op, "ids must be [B, T]");
  for (std::int64_t id : ids)
    if (id < 0 || static_cast<std::size_t>(id) >= V) detail::shape_error(op, "id " + std::to_string(id) + " outside [0, V)");

  const T inv_sqrt_k = T(1) / std::sqrt(T(K));
  const T *qs = q.value().data(), *ks = keys.value().data(), *bs = bias.value().data();
  Array<T> y(logits.shape());
  Array<T> pg(logits.shape()), pe(logits.shape());   // generator softmax, p + eps
  std::vector<T> attn(B * S * W, T(0)), g(B * S);
  auto id_at = [&](std::size_t b, std::size_t t) { return static_cast<std::size_t>(ids(b, t)); };
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t t = 0; t < S; ++t) {
      const std::size_t row = b * S + t, m = std::min(t + 1, W);
      const T* qt = qs + row * K;
      T* a = attn.data() + row * W;
      T top = -std::numeric_limits<T>::infinity();
      for (std::size_t j = 0; j < m; ++j) {
        const T* kx = ks + id_at(b, t - j) * K;
        T s = 0;
        for (std::size_t c = 0; c < K; ++c) s += qt[c] * kx[c];
        a[j] = s * inv_sqrt_k + bs[j];
        top = std::max(top, a[j]);
      }
      T z = 0;
      for (std::size_t j = 0; j < m; ++j) z += (a[j] = std::exp(a[j] - top));
      for (std::size_t j = 0; j < m; ++j) a[j] /= z;

      const T* l = logits.value().data() + row * V;
      T* pgt = pg.data() + row * V;
      T ltop = *std::max_element(l, l + V), lz = 0;
      for (std::size_t v = 0; v < V; ++v) lz += (pgt[v] = std::exp(l[v] - ltop));
      const T gt = T(1) / (T(1) + std::exp(-gate.value().data()[row]));
      g[row] = gt;
      T* pet = pe.data() + row * V;
      for (std::size_t v = 0; v < V; ++v) pet[v] = gt * (pgt[v] /= lz);
      for (std::size_t j = 0; j < m; ++j) pet[id_at(b, t - j)] += (T(1) - gt) * a[j];
      for (std::size_t v = 0; v < V; ++v) y.data()[row * V + v] = std::log(pet[v] += eps);
    }

  return record<T>(std::move(y), {q, keys, bias, gate, logits},
                   [q, keys, bias, gate, logits, ids, pg, pe, attn, g, B, S, K, V, W, inv_sqrt_k](const Array<T>& gy) {
    Array<T> gq = detail::zeros<T>(q.shape()), gk = detail::zeros<T>(keys.shape());
    Array<T> gb = detail::zeros<T>(bias.shape()), gg = detail::zeros<T>(gate.shape());
    Array<T> gl = detail::zeros<T>(logits.shape());
    const T *qs = q.value().data(), *ks = keys.value().data();
    std::vector<T> gp(V), ga(W);
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t t = 0; t < S; ++t) {
        const std::size_t row = b * S + t, m = std::min(t + 1, W);
        const T* a = attn.data() + row * W;
        const T* pgt = pg.data() + row * V;
        const T gt = g[row];
        T gp_pg = 0;
        for (std::size_t v = 0; v < V; ++v) {
          gp[v] = gy.data()[row * V + v] / pe.data()[row * V + v];
          gp_pg += gp[v] * pgt[v];
        }
        T gp_copy = 0;
        for (std::size_t j = 0; j < m; ++j) {
          ga[j] = (T(1) - gt) * gp[static_cast<std::size_t>(ids(b, t - j))];
          gp_copy += a[j] * gp[static_cast<std::size_t>(ids(b, t - j))];
        }
        gg.data()[row] = gt * (T(1) - gt) * (gp_pg - gp_copy);
        for (std::size_t v = 0; v < V; ++v) gl.data()[row * V + v] = gt * pgt[v] * (gp[v] - gp_pg);
        const T ga_mean = (T(1) - gt) * gp_copy;   // sum_i a_i ga_i
        for (std::size_t j = 0; j < m; ++j) {
          const T ds = a[j] * (ga[j] - ga_mean);
          const std::size_t x = static_cast<std::size_t>(ids(b, t - j));
          gb.data()[j] += ds;
          for (std::size_t c = 0; c < K; ++c) {
            gq.data()[row * K + c] += ds * inv_sqrt_k * ks[x * K + c];
            gk.data()[x * K + c] += ds * inv_sqrt_k * qs[row * K + c];
          }
        }
      }
    q.accumulate(std::move(gq));
    keys.accumulate(std::move(gk));
    bias.accumulate(std::move(gb));
    gate.accumulate(std::move(gg));
    logits.accumulate(std::move(gl));
  });
}

#define RUNNEL_INSTANTIATE(T)                                                                             \
  template Var<T> copy_mixture(const Var<T>&, const Var<T>&, const Var<T>&, const Var<T>&, const Var<T>&, \
                               const xt::xarray<std::int64_t>&, T);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
