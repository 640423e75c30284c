#include "trainer/nn/conv1d.h"

#include <cmath>

namespace runnel::nn {

void Conv1d::init(Params& params, Rng& rng) const {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in_ * kernel_));   // PyTorch Conv1d
  add_uniform(params, name("w"), {out_, in_, kernel_}, bound, rng);
  add_uniform(params, name("b"), {out_}, bound, rng);
}

}  // namespace runnel::nn
