// kCopyHead: a pointer-generator head for the next value of one categorical field f. It
// mixes the generator's softmax with a pointer distribution over the values of f in the
// entity's last W events, so "repeat a recent value" is one learned bias away:
//
//   q    = Wq h + bq                                     h = in0 (the fused state, [d])
//   x_j  = id of field f in event t - j,  j < m = min(t + 1, W)   (j = 0: this event)
//   a    = softmax_j( q·K[x_j] / sqrt(k) + r[j] )        K = keys [V, k], r = bias [W]
//   g    = sigmoid(wg·h + bg)
//   p[v] = g · softmax(l)[v] + (1 - g) · sum_{j: x_j = v} a_j       l = in1 (logits, [V])
//   y[v] = log(p[v] + kCopyHeadEps)
//
// y is a log-probability vector, so the kOutput after it reads it as logits (softmax(y) =
// p up to the eps). The trainer's form is trainer/nn/copy_head.h; parity:
// tests/parity_layers_test.cc, copy_head.
// State: the last W ids of f, as floats (exact below 2^24; vocabularies are <= 2^20), in
// ring order (event t in slot t mod W).
// Scratch: q [k], scores [W].
// Cost per event: O(k·d) for q, O(W·k) for the scores, O(V + d) for the mixture and the
// gate; no heap, no exceptions. An id of f outside [0, V) gives kIdOutOfRange, a field
// beyond the event's ids kBadArgument, both before the state changes.
#ifndef RUNNEL_ENGINE_LAYERS_COPY_HEAD_H_
#define RUNNEL_ENGINE_LAYERS_COPY_HEAD_H_

#include <cstddef>

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct CopyHead : LayerBase {
  const float* wq = nullptr;    // [k, d]
  const float* bq = nullptr;    // [k]
  const float* keys = nullptr;  // [V, k]
  const float* bias = nullptr;  // [W]
  const float* wg = nullptr;    // [1, d]
  const float* bg = nullptr;    // [1]
  int field = 0;                // index into Event::ids
  int window = 1;               // W
  int d = 0;
  int k = 0;
  int vocab = 0;                // V

  static CopyHead make(const float* wq, const float* bq, const float* keys, const float* bias,
                       const float* wg, const float* bg, int field, int window, int d, int k, int vocab) {
    return CopyHead{{}, wq, bq, keys, bias, wg, bg, field, window, d, k, vocab};
  }

  size_t state_floats() const { return static_cast<size_t>(window); }
  size_t scratch_floats() const { return round_to_line<float>(static_cast<size_t>(k)) + static_cast<size_t>(window); }
  void reset(float* state) const;
  int out_width() const { return vocab; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_COPY_HEAD_H_
