// Scaled dot-product causal attention over a window, the sequence form of the engine's
// self-attention (K/V ring buffers of W entries). Per (batch, head, query i) the visible
// keys are j in [i - W + 1, i]; the attention weights are kept for backward.
// Two kernels compute the same function: when the window covers a good part of the
// sequence, full T×T score matrices through BLAS are faster than skipping the masked
// entries; for short windows, loops over the W visible keys do O(T·W) work instead.
#include <algorithm>
#include <cmath>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"
#include "trainer/autograd/vec_math.h"

namespace runnel::ag {
namespace {

// Element (b, h, t, d) of q, k, v and the output sits at b·bs + h·hs + t·ts + d: the
// [B, H, T, Dh] layout and the [B, T, H·Dh] layout a linear projection produces are
// both read in place (no transposed copies), and BLAS takes ts as its leading dimension.
struct AttnDims {
  std::size_t b, h, t, dh, w;
  std::size_t bs, hs, ts;
  std::size_t first_key(std::size_t i) const { return i + 1 >= w ? i + 1 - w : 0; }
  std::size_t base(std::size_t bh) const { return (bh / h) * bs + (bh % h) * hs; }
  // Row of the saved weights: probs[(bh * t + i) * w + (i - j)].
  std::size_t prob_row(std::size_t bh, std::size_t i) const { return (bh * t + i) * w; }
};

template <class T>
void check_bias(const Var<T>& bias, std::size_t heads, std::size_t window, const char* op) {
  if (bias.defined() && bias.shape() != Shape{heads, window})
    detail::shape_error(op, "bias must be [H, window], got " + detail::shape_str(bias.shape()));
}

template <class T>
AttnDims attention_dims(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t window,
                        const Var<T>& bias) {
  if (q.dim() != 4 || q.shape() != k.shape() || q.shape() != v.shape())
    detail::shape_error("causal_attention", "q, k, v must be equal [B, H, T, Dh], got q " +
                                                detail::shape_str(q.shape()));
  if (window == 0) detail::shape_error("causal_attention", "window must be >= 1");
  const Shape s = q.shape();
  check_bias(bias, s[1], window, "causal_attention");
  return {s[0], s[1], s[2], s[3], window, s[1] * s[2] * s[3], s[2] * s[3], s[3]};
}

template <class T>
AttnDims multi_head_dims(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t heads,
                         std::size_t window, const Var<T>& bias) {
  const char* op = "multi_head_causal_attention";
  if (q.dim() != 3 || q.shape() != k.shape() || q.shape() != v.shape())
    detail::shape_error(op, "q, k, v must be equal [B, T, D], got q " + detail::shape_str(q.shape()));
  const Shape s = q.shape();
  if (heads == 0 || s[2] % heads != 0)
    detail::shape_error(op, std::to_string(heads) + " heads do not divide D = " + std::to_string(s[2]));
  if (window == 0) detail::shape_error(op, "window must be >= 1");
  check_bias(bias, heads, window, op);
  return {s[0], heads, s[1], s[2] / heads, window, s[1] * s[2], s[2] / heads, s[2]};
}

template <class T>
Var<T> windowed_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, const AttnDims& a, T scale,
                          const Var<T>& bias) {
  Array<T> y = detail::zeros<T>(q.shape());
  Array<T> probs = detail::zeros<T>({a.b * a.h * a.t * a.w});  // indexed by offset i - j
  const T *qs = q.value().data(), *ks = k.value().data(), *vs = v.value().data();
  for (std::size_t bh = 0; bh < a.b * a.h; ++bh) {
    const T* bias_h = bias.defined() ? bias.value().data() + (bh % a.h) * a.w : nullptr;
    const std::size_t base = a.base(bh);
    for (std::size_t i = 0; i < a.t; ++i) {
      T* p = probs.data() + a.prob_row(bh, i);
      const std::size_t j0 = a.first_key(i);
      T m = -std::numeric_limits<T>::infinity();
      for (std::size_t j = j0; j <= i; ++j) {
        p[i - j] = scale * vec::dot(qs + base + i * a.ts, ks + base + j * a.ts, a.dh) + (bias_h ? bias_h[i - j] : T(0));
        m = std::max(m, p[i - j]);
      }
      T z = 0;
      for (std::size_t j = j0; j <= i; ++j) z += (p[i - j] = std::exp(p[i - j] - m));
      T* out = y.data() + base + i * a.ts;
      for (std::size_t j = j0; j <= i; ++j) {
        p[i - j] /= z;
        for (std::size_t d = 0; d < a.dh; ++d) out[d] += p[i - j] * vs[base + j * a.ts + d];
      }
    }
  }
  // Backward per query row: gv_j += p_j g; gp_j = g·v_j; gs_j = p_j (gp_j - sum p gp);
  // gq += scale sum gs_j k_j; gk_j += scale gs_j q; gbias[h][i-j] += gs_j.
  return record<T>(std::move(y), {q, k, v, bias}, [q, k, v, bias, a, probs, scale](const Array<T>& g) {
    Array<T> gq = detail::zeros<T>(q.shape()), gk = detail::zeros<T>(k.shape()), gv = detail::zeros<T>(v.shape());
    Array<T> gbias = bias.defined() ? detail::zeros<T>(bias.shape()) : Array<T>();
    const T *qs = q.value().data(), *ks = k.value().data(), *vs = v.value().data();
    std::vector<T> gs(a.w);
    for (std::size_t bh = 0; bh < a.b * a.h; ++bh) {
      const std::size_t base = a.base(bh);
      for (std::size_t i = 0; i < a.t; ++i) {
        const T* p = probs.data() + a.prob_row(bh, i);
        const T* gi = g.data() + base + i * a.ts;
        const std::size_t j0 = a.first_key(i);
        T pgp = 0;
        for (std::size_t j = j0; j <= i; ++j) {
          gs[i - j] = vec::dot(gi, vs + base + j * a.ts, a.dh);
          pgp += p[i - j] * gs[i - j];
          for (std::size_t d = 0; d < a.dh; ++d) gv.data()[base + j * a.ts + d] += p[i - j] * gi[d];
        }
        for (std::size_t j = j0; j <= i; ++j) {
          const T s = p[i - j] * (gs[i - j] - pgp);
          if (bias.defined()) gbias.data()[(bh % a.h) * a.w + (i - j)] += s;
          for (std::size_t d = 0; d < a.dh; ++d) {
            gq.data()[base + i * a.ts + d] += scale * s * ks[base + j * a.ts + d];
            gk.data()[base + j * a.ts + d] += scale * s * qs[base + i * a.ts + d];
          }
        }
      }
    }
    q.accumulate(std::move(gq));
    k.accumulate(std::move(gk));
    v.accumulate(std::move(gv));
    if (bias.defined()) bias.accumulate(std::move(gbias));
  });
}

// Per (batch, head): S = scale·Q·Kᵀ (GEMM), bias and mask, row softmax into P [T, T]
// (zero outside the window), Y = P·V (GEMM). Backward: dV = Pᵀ·G, dP = G·Vᵀ,
// dS = P ∘ (dP - rowsum(P ∘ dP)), dQ = scale·dS·K, dK = scale·dSᵀ·Q.
template <class T>
Var<T> dense_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, const AttnDims& a, T scale,
                       const Var<T>& bias) {
  const std::size_t tt = a.t * a.t;
  Array<T> y(q.shape());
  Array<T> probs(Shape{a.b * a.h * tt});  // every entry written: GEMM, then softmax and zeros
  for (std::size_t bh = 0; bh < a.b * a.h; ++bh) {
    T* p = probs.data() + bh * tt;
    const T* bias_h = bias.defined() ? bias.value().data() + (bh % a.h) * a.w : nullptr;
    detail::gemm<T>(false, true, a.t, a.t, a.dh, scale, q.value().data() + a.base(bh), a.ts,
                    k.value().data() + a.base(bh), a.ts, 0, p, a.t);
    for (std::size_t i = 0; i < a.t; ++i) {
      T* row = p + i * a.t;
      const std::size_t j0 = a.first_key(i), n = i + 1 - j0;
      if (bias_h)
        for (std::size_t j = j0; j <= i; ++j) row[j] += bias_h[i - j];
      vec::softmax(row + j0, n);
      std::fill(row, row + j0, T(0));
      std::fill(row + i + 1, row + a.t, T(0));
    }
    detail::gemm<T>(false, false, a.t, a.dh, a.t, 1, p, a.t, v.value().data() + a.base(bh), a.ts, 0,
                    y.data() + a.base(bh), a.ts);
  }
  return record<T>(std::move(y), {q, k, v, bias}, [q, k, v, bias, a, probs, scale](const Array<T>& g) {
    const std::size_t tt = a.t * a.t;
    Array<T> gq(q.shape()), gk(k.shape()), gv(v.shape());
    Array<T> gbias = bias.defined() ? detail::zeros<T>(bias.shape()) : Array<T>();
    std::vector<T> ds(tt);
    for (std::size_t bh = 0; bh < a.b * a.h; ++bh) {
      const T* p = probs.data() + bh * tt;
      const T* gy = g.data() + a.base(bh);
      detail::gemm<T>(true, false, a.t, a.dh, a.t, 1, p, a.t, gy, a.ts, 0, gv.data() + a.base(bh), a.ts);
      detail::gemm<T>(false, true, a.t, a.t, a.dh, 1, gy, a.ts, v.value().data() + a.base(bh), a.ts, 0, ds.data(), a.t);
      for (std::size_t i = 0; i < a.t; ++i) {
        T* row = ds.data() + i * a.t;
        const T* prow = p + i * a.t;
        const std::size_t j0 = a.first_key(i), n = i + 1 - j0;
        const T pgp = vec::dot(prow + j0, row + j0, n);
        for (std::size_t j = j0; j <= i; ++j) row[j] = prow[j] * (row[j] - pgp);
        std::fill(row, row + j0, T(0));  // P is zero outside the window, so is dS
        std::fill(row + i + 1, row + a.t, T(0));
        if (bias.defined())
          for (std::size_t j = j0; j <= i; ++j) gbias.data()[(bh % a.h) * a.w + (i - j)] += row[j];
      }
      detail::gemm<T>(false, false, a.t, a.dh, a.t, scale, ds.data(), a.t, k.value().data() + a.base(bh), a.ts, 0,
                      gq.data() + a.base(bh), a.ts);
      detail::gemm<T>(true, false, a.t, a.dh, a.t, scale, ds.data(), a.t, q.value().data() + a.base(bh), a.ts, 0,
                      gk.data() + a.base(bh), a.ts);
    }
    q.accumulate(std::move(gq));
    k.accumulate(std::move(gk));
    v.accumulate(std::move(gv));
    if (bias.defined()) bias.accumulate(std::move(gbias));
  });
}

