#include "trainer/autograd/allocator.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <mutex>

namespace runnel::ag {

void keep_large_arrays_in_heap() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr int kBytes = 256 << 20;  // arrays up to 256 MB come from (and return to) the heap
    mallopt(M_MMAP_THRESHOLD, kBytes);
    mallopt(M_TRIM_THRESHOLD, kBytes);
  });
#endif
}

}  // namespace runnel::ag
