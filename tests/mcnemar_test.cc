#define BOOST_TEST_MODULE mcnemar
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "trainer/data/mcnemar.h"

using namespace runnel::data;

BOOST_AUTO_TEST_CASE(exact_p_values) {
  BOOST_TEST(mcnemar_exact_p(0, 0) == 1.0);
  // All 10 discordant events one way: 2 * 0.5^10.
  BOOST_TEST(std::abs(mcnemar_exact_p(10, 0) - 2.0 / 1024) < 1e-12);
  BOOST_TEST(std::abs(mcnemar_exact_p(0, 10) - 2.0 / 1024) < 1e-12);
  // 3 vs 7: 2 * (1 + 10 + 45 + 120) / 1024.
  BOOST_TEST(std::abs(mcnemar_exact_p(3, 7) - 352.0 / 1024) < 1e-12);
  BOOST_TEST(mcnemar_exact_p(5, 5) == 1.0);
}

BOOST_AUTO_TEST_CASE(large_counts_agree_with_the_normal_approximation) {
  // b + c = 10 300: the continuity-corrected normal approximation, z = (|b - c| - 1) / sqrt(b + c),
  // p = erfc(z / sqrt 2), is accurate to a few percent here.
  const double p = mcnemar_exact_p(5000, 5300);
  const double z = (300.0 - 1.0) / std::sqrt(10300.0);
  const double approx = std::erfc(z / std::sqrt(2.0));
  BOOST_TEST(p > 0.0);
  BOOST_TEST(std::abs(p - approx) / approx < 0.05);
}

BOOST_AUTO_TEST_CASE(counts_discordant_pairs) {
  const McNemar r = mcnemar({1, 1, 0, 0, 1, 0}, {1, 0, 1, 0, 0, 0});
  BOOST_TEST(r.a_only == 2u);
  BOOST_TEST(r.b_only == 1u);
  BOOST_TEST(std::abs(r.p_value - 1.0) < 1e-12);   // 2 * P[X <= 1 | n = 3] = 2 * 4 / 8
  BOOST_CHECK_THROW(mcnemar({1}, {1, 0}), std::invalid_argument);
}
