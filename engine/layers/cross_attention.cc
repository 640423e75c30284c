#include "engine/layers/cross_attention.h"

#include <cstring>

namespace runnel::layers {

Status CrossAttention::step(const StepArgs& a, float*, float* scratch, float* out) const {
  if (!has_inputs(a, n_streams)) return Status::kBadArgument;
  const int d = mha.d;
  const int S = n_streams;
  float* q = scratch;
  float* key = q + round_to_line<float>(d);  // one stream's key, before transposing
  float* heads_out = key + round_to_line<float>(d);
  float* k_t = heads_out + round_to_line<float>(d);  // [d, S]
  float* values = k_t + round_to_line<float>(static_cast<size_t>(d) * S);  // [S, d]
  float* probs = values + round_to_line<float>(static_cast<size_t>(d) * S);

  for (int s = 0; s < S; ++s) {
    kernels::matvec(mha.wk, a.in[s], mha.bk, d, d, key);
    store_column(key, d, S, s, k_t);
    kernels::matvec(mha.wv, a.in[s], mha.bv, d, d, values + static_cast<size_t>(s) * d);
  }
  // The query is a weight, so q = Wq·query + bq is the same every event; recomputing it
  // (d² multiply-adds) keeps the layer a plain view with no precomputed buffers.
  kernels::matvec(mha.wq, query, mha.bq, d, d, q);
  kernels::scale(q, mha.score_scale(), d);

  auto no_bias = [S](int, float* s) { std::memset(s, 0, static_cast<size_t>(S) * sizeof(float)); };
  attend_all_heads(mha, q, k_t, values, S, S, no_bias, probs, heads_out);
  kernels::matvec(mha.wo, heads_out, mha.bo, d, d, out);
  kernels::add(out, query, out, d);                       // residual around the attention
  kernels::layer_norm(out, gamma, beta, eps, out, d);
  return Status::kOk;
}

}  // namespace runnel::layers
