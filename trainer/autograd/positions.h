// Constant inputs the sequence models need, computed exactly as the engine does (see
// engine/format/rnl_spec.h): log time buckets (kTimeEmbed) and sinusoidal positions
// (kPosSinusoidal). Neither is differentiated; feed them to embedding() / add().
#ifndef RUNNEL_TRAINER_AUTOGRAD_POSITIONS_H_
#define RUNNEL_TRAINER_AUTOGRAD_POSITIONS_H_

#include <cmath>
#include <cstdint>

#include "trainer/autograd/tensor.h"

namespace runnel::ag {

// min(n_buckets - 1, bit_width(floor(max(dt, 0)))): 0 for dt < 1, else floor(log2 dt) + 1.
inline std::int64_t time_bucket(double dt, std::int64_t n_buckets) {
  const double clamped = std::min(std::max(dt, 0.0), 1.8e19);  // keeps the cast defined
  std::uint64_t v = static_cast<std::uint64_t>(clamped);
  std::int64_t width = 0;
  for (; v != 0; v >>= 1) ++width;
  return std::min(width, n_buckets - 1);
}

// PE(t)[2i] = sin(t / 10000^(2i/d)), PE(t)[2i+1] = cos(t / 10000^(2i/d)); shape [T, d].
template <class T>
Array<T> sinusoidal_positions(std::size_t length, std::size_t d) {
  Array<T> pe(Shape{length, d});
  for (std::size_t t = 0; t < length; ++t)
    for (std::size_t j = 0; j < d; ++j) {
      const double angle = double(t) / std::pow(10000.0, double(j - j % 2) / double(d));
      pe(t, j) = T(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  return pe;
}

}  // namespace runnel::ag

#endif  // RUNNEL_TRAINER_AUTOGRAD_POSITIONS_H_
