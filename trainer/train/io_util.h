// CRC-32C for the run directory's files (checkpoints, TensorBoard records).
#ifndef RUNNEL_TRAINER_TRAIN_IO_UTIL_H_
#define RUNNEL_TRAINER_TRAIN_IO_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace runnel::train {

// CRC-32C (Castagnoli), as TFRecord framing uses; crc32c(data) of "123456789" = 0xE3069283.
uint32_t crc32c(const void* data, std::size_t size, uint32_t crc = 0);
// TFRecord's masked CRC.
inline uint32_t masked_crc32c(const void* data, std::size_t size) {
  const uint32_t c = crc32c(data, size);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_IO_UTIL_H_
