// Small file helpers for the run directory: CRC-32C and atomic writes (temp file in the
// same directory, fsync, rename, fsync of the directory).
#ifndef RUNNEL_TRAINER_TRAIN_IO_UTIL_H_
#define RUNNEL_TRAINER_TRAIN_IO_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace runnel::train {

// CRC-32C (Castagnoli), as TFRecord framing uses; crc32c(data) of "123456789" = 0xE3069283.
uint32_t crc32c(const void* data, std::size_t size, uint32_t crc = 0);
// TFRecord's masked CRC.
inline uint32_t masked_crc32c(const void* data, std::size_t size) {
  const uint32_t c = crc32c(data, size);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

// Writes `bytes` to `path` so that a reader sees either the old file or the whole new
// one: `path`.tmp-<pid> + fsync + rename + fsync(dir). Throws std::runtime_error.
void write_atomically(const std::string& path, const std::string& bytes);

// Removes the "<name>.tmp-<pid>" files in `dir` (not recursively) that write_atomically
// left behind because its process died between create and rename (kill -9, power loss).
// Only files whose process is no longer running go: a live writer's temp file (another
// runnel on the same directory) is never touched. Returns the paths removed.
std::vector<std::string> remove_stale_temp_files(const std::string& dir);

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_IO_UTIL_H_
