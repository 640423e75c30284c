#include "engine/layers/time_embed.h"

namespace runnel::layers {

int TimeEmbed::bucket(double dt, int n_buckets) {
  // For dt >= 1, dt = m * 2^e with m in [0.5, 1) (frexp's e) and e = biased exponent - 1022:
  // the bit width of floor(dt), exactly, read from the bits (no log2 that could round at
  // powers of two, no integer cast that could overflow, no double arithmetic).
  const int biased = double_exponent_field(dt);
  if (double_is_negative(dt) || biased < 1023 || biased == 0x7FF) return 0;  // dt < 1, NaN, inf
  const int e = biased - 1022;
  return e < n_buckets - 1 ? e : n_buckets - 1;
}

Status TimeEmbed::step(const StepArgs& a, float*, float*, float* out) const {
  if (a.event == nullptr) return Status::kBadArgument;
  int b = 0;
  if (a.t > 0) {
    if (!double_is_finite(a.event->dt)) return Status::kNonFinite;
    b = bucket(a.event->dt, n_buckets);
  }
  copy(table_row(table, b, d), out, d);
  return Status::kOk;
}

}  // namespace runnel::layers
