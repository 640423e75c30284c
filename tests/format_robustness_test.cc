// Hostile bytes never crash the reader and never read out of bounds (run it under
// --config=asan): every truncation of every sample model, every single-bit flip with the
// CRC fixed up (so validation past the CRC is exercised), and bit flips left unfixed.
// Whatever open() accepts is then walked through every accessor.
#define BOOST_TEST_MODULE format_robustness
#include <boost/test/unit_test.hpp>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/format/rnl_reader.h"
#include "tests/printing.h"
#include "tools/testdata/corrupt.h"
#include "tools/testdata/sample_models.h"
#include "tools/testdata/touch_model.h"
#include "tools/util/aligned_bytes.h"

namespace rnl = runnel::rnl;
using runnel::AlignedBytes;
using runnel::Status;
using runnel::testdata::Bytes;

namespace {

struct Result {
  Status status;
  double walked = 0;
};

Result open_and_walk(const Bytes& bytes) {
  const AlignedBytes buffer(bytes);
  auto model = std::make_unique<rnl::ModelFile>();
  Result r{rnl::open(buffer.data(), buffer.size(), model.get())};
  if (r.status == Status::kOk) r.walked = runnel::testdata::touch_model(*model);
  return r;
}

Bytes flipped(const Bytes& bytes, size_t bit) {
  Bytes b = bytes;
  b[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_truncation_is_reported_as_truncated) {
  for (const auto& sample : runnel::testdata::sample_models()) {
    const Bytes full = sample.writer.bytes();
    BOOST_TEST(open_and_walk(full).status == Status::kOk);
    for (size_t n = 0; n < full.size(); ++n) {
      const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      const Status s = open_and_walk(cut).status;
      if (s != Status::kTruncated) BOOST_TEST(s == Status::kTruncated, sample.name << " cut to " << n);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_bit_flip_with_crc_fixed_up_is_safe) {
  size_t accepted = 0, flips = 0;
  for (const auto& sample : runnel::testdata::sample_models()) {
    const Bytes original = sample.writer.bytes();
    for (size_t bit = 0; bit < original.size() * 8; ++bit) {
      Bytes b = flipped(original, bit);
      runnel::testdata::fix_crc(b);
      accepted += open_and_walk(b).status == Status::kOk;
      ++flips;
    }
  }
  BOOST_TEST_MESSAGE(flips << " flips, " << accepted << " accepted (weights, names, unused padding)");
  BOOST_TEST(accepted < flips);
}

// The CRC covers the whole file, header included: no single flipped bit is accepted. Past
// the header the CRC is what catches it; in the header an earlier rule may (bad magic,
// version, sizes).
BOOST_AUTO_TEST_CASE(bit_flips_without_crc_fix_up_are_all_rejected) {
  std::mt19937 rng(42);
  for (const auto& sample : runnel::testdata::sample_models()) {
    const Bytes original = sample.writer.bytes();
    for (size_t bit = 0; bit < sizeof(rnl::RnlHeader) * 8; ++bit) {
      const Status s = open_and_walk(flipped(original, bit)).status;
      if (s == Status::kOk) BOOST_TEST(s != Status::kOk, sample.name << " header bit " << bit);
    }
    const size_t payload_bits = (original.size() - sizeof(rnl::RnlHeader)) * 8;
    for (int i = 0; i < 3000; ++i) {
      const size_t bit = sizeof(rnl::RnlHeader) * 8 + rng() % payload_bits;
      const Status s = open_and_walk(flipped(original, bit)).status;
      if (s != Status::kCrcMismatch) BOOST_TEST(s == Status::kCrcMismatch, sample.name << " bit " << bit);
    }
  }
}

// With the CRC fixed up, header flips must be rejected or, when they happen to leave a
// consistent file, at least be safe to use.
BOOST_AUTO_TEST_CASE(header_bit_flips_are_safe) {
  for (const auto& sample : runnel::testdata::sample_models()) {
    const Bytes original = sample.writer.bytes();
    for (size_t bit = 0; bit < sizeof(rnl::RnlHeader) * 8; ++bit) {
      Bytes b = flipped(original, bit);
      runnel::testdata::fix_crc(b);
      const Result r = open_and_walk(b);
      // Only fields that can change without making the file inconsistent: the CRC itself
      // (fixed up), and data_offset when it still lies between the vocabulary blob's end
      // and the first tensor. Every count is tied to a table or to the input schema.
      const size_t byte = bit / 8;
      const auto in = [&](size_t field, size_t bytes) { return byte >= field && byte < field + bytes; };
      const bool may_pass = in(offsetof(rnl::RnlHeader, file_crc32), 4) || in(offsetof(rnl::RnlHeader, data_offset), 8);
      if (r.status == Status::kOk)
        BOOST_TEST(may_pass, sample.name << ": header bit " << bit << " flipped and accepted");
    }
  }
}

BOOST_AUTO_TEST_CASE(random_byte_garbage_is_safe) {
  std::mt19937 rng(7);
  const Bytes original = runnel::testdata::two_stream_model().bytes();
  for (int i = 0; i < 3000; ++i) {
    Bytes b = original;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) b[rng() % b.size()] = static_cast<uint8_t>(rng());
    runnel::testdata::fix_crc(b);
    open_and_walk(b);
  }
}