// Dense costs T² per head but runs at GEMM speed; measured break-even is near W = T/4.
template <class T>
Var<T> attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, const AttnDims& a, T scale,
                 const Var<T>& bias) {
  return 4 * a.w >= a.t ? dense_attention(q, k, v, a, scale, bias) : windowed_attention(q, k, v, a, scale, bias);
}

}  // namespace

template <class T>
Var<T> causal_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t window,
                        T scale, const Var<T>& bias) {
  return attention(q, k, v, attention_dims(q, k, v, window, bias), scale, bias);
}

template <class T>
Var<T> multi_head_causal_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t heads,
                                   std::size_t window, T scale, const Var<T>& bias) {
  return attention(q, k, v, multi_head_dims(q, k, v, heads, window, bias), scale, bias);
}

// Per (b, t) row: the n items x[b, t, 0..n-1, :] attended by one query per head.
struct QueryDims {
  std::size_t rows, n, heads, dh, d;
  std::size_t item(std::size_t row, std::size_t s) const { return (row * n + s) * d; }
  std::size_t weight(std::size_t row, std::size_t h) const { return (row * heads + h) * n; }
};

template <class T>
QueryDims query_dims(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t heads) {
  const char* op = "query_attention";
  if (k.dim() < 2 || k.shape() != v.shape())
    detail::shape_error(op, "k, v must be equal [..., N, D], got k " + detail::shape_str(k.shape()));
  const std::size_t d = k.shape().back(), n = k.shape()[k.dim() - 2];
  if (q.dim() != 1 || q.size() != d) detail::shape_error(op, "q must be [" + std::to_string(d) + "]");
  if (heads == 0 || d % heads != 0)
    detail::shape_error(op, std::to_string(heads) + " heads do not divide D = " + std::to_string(d));
  return {n ? k.size() / (n * d) : 0, n, heads, d / heads, d};
}

