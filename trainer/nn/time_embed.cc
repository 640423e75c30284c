#include "trainer/nn/time_embed.h"

#include "trainer/autograd/positions.h"

namespace runnel::nn {

int64_t TimeEmbed::bucket(double dt, std::size_t n_buckets) {
  if (!(dt >= 1.0)) return 0;   // also NaN, which the engine rejects at step()
  return ag::time_bucket(dt, static_cast<std::int64_t>(n_buckets));
}

Var TimeEmbed::forward(const Context& ctx, const std::vector<Var>&) const {
  const std::size_t T = ctx.steps();
  xt::xarray<int64_t> ids = xt::zeros<int64_t>({ctx.rows(), T});
  for (std::size_t r = 0; r < ctx.rows(); ++r)
    for (std::size_t t = 1; t < T; ++t) ids(r, t) = bucket(ctx.batch.dt(ctx.row_begin + r, t), n_buckets_);
  return ag::embedding(param(ctx, "table"), ids);
}

}  // namespace runnel::nn
