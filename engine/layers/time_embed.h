// kTimeEmbed: an embedding of the time since the entity's previous event, log-bucketed:
//   bucket = min(n_buckets - 1, bit_width(floor(max(dt, 0))))   (0 for dt < 1,
//            else floor(log2(dt)) + 1), and bucket 0 for the first event (t == 0).
// dt of the first event is not read (there is no previous event, callers may pass
// anything); a later NaN or infinite dt gives kNonFinite.
#ifndef RUNNEL_ENGINE_LAYERS_TIME_EMBED_H_
#define RUNNEL_ENGINE_LAYERS_TIME_EMBED_H_

#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct TimeEmbed : LayerBase {
  const float* table = nullptr;  // [n_buckets, d]
  int n_buckets = 0;
  int d = 0;

  static TimeEmbed make(const float* table, int n_buckets, int d) {
    return TimeEmbed{{}, table, n_buckets, d};
  }

  // The bucket rule above for a finite dt (exposed for the CLI's inspect and tests).
  static int bucket(double dt, int n_buckets);

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_TIME_EMBED_H_
