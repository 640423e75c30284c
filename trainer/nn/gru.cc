#include "trainer/nn/gru.h"

#include <cmath>

namespace runnel::nn {

void Gru::init(Params& params, Rng& rng) const {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_));   // PyTorch's U(±1/sqrt(H))
  add_uniform(params, name("w_ih"), {3 * hidden_, in_}, bound, rng);
  add_uniform(params, name("w_hh"), {3 * hidden_, hidden_}, bound, rng);
  add_uniform(params, name("b_ih"), {3 * hidden_}, bound, rng);
  add_uniform(params, name("b_hh"), {3 * hidden_}, bound, rng);
}

}  // namespace runnel::nn