template <class T>
Var<T> query_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t heads) {
  const QueryDims a = query_dims(q, k, v, heads);
  Shape out_shape = k.shape();
  out_shape.erase(out_shape.end() - 2);
  Array<T> y = detail::zeros<T>(out_shape);
  Array<T> probs = detail::zeros<T>({a.rows * a.heads * a.n});
  const T *qs = q.value().data(), *ks = k.value().data(), *vs = v.value().data();
  for (std::size_t r = 0; r < a.rows; ++r)
    for (std::size_t h = 0; h < a.heads; ++h) {
      T* p = probs.data() + a.weight(r, h);
      const std::size_t off = h * a.dh;
      for (std::size_t s = 0; s < a.n; ++s) p[s] = vec::dot(qs + off, ks + a.item(r, s) + off, a.dh);
      vec::softmax(p, a.n);
      T* out = y.data() + r * a.d + off;
      for (std::size_t s = 0; s < a.n; ++s)
        for (std::size_t j = 0; j < a.dh; ++j) out[j] += p[s] * vs[a.item(r, s) + off + j];
    }
  // gv = p g; gp_s = g·v_s; gs = p (gp - p·gp); gk_s = gs q; gq += gs k_s.
  return record<T>(std::move(y), {q, k, v}, [q, k, v, a, probs](const Array<T>& g) {
    Array<T> gq = detail::zeros<T>(q.shape()), gk(k.shape()), gv(v.shape());
    const T *qs = q.value().data(), *ks = k.value().data(), *vs = v.value().data();
    std::vector<T> gs(a.n);
    for (std::size_t r = 0; r < a.rows; ++r)
      for (std::size_t h = 0; h < a.heads; ++h) {
        const T* p = probs.data() + a.weight(r, h);
        const std::size_t off = h * a.dh;
        const T* gr = g.data() + r * a.d + off;
        for (std::size_t s = 0; s < a.n; ++s) {
          gs[s] = vec::dot(gr, vs + a.item(r, s) + off, a.dh);
          for (std::size_t j = 0; j < a.dh; ++j) gv.data()[a.item(r, s) + off + j] = p[s] * gr[j];
        }
        const T pgp = vec::dot(p, gs.data(), a.n);
        for (std::size_t s = 0; s < a.n; ++s) {
          const T d = p[s] * (gs[s] - pgp);
          for (std::size_t j = 0; j < a.dh; ++j) {
            gk.data()[a.item(r, s) + off + j] = d * qs[off + j];
            gq.data()[off + j] += d * ks[a.item(r, s) + off + j];
          }
        }
      }
    q.accumulate(std::move(gq));
    k.accumulate(std::move(gk));
    v.accumulate(std::move(gv));
  });
}

template <class T>
Array<T> alibi_bias(std::size_t heads, std::size_t window) {
  Array<T> b(Shape{heads, window});
  for (std::size_t h = 0; h < heads; ++h) {
    const double slope = std::pow(2.0, -8.0 * double(h + 1) / double(heads));
    for (std::size_t off = 0; off < window; ++off) b(h, off) = T(-slope * double(off));
  }
  return b;
}

#define RUNNEL_INSTANTIATE(T)                                                                         \
  template Var<T> causal_attention(const Var<T>&, const Var<T>&, const Var<T>&, std::size_t, T,       \
                                   const Var<T>&);                                                    \
  template Var<T> multi_head_causal_attention(const Var<T>&, const Var<T>&, const Var<T>&, std::size_t, \
                                              std::size_t, T, const Var<T>&);                          \
  template Var<T> query_attention(const Var<T>&, const Var<T>&, const Var<T>&, std::size_t);           \
  template Array<T> alibi_bias<T>(std::size_t, std::size_t);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
