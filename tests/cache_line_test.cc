// engine/cache_line.h: round_to_line rounds a count of T up to whole 64-byte lines, in
// size_t by default and in a wider count type when the caller names one (the memory
// plan's 64-bit sums, which must not wrap where size_t has 32 bits).
#define BOOST_TEST_MODULE cache_line
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <type_traits>

#include "engine/cache_line.h"

using runnel::round_to_line;

static_assert(round_to_line<float>(0) == 0);
static_assert(round_to_line<float>(1) == 16);
static_assert(round_to_line<float>(16) == 16);
static_assert(round_to_line<unsigned char>(65) == 128);
static_assert(round_to_line<double>(9) == 16);

BOOST_AUTO_TEST_CASE(rounds_in_the_count_type_the_caller_names) {
  const uint64_t above_32_bits = (uint64_t{1} << 40) + 1;
  const uint64_t rounded = round_to_line<float, uint64_t>(above_32_bits);
  const uint64_t whole = round_to_line<float, uint64_t>(uint64_t{1} << 50);
  BOOST_TEST(rounded == (uint64_t{1} << 40) + 16);
  BOOST_TEST(whole == uint64_t{1} << 50);
  static_assert(std::is_same_v<decltype(round_to_line<float, uint64_t>(1)), uint64_t>);
  static_assert(std::is_same_v<decltype(round_to_line<float>(1u)), size_t>);   // a narrower argument widens
}
