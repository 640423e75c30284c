#include "trainer/nn/time_embed.h"

#include <cmath>

namespace runnel::nn {

int64_t TimeEmbed::bucket(double dt, std::size_t n_buckets) {
  if (!(dt >= 1.0)) return 0;
  int e = 0;
  std::frexp(dt, &e);   // dt = m * 2^e, m in [0.5, 1): e = bit width of floor(dt)
  return e < static_cast<int>(n_buckets) - 1 ? e : static_cast<int64_t>(n_buckets) - 1;
}

Var TimeEmbed::forward(const Context& ctx, const std::vector<Var>&) const {
  const std::size_t T = ctx.steps();
  xt::xarray<int64_t> ids = xt::zeros<int64_t>({ctx.rows(), T});
  for (std::size_t r = 0; r < ctx.rows(); ++r)
    for (std::size_t t = 1; t < T; ++t) ids(r, t) = bucket(ctx.batch.dt(ctx.row_begin + r, t), n_buckets_);
  return ag::embedding(param(ctx, "table"), ids);
}

}  // namespace runnel::nn
