#include "engine/layers/copy_head.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "engine/kernels/kernels.h"
#include "engine/layers/support/ring_buffer.h"

namespace runnel::layers {

void CopyHead::reset(float* state) const { std::memset(state, 0, sizeof(float) * state_floats()); }

Status CopyHead::step(const StepArgs& a, float* state, float* scratch, float* out) const {
  if (!has_inputs(a, 2) || a.t < 0 || a.event == nullptr || a.event->ids == nullptr) return Status::kBadArgument;
  if (field < 0 || field >= a.event->n_ids) return Status::kBadArgument;
  const int32_t id = a.event->ids[field];
  if (id < 0 || id >= vocab) return Status::kIdOutOfRange;
  const float* h = a.in[0];
  state[a.t % window] = static_cast<float>(id);

  // Pointer weights over the visible ring slots, newest first.
  float* q = scratch;
  float* score = scratch + round_to_line<float>(static_cast<size_t>(k));
  kernels::matvec(wq, h, bq, k, d, q);
  const float inv_sqrt_k = 1.0f / std::sqrt(static_cast<float>(k));
  const int m = ring::visible_count(a.t, window);
  for (int j = 0; j < m; ++j) {
    const int x = static_cast<int>(state[(a.t - j) % window]);
    score[j] = kernels::dot(q, table_row(keys, x, k), k) * inv_sqrt_k + bias[j];
  }
  kernels::softmax(score, m);

  const float g = 1.0f / (1.0f + std::exp(-(kernels::dot(wg, h, d) + bg[0])));
  copy(a.in[1], out, vocab);
  kernels::softmax(out, vocab);
  kernels::scale(out, g, vocab);
  for (int j = 0; j < m; ++j) out[static_cast<int>(state[(a.t - j) % window])] += (1.0f - g) * score[j];
  for (int v = 0; v < vocab; ++v) out[v] = std::log(out[v] + rnl::kCopyHeadEps);
  return Status::kOk;
}

}  // namespace runnel::layers
