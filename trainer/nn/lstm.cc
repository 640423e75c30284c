#include "trainer/nn/lstm.h"

#include <cmath>

namespace runnel::nn {

void Lstm::init(Params& params, Rng& rng) const {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_));   // PyTorch's U(±1/sqrt(H))
  add_uniform(params, name("w_ih"), {4 * hidden_, in_}, bound, rng);
  add_uniform(params, name("w_hh"), {4 * hidden_, hidden_}, bound, rng);
  add_uniform(params, name("b_ih"), {4 * hidden_}, bound, rng);
  add_uniform(params, name("b_hh"), {4 * hidden_}, bound, rng);
}

}  // namespace runnel::nn
