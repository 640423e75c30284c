#include "engine/layers/cross_attention.h"

#include <cstring>

namespace runnel {

Status CrossAttention::step(const StepArgs& a, float*, float* scratch, float* out) const {
  if (a.n_in != n_streams || !a.in) return Status::kBadArgument;
  const int d = mha.d;
  const int S = n_streams;
  float* q = scratch;
  float* projected = q + round_up_16(d);         // one stream's key or value, before transposing
  float* heads_out = projected + round_up_16(d);
  float* k_t = heads_out + round_up_16(d);
  float* v_t = k_t + round_up_16(static_cast<size_t>(d) * S);
  float* scores = v_t + round_up_16(static_cast<size_t>(d) * S);

  for (int s = 0; s < S; ++s) {
    if (!a.in[s]) return Status::kBadArgument;
    kernels::matvec(mha.wk, a.in[s], mha.bk, d, d, projected);
    store_column(projected, d, S, s, k_t);
    kernels::matvec(mha.wv, a.in[s], mha.bv, d, d, projected);
    store_column(projected, d, S, s, v_t);
  }
  // The query is a weight, so q = Wq·query + bq is the same every event; recomputing it
  // (d² multiply-adds) keeps the layer a plain view with no precomputed buffers.
  kernels::matvec(mha.wq, query, mha.bq, d, d, q);
  kernels::scale(q, mha.score_scale(), d);

  auto no_bias = [S](int, float* s) { std::memset(s, 0, static_cast<size_t>(S) * sizeof(float)); };
  attend_all_heads(mha, q, k_t, v_t, S, S, no_bias, scores, heads_out);
  kernels::matvec(mha.wo, heads_out, mha.bo, d, d, out);
  kernels::add(out, query, out, d);                       // residual around the attention
  kernels::layer_norm(out, gamma, beta, eps, out, d);
  return Status::kOk;
}

}  // namespace runnel
