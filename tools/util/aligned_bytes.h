// A heap copy of some bytes at a 64-byte aligned address: what the .rnl reader needs
// (tensors are read in place as floats at 64-byte aligned offsets). For tools and tests;
// the engine itself never allocates. The allocation is exactly offset + size bytes, so
// AddressSanitizer flags any read past the end.
#ifndef RUNNEL_TOOLS_UTIL_ALIGNED_BYTES_H_
#define RUNNEL_TOOLS_UTIL_ALIGNED_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace runnel {

class AlignedBytes {
 public:
  static constexpr size_t kAlignment = 64;

  // `offset` shifts the copy off alignment by that many bytes (to test rejection).
  AlignedBytes(const void* data, size_t size, size_t offset = 0)
      : storage_(static_cast<uint8_t*>(::operator new(offset + size + (offset + size == 0),
                                                      std::align_val_t(kAlignment)))),
        data_(storage_.get() + offset),
        size_(size) {
    if (size > 0) std::memcpy(data_, data, size);
  }
  explicit AlignedBytes(const std::vector<uint8_t>& bytes, size_t offset = 0)
      : AlignedBytes(bytes.data(), bytes.size(), offset) {}

  const uint8_t* data() const { return data_; }
  uint8_t* data() { return data_; }
  size_t size() const { return size_; }

 private:
  struct AlignedDelete {
    void operator()(uint8_t* p) const { ::operator delete(p, std::align_val_t(kAlignment)); }
  };
  std::unique_ptr<uint8_t, AlignedDelete> storage_;
  uint8_t* data_;
  size_t size_;
};

}  // namespace runnel

#endif  // RUNNEL_TOOLS_UTIL_ALIGNED_BYTES_H_
