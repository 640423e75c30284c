#include "trainer/train/memory_estimate.h"

#include <malloc.h>

namespace runnel::train {

uint64_t heap_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 m = ::mallinfo2();
  return static_cast<uint64_t>(m.uordblks) + static_cast<uint64_t>(m.hblkhd);
#else
  return 0;   // not measurable here: activations are then not part of the estimate
#endif
}

std::string MemoryEstimate::describe() const {
  std::string s = "training (parameters: " + std::to_string(parameters) + " x 4 bytes x " + std::to_string(copies) +
                  " copies (value, gradient, optimizer state) = " + std::to_string(parameter_bytes()) + " bytes";
  if (per_row > 0)
    s += "; activations: batch_size " + std::to_string(rows) + " x " + std::to_string(per_row) +
         " bytes per row (measured on " + std::to_string(measured_rows) + ") = " +
         (activation_bytes() == std::numeric_limits<uint64_t>::max() ? std::string("more than 2^64")
                                                                        : std::to_string(activation_bytes())) +
         " bytes";
  return s + ")";
}

}  // namespace runnel::train
