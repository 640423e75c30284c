// Overflow-safe range arithmetic for validating untrusted offsets and sizes.
#ifndef RUNNEL_ENGINE_FORMAT_BOUNDS_H_
#define RUNNEL_ENGINE_FORMAT_BOUNDS_H_

#include <cstdint>

namespace runnel {
namespace rnl {

// True when [offset, offset + size) lies inside [begin, end), written so that no sum can
// wrap around: a hostile offset near 2^64 must not look small.
constexpr bool range_inside(uint64_t offset, uint64_t size, uint64_t begin, uint64_t end) {
  return begin <= end && offset >= begin && offset <= end && size <= end - offset;
}

// a * b, or false when the product exceeds `limit` (or 64 bits). The overflow builtin
// needs no 64-bit division, which a 32-bit core calls a library routine for.
constexpr bool multiply_within(uint64_t a, uint64_t b, uint64_t limit, uint64_t* product) {
#if defined(__GNUC__) || defined(__clang__)
  if (__builtin_mul_overflow(a, b, product)) return false;
#else
  if (a != 0 && b > UINT64_MAX / a) return false;
  *product = a * b;
#endif
  return *product <= limit;
}

}  // namespace rnl
}  // namespace runnel

#endif  // RUNNEL_ENGINE_FORMAT_BOUNDS_H_
