// splitmix64: the one mixing function the trainer derives seeded randomness from (data
// splits and sampling, dropout masks, per-shard seeds). Changing it changes every figure.
#ifndef RUNNEL_TRAINER_RANDOM_MIX64_H_
#define RUNNEL_TRAINER_RANDOM_MIX64_H_

#include <cstdint>

namespace runnel {

inline constexpr std::uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

// splitmix64's output function (Stafford's variant 13), without the state increment.
constexpr std::uint64_t mix64_finalize(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// One splitmix64 step from state x: the value it yields.
constexpr std::uint64_t mix64(std::uint64_t x) { return mix64_finalize(x + kGoldenGamma); }

// A seed for (seed, a, b), e.g. (run seed, step, shard): the three spread over 64 bits
// by odd multipliers, then finalized.
constexpr std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  return mix64_finalize(seed ^ (a * kGoldenGamma) ^ (b * 0xBF58476D1CE4E5B9ull));
}

}  // namespace runnel

#endif  // RUNNEL_TRAINER_RANDOM_MIX64_H_
