#include "trainer/nn/numeric.h"

#include <xtensor/xview.hpp>

namespace runnel::nn {

Var Numeric::forward(const Context& ctx, const std::vector<Var>&) const {
  xt::xarray<float> x = xt::view(ctx.batch.numeric, xt::range(ctx.row_begin, ctx.row_end), xt::all(),
                                 xt::range(first_, first_ + count_));
  return ag::linear(ag::constant<float>(std::move(x)), param(ctx, "w"), param(ctx, "b"));
}

}  // namespace runnel::nn
