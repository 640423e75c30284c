// The engine's one unit of memory layout: a 64-byte line. Every buffer it plans (session
// blocks, scratch, each layer's sub-buffers, beam-search workspaces) starts on a line, so
// SIMD loads of a buffer's start never split a cache line and AVX-512 loads stay aligned
// whenever the caller's block is. It is also the file's tensor alignment (rnl::kAlignment).
#ifndef RUNNEL_ENGINE_CACHE_LINE_H_
#define RUNNEL_ENGINE_CACHE_LINE_H_

#include <cstddef>
#include <cstdint>

#include "engine/format/rnl_spec.h"

namespace runnel {

constexpr size_t kLineBytes = 64;
static_assert(kLineBytes == rnl::kAlignment, "planned buffers and file tensors share one alignment");

// Names a type without letting a call deduce it (std::type_identity is C++20).
template <class X>
struct NonDeduced {
  using type = X;
};

// The smallest count >= n of T that fills whole lines: round_to_line<float>(floats),
// round_to_line<unsigned char>(bytes). Counts are size_t unless the caller names a wider
// type: round_to_line<float, uint64_t>(n) rounds in 64 bits also where size_t has 32
// (the memory plan's sums, engine/model.cc). The caller keeps n + a line below the type's max.
template <class T, class Count = size_t>
constexpr Count round_to_line(typename NonDeduced<Count>::type n) {
  static_assert(kLineBytes % sizeof(T) == 0, "a line holds a whole number of T");
  static_assert(static_cast<Count>(-1) > 0, "counts are unsigned");
  constexpr Count per_line = kLineBytes / sizeof(T);
  return (n + per_line - 1) / per_line * per_line;
}

inline bool is_line_aligned(const void* p) {
  return reinterpret_cast<uintptr_t>(p) % kLineBytes == 0;
}

}  // namespace runnel

#endif  // RUNNEL_ENGINE_CACHE_LINE_H_
