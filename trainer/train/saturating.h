// Size arithmetic that cannot wrap: a product or sum past 2^64 saturates to UINT64_MAX,
// which every size limit then refuses (a wrapped product would pass as a small size).
#ifndef RUNNEL_TRAINER_TRAIN_SATURATING_H_
#define RUNNEL_TRAINER_TRAIN_SATURATING_H_

#include <cstdint>
#include <limits>

namespace runnel::train {

inline uint64_t saturating_mul(uint64_t a, uint64_t b) {
  uint64_t out = 0;
  return __builtin_mul_overflow(a, b, &out) ? std::numeric_limits<uint64_t>::max() : out;
}

inline uint64_t saturating_add(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
}

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_SATURATING_H_
