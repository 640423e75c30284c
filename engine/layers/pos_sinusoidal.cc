#include "engine/layers/pos_sinusoidal.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace runnel::layers {

void PosSinusoidal::reset(float* state) const {
  constexpr double kTwoPi = 6.283185307179586476925;
  constexpr double kTwoTo64 = 18446744073709551616.0;
  for (int i = 0; 2 * i < d; ++i) {
    const double turns_per_event = std::pow(10000.0, -static_cast<double>(2 * i) / d) / kTwoPi;  // < 1/4
    const uint64_t g = static_cast<uint64_t>(turns_per_event * kTwoTo64 + 0.5);
    std::memcpy(state + 2 * i, &g, sizeof g);
  }
}

Status PosSinusoidal::step(const StepArgs& a, float* state, float*, float* out) const {
  if (!has_inputs(a, 1) || a.t < 0 || state == nullptr) return Status::kBadArgument;
  constexpr float kRadiansPerUnit = 6.283185307179586f / 4294967296.f;  // 2pi / 2^32
  const float* x = a.in[0];
  const uint64_t t = static_cast<uint64_t>(a.t);
  for (int i = 0, j = 0; j < d; ++i, j += 2) {
    uint64_t g;
    std::memcpy(&g, state + 2 * i, sizeof g);
    // t * g mod 2^64: the fraction of a turn (wrapping is the exact reduction mod 2pi).
    const int32_t turn = static_cast<int32_t>(static_cast<uint32_t>((t * g) >> 32));
    const float angle = static_cast<float>(turn) * kRadiansPerUnit;
    out[j] = x[j] + std::sin(angle);
    if (j + 1 < d) out[j + 1] = x[j + 1] + std::cos(angle);
  }
  return Status::kOk;
}

}  // namespace runnel::layers
