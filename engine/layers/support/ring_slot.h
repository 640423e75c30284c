// The slot of event t in a ring of W rows: t mod W, for t >= 0 (ring_buffer.h, conv1d,
// self-attention).
//
// A 64-bit % is a library call on 32-bit cores (__aeabi_ldivmod on Arm); there the slot
// takes 32-bit divisions only: t = hi * 2^32 + lo, and W <= kMaxWindow = 2^16 keeps
// (hi mod W) * (2^32 mod W) below 2^32.
#ifndef RUNNEL_ENGINE_LAYERS_RING_SLOT_H_
#define RUNNEL_ENGINE_LAYERS_RING_SLOT_H_

#include <cstdint>

#include "engine/format/rnl_spec.h"

namespace runnel::layers::ring {

inline int slot(int64_t t, int window) {
#if UINTPTR_MAX > 0xFFFFFFFFu
  return static_cast<int>(t % window);
#else
  static_assert(rnl::kMaxWindow <= (1u << 16), "slot() needs W <= 2^16");
  const uint32_t w = static_cast<uint32_t>(window);
  const uint32_t hi = static_cast<uint32_t>(static_cast<uint64_t>(t) >> 32), lo = static_cast<uint32_t>(t);
  const uint32_t two32_mod_w = (0xFFFFFFFFu % w + 1u) % w;
  return static_cast<int>(((hi % w) * two32_mod_w % w + lo % w) % w);
#endif
}

}  // namespace runnel::layers::ring

#endif  // RUNNEL_ENGINE_LAYERS_RING_SLOT_H_
