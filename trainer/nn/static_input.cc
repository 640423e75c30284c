#include "trainer/nn/static_input.h"

namespace runnel::nn {

Var StaticInput::forward(const Context& ctx, const std::vector<Var>&) const {
  xt::xarray<float> x = xt::zeros<float>({ctx.rows(), ctx.steps(), count_});
  for (std::size_t r = 0; r < ctx.rows(); ++r)
    for (std::size_t t = 0; t < ctx.steps(); ++t)
      for (std::size_t i = 0; i < count_; ++i) x(r, t, i) = ctx.batch.statics(ctx.row_begin + r, first_ + i);
  return constant_sequence(std::move(x));
}

}  // namespace runnel::nn
