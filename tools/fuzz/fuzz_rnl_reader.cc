// libFuzzer target for the .rnl reader (build and run: tools/fuzz/run_fuzz.sh).
//
// Each input is opened twice: as is, and with its payload CRC recomputed. Without the
// second pass almost every mutation would stop at kCrcMismatch and the validation after
// the CRC (tables, shapes, per-op rules, vocabularies) would never be explored. Accepted
// models are then read through every accessor. Buffers are exactly the input's size and
// 64-byte aligned, so AddressSanitizer sees any read past the end.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/format/rnl_reader.h"
#include "tools/testdata/corrupt.h"
#include "tools/testdata/touch_model.h"
#include "tools/util/aligned_bytes.h"

namespace {

runnel::rnl::ModelFile g_model;   // ~16 KiB, reused

void open_and_touch(const std::vector<uint8_t>& bytes) {
  const runnel::AlignedBytes buffer(bytes);
  if (runnel::rnl::open(buffer.data(), buffer.size(), &g_model) == runnel::Status::kOk) {
    volatile double sink = runnel::testdata::touch_model(g_model);
    (void)sink;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  open_and_touch(bytes);
  if (size >= sizeof(runnel::rnl::RnlHeader)) {
    runnel::testdata::fix_crc(bytes);
    open_and_touch(bytes);
  }
  return 0;
}
