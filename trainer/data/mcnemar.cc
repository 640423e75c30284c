#include "trainer/data/mcnemar.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace runnel::data {

double mcnemar_exact_p(std::size_t b, std::size_t c) {
  const std::size_t n = b + c;
  if (n == 0) return 1.0;
  const std::size_t m = std::min(b, c);
  // Sum the binomial tail in log space (n can be tens of thousands): terms relative to
  // the largest one, k = m, which is the last of an increasing run since m <= n / 2.
  const double ln_half_n = static_cast<double>(n) * std::log(0.5);
  auto log_term = [&](std::size_t k) {
    return std::lgamma(double(n) + 1) - std::lgamma(double(k) + 1) - std::lgamma(double(n - k) + 1) + ln_half_n;
  };
  const double top = log_term(m);
  double sum = 0;
  for (std::size_t k = 0; k <= m; ++k) sum += std::exp(log_term(k) - top);
  return std::min(1.0, 2.0 * std::exp(top) * sum);
}

McNemar mcnemar(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("mcnemar: the two predictors scored different event counts");
  McNemar r;
  for (std::size_t i = 0; i < a.size(); ++i) {
    r.a_only += a[i] && !b[i];
    r.b_only += !a[i] && b[i];
  }
  r.p_value = mcnemar_exact_p(r.a_only, r.b_only);
  return r;
}

}  // namespace runnel::data
