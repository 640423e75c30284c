// McNemar's paired test: two predictors scored on the same events. Only the discordant
// events count: b = A right and B wrong, c = A wrong and B right. Under "A and B are
// equally accurate" each discordant event is a fair coin, so the exact two-sided p-value
// is min(1, 2 · P[Binomial(b + c, 1/2) <= min(b, c)]) (b + c = 0: p = 1).
#ifndef RUNNEL_TRAINER_DATA_MCNEMAR_H_
#define RUNNEL_TRAINER_DATA_MCNEMAR_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace runnel::data {

struct McNemar {
  std::size_t a_only = 0;   // b: A right, B wrong
  std::size_t b_only = 0;   // c: A wrong, B right
  double p_value = 1.0;     // exact two-sided
};

double mcnemar_exact_p(std::size_t b, std::size_t c);

// a[i], b[i]: 1 when predictor A (B) got event i right; same length (throws
// std::invalid_argument otherwise).
McNemar mcnemar(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_MCNEMAR_H_
