#include "engine/layers/time_embed.h"

#include <cmath>

namespace runnel::layers {

int TimeEmbed::bucket(double dt, int n_buckets) {
  if (!(dt >= 1.0)) return 0;
  // frexp gives dt = m * 2^e with m in [0.5, 1): e is the bit width of floor(dt), exactly,
  // without a log2 that could round at powers of two or an integer cast that could overflow.
  int e = 0;
  std::frexp(dt, &e);
  return e < n_buckets - 1 ? e : n_buckets - 1;
}

Status TimeEmbed::step(const StepArgs& a, float*, float*, float* out) const {
  if (a.event == nullptr) return Status::kBadArgument;
  int b = 0;
  if (a.t > 0) {
    if (!std::isfinite(a.event->dt)) return Status::kNonFinite;
    b = bucket(a.event->dt, n_buckets);
  }
  copy(table_row(table, b, d), out, d);
  return Status::kOk;
}

}  // namespace runnel::layers
