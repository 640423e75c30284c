#include "engine/layers/self_attention.h"

#include <cmath>
#include <cstring>

#include "engine/layers/support/ring_slot.h"

namespace runnel::layers {
namespace {

// ALiBi's slope of `head`: 2^(-8 (head + 1) / heads). The whole powers of two are exact
// (8 (head + 1) / heads <= 8); only the fraction goes through expf, so no powf/exp2f (and
// their ~2 KB of libm on a microcontroller) is linked.
float alibi_slope(int head, int heads) {
  constexpr float kLn2 = 0.693147180559945309f;
  const int q = 8 * (head + 1);
  const float fraction = std::exp(-kLn2 * static_cast<float>(q % heads) / static_cast<float>(heads));
  return fraction / static_cast<float>(1u << (q / heads));
}

}  // namespace

bool SelfAttention::valid() const {
  const bool bias_ok = position_bias == rnl::PositionBias::kNone ||
                       position_bias == rnl::PositionBias::kAlibi ||
                       (position_bias == rnl::PositionBias::kRelative && relative_bias);
  return mha.valid() && window > 0 && window <= static_cast<int>(rnl::kMaxWindow) && bias_ok;
}

void SelfAttention::reset(float* state) const {
  // Slots not yet written are never read; zeros keep fresh sessions identical byte for byte.
  std::memset(state, 0, state_floats() * sizeof(float));
}

// Column s holds event t - offset(s), offset(s) = (p - s) mod W with p = t % W: columns
// 0..p have offsets p..0, columns p+1..n-1 (only once the ring has wrapped) W-1.. down.
void SelfAttention::fill_position_bias(int head, int newest_column, int n, float* scores) const {
  const int p = newest_column;
  switch (position_bias) {
    case rnl::PositionBias::kNone:
      std::memset(scores, 0, static_cast<size_t>(n) * sizeof(float));
      return;
    case rnl::PositionBias::kRelative: {
      const float* row = relative_bias + static_cast<size_t>(head) * window;
      for (int s = 0; s <= p; ++s) scores[s] = row[p - s];
      for (int s = p + 1; s < n; ++s) scores[s] = row[p - s + window];
      return;
    }
    case rnl::PositionBias::kAlibi: {
      const float slope = alibi_slope(head, mha.heads);
      for (int s = 0; s <= p; ++s) scores[s] = -slope * static_cast<float>(p - s);
      for (int s = p + 1; s < n; ++s) scores[s] = -slope * static_cast<float>(p - s + window);
      return;
    }
  }
}

Status SelfAttention::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0) return Status::kBadArgument;
  const float* x = a.in[0];
  const int d = mha.d;
  float* q = scratch;
  float* k = q + round_to_line<float>(d);
  float* heads_out = k + round_to_line<float>(d);
  float* probs = heads_out + round_to_line<float>(d);
  float* k_t = state;                         // [d, W]
  float* values = state + cache_floats();     // [W, d]

  const int newest = ring::slot(a.t, window);
  const int n = a.t < window ? static_cast<int>(a.t) + 1 : window;

  kernels::matvec(mha.wq, x, mha.bq, d, d, q);
  kernels::matvec(mha.wk, x, mha.bk, d, d, k);
  kernels::matvec(mha.wv, x, mha.bv, d, d, values + static_cast<size_t>(newest) * d);  // into the ring
  kernels::scale(q, mha.score_scale(), d);
  store_column(k, d, window, newest, k_t);

  auto fill_bias = [&](int head, float* s) { fill_position_bias(head, newest, n, s); };
  attend_all_heads(mha, q, k_t, values, n, window, fill_bias, probs, heads_out);
  kernels::matvec(mha.wo, heads_out, mha.bo, d, d, out);
  return Status::kOk;
}

}  // namespace runnel::layers
