// Causal weightings over time of x [B, T, D]: the sequence forms of the engine's
// kLinearDecay, kExpDecay, kLearnedPosWeights and kAttentionPool encoders.
#include <cmath>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"

namespace runnel::ag {
namespace {

struct SeqDims {
  std::size_t b, t, d;
  std::size_t at(std::size_t bi, std::size_t ti) const { return (bi * t + ti) * d; }
};

template <class T>
SeqDims seq_dims(const Var<T>& x, const char* op) {
  if (x.dim() != 3) detail::shape_error(op, "x must be [B, T, D], got " + detail::shape_str(x.shape()));
  return {x.shape()[0], x.shape()[1], x.shape()[2]};
}

// y_t = norm_t · sum_{i < min(t+1, W)} w[i] x_{t-i}, W = w.size().
// Backward: gx_{t-i} += norm_t w[i] g_t and gw[i] += norm_t g_t · x_{t-i}.
template <class T>
Var<T> window_weighted(const Var<T>& x, const Var<T>& w, std::vector<T> norm, const char* op) {
  const SeqDims s = seq_dims(x, op);
  const std::size_t W = w.size();
  Array<T> y = detail::zeros<T>(x.shape());
  const T *xs = x.value().data(), *ws = w.value().data();
  for (std::size_t b = 0; b < s.b; ++b)
    for (std::size_t t = 0; t < s.t; ++t)
      for (std::size_t i = 0; i < std::min(t + 1, W); ++i)
        for (std::size_t d = 0; d < s.d; ++d) y.data()[s.at(b, t) + d] += norm[t] * ws[i] * xs[s.at(b, t - i) + d];
  return record<T>(std::move(y), {x, w}, [x, w, norm, s, W](const Array<T>& g) {
    Array<T> gx = detail::zeros<T>(x.shape()), gw = detail::zeros<T>(w.shape());
    const T *xs = x.value().data(), *ws = w.value().data();
    for (std::size_t b = 0; b < s.b; ++b)
      for (std::size_t t = 0; t < s.t; ++t)
        for (std::size_t i = 0; i < std::min(t + 1, W); ++i)
          for (std::size_t d = 0; d < s.d; ++d) {
            const T gt = norm[t] * g.data()[s.at(b, t) + d];
            gx.data()[s.at(b, t - i) + d] += gt * ws[i];
            gw.data()[i] += gt * xs[s.at(b, t - i) + d];
          }
    x.accumulate(gx);
    w.accumulate(gw);
  });
}

}  // namespace

template <class T>
Var<T> linear_decay(const Var<T>& x, std::size_t window) {
  if (window == 0) detail::shape_error("linear_decay", "window must be >= 1");
  const SeqDims s = seq_dims(x, "linear_decay");
  Array<T> w(Shape{window});
  for (std::size_t i = 0; i < window; ++i) w(i) = T(window - i) / T(window);
  std::vector<T> norm(s.t);
  T total = 0;
  for (std::size_t t = 0; t < s.t; ++t) {
    if (t < window) total += w(t);  // weights of offsets 0..min(t, W-1)
    norm[t] = T(1) / total;
  }
  return window_weighted(x, constant(std::move(w)), std::move(norm), "linear_decay");
}

template <class T>
Var<T> learned_pos_weights(const Var<T>& x, const Var<T>& w) {
  if (w.dim() != 1 || w.size() == 0) detail::shape_error("learned_pos_weights", "w must be [W]");
  return window_weighted(x, w, std::vector<T>(seq_dims(x, "learned_pos_weights").t, T(1)), "learned_pos_weights");
}

// s_t = x_t + alpha s_{t-1}, n_t = 1 + alpha n_{t-1}, y_t = s_t / n_t.
// Backward: gs_t = g_t / n_t + alpha gs_{t+1}, and gx_t = gs_t.
template <class T>
Var<T> exp_decay(const Var<T>& x, T alpha) {
  const SeqDims s = seq_dims(x, "exp_decay");
  std::vector<T> n(s.t);
  for (std::size_t t = 0; t < s.t; ++t) n[t] = T(1) + (t ? alpha * n[t - 1] : T(0));
  Array<T> y(x.shape());
  for (std::size_t b = 0; b < s.b; ++b)
    for (std::size_t d = 0; d < s.d; ++d) {
      T acc = 0;
      for (std::size_t t = 0; t < s.t; ++t) {
        acc = x.value().data()[s.at(b, t) + d] + alpha * acc;
        y.data()[s.at(b, t) + d] = acc / n[t];
      }
    }
  return record<T>(std::move(y), {x}, [x, n, s, alpha](const Array<T>& g) {
    Array<T> gx(x.shape());
    for (std::size_t b = 0; b < s.b; ++b)
      for (std::size_t d = 0; d < s.d; ++d) {
        T gs = 0;
        for (std::size_t t = s.t; t-- > 0;) {
          gs = g.data()[s.at(b, t) + d] / n[t] + alpha * gs;
          gx.data()[s.at(b, t) + d] = gs;
        }
      }
    x.accumulate(gx);
  });
}

// Online softmax (running max m, sum Z, weighted vector), as the engine streams it.
// L_t = m_t + log Z_t is the log-partition at t and never decreases, so backward can use
// reverse running sums R_j = g_j + e^{L_j - L_{j+1}} R_{j+1} whose factors are <= 1:
// gx_j = p_jj R_j + ds_j q / sqrt(D), ds_j = p_jj (x_j · R_j - Rc_j), p_jj = e^{s_j - L_j},
// with Rc the same running sum of c_t = g_t · y_t.
template <class T>
Var<T> attention_pool(const Var<T>& x, const Var<T>& q) {
  const SeqDims s = seq_dims(x, "attention_pool");
  if (q.shape() != Shape{s.d}) detail::shape_error("attention_pool", "q must be [D]");
  const T inv_sqrt_d = T(1) / std::sqrt(T(s.d));
  const T *xs = x.value().data(), *qs = q.value().data();
  Array<T> y(x.shape());
  std::vector<T> score(s.b * s.t), logz(s.b * s.t), acc(s.d);
  for (std::size_t b = 0; b < s.b; ++b) {
    T m = -std::numeric_limits<T>::infinity(), z = 0;
    std::fill(acc.begin(), acc.end(), T(0));
    for (std::size_t t = 0; t < s.t; ++t) {
      const T* xt = xs + s.at(b, t);
      T sc = 0;
      for (std::size_t d = 0; d < s.d; ++d) sc += qs[d] * xt[d];
      sc *= inv_sqrt_d;
      if (sc > m) {  // rescale what was accumulated under the old maximum
        const T f = std::exp(m - sc);
        z *= f;
        for (T& a : acc) a *= f;
        m = sc;
      }
      const T e = std::exp(sc - m);
      z += e;
      for (std::size_t d = 0; d < s.d; ++d) {
        acc[d] += e * xt[d];
        y.data()[s.at(b, t) + d] = acc[d] / z;
      }
      score[b * s.t + t] = sc;
      logz[b * s.t + t] = m + std::log(z);
    }
  }
  return record<T>(y, {x, q}, [x, q, y, s, score, logz, inv_sqrt_d](const Array<T>& g) {
    Array<T> gx(x.shape()), gq = detail::zeros<T>(q.shape());
    const T *xs = x.value().data(), *qs = q.value().data();
    std::vector<T> R(s.d);
    for (std::size_t b = 0; b < s.b; ++b) {
      std::fill(R.begin(), R.end(), T(0));
      T rc = 0;
      for (std::size_t j = s.t; j-- > 0;) {
        const std::size_t row = s.at(b, j);
        const T decay = j + 1 < s.t ? std::exp(logz[b * s.t + j] - logz[b * s.t + j + 1]) : T(0);
        T c = 0, xr = 0;
        for (std::size_t d = 0; d < s.d; ++d) {
          c += g.data()[row + d] * y.data()[row + d];
          R[d] = g.data()[row + d] + decay * R[d];
          xr += xs[row + d] * R[d];
        }
        rc = c + decay * rc;
        const T p = std::exp(score[b * s.t + j] - logz[b * s.t + j]);
        const T ds = p * (xr - rc) * inv_sqrt_d;  // gradient of the raw dot product q·x_j
        for (std::size_t d = 0; d < s.d; ++d) {
          gx.data()[row + d] = p * R[d] + ds * qs[d];
          gq.data()[d] += ds * xs[row + d];
        }
      }
    }
    x.accumulate(gx);
    q.accumulate(gq);
  });
}

#define RUNNEL_INSTANTIATE(T)                                              \
  template Var<T> linear_decay(const Var<T>&, std::size_t);                \
  template Var<T> learned_pos_weights(const Var<T>&, const Var<T>&);       \
  template Var<T> exp_decay(const Var<T>&, T);                             \
  template Var<T> attention_pool(const Var<T>&, const Var<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
