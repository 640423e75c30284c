#include "trainer/nn/pos_sinusoidal.h"

#include "trainer/autograd/positions.h"

namespace runnel::nn {

Var PosSinusoidal::forward(const Context& ctx, const std::vector<Var>& in) const {
  // x + PE is rounded once from double, as the engine does.
  const std::size_t T = ctx.steps();
  const xt::xarray<double> pe = ag::sinusoidal_positions<double>(T, d_);
  const xt::xarray<float>& x = in.at(0).value();
  xt::xarray<float> exact = xt::zeros<float>(x.shape());
  for (std::size_t r = 0; r < x.shape()[0]; ++r)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t j = 0; j < d_; ++j)
        exact(r, t, j) = static_cast<float>(static_cast<double>(x(r, t, j)) + pe(t, j));
  // Value: the double-rounded sum; gradient: identity to x (PE is a constant).
  return ag::add(in[0], ag::constant<float>(exact - x));
}

}  // namespace runnel::nn
