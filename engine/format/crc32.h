// CRC-32 (IEEE 802.3: reflected, polynomial 0xEDB88320, init and final xor 0xFFFFFFFF),
// the checksum of an .rnl file's payload. The 1 KiB table is built at compile time, so
// it lives in read-only data (flash on a microcontroller) and nothing runs at start-up.
#ifndef RUNNEL_ENGINE_FORMAT_CRC32_H_
#define RUNNEL_ENGINE_FORMAT_CRC32_H_

#include <cstddef>
#include <cstdint>

namespace runnel {
namespace rnl {
namespace crc32_detail {

struct Table {
  uint32_t entry[256];
};

constexpr Table make_table() {
  Table table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1u) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
    table.entry[i] = c;
  }
  return table;
}

inline constexpr Table kTable = make_table();

}  // namespace crc32_detail

// Continues a CRC over more bytes: crc32_update(crc32_update(0, a), b) == crc32(a ++ b).
inline uint32_t crc32_update(uint32_t crc, const void* data, size_t size) {
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  uint32_t c = ~crc;
  for (size_t i = 0; i < size; ++i) c = crc32_detail::kTable.entry[(c ^ bytes[i]) & 0xFFu] ^ (c >> 8);
  return ~c;
}

inline uint32_t crc32(const void* data, size_t size) { return crc32_update(0, data, size); }

}  // namespace rnl
}  // namespace runnel

#endif  // RUNNEL_ENGINE_FORMAT_CRC32_H_
