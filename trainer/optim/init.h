// Seeded parameter initialisation (PyTorch's formulas). Fans follow PyTorch: for a
// weight [out, in, k...], fan_in = in·k..., fan_out = out·k...; a 1-D tensor has
// fan_in = fan_out = its size.
#ifndef RUNNEL_TRAINER_OPTIM_INIT_H_
#define RUNNEL_TRAINER_OPTIM_INIT_H_

#include <random>

#include "trainer/autograd/tensor.h"

namespace runnel::optim {

using Rng = std::mt19937_64;

struct Fans {
  double in, out;
};
Fans fans(const ag::Shape& shape);

// U(-a, a), a = gain·sqrt(6 / (fan_in + fan_out)).
template <class T> ag::Array<T> xavier_uniform(const ag::Shape& shape, Rng& rng, double gain = 1.0);
// N(0, gain²·2 / (fan_in + fan_out)).
template <class T> ag::Array<T> xavier_normal(const ag::Shape& shape, Rng& rng, double gain = 1.0);
// U(-b, b), b = gain·sqrt(3 / fan_in); gain sqrt(2) suits ReLU.
template <class T> ag::Array<T> kaiming_uniform(const ag::Shape& shape, Rng& rng, double gain = 1.4142135623730951);
// N(0, gain² / fan_in).
template <class T> ag::Array<T> kaiming_normal(const ag::Shape& shape, Rng& rng, double gain = 1.4142135623730951);
template <class T> ag::Array<T> uniform(const ag::Shape& shape, Rng& rng, double lo, double hi);
template <class T> ag::Array<T> normal(const ag::Shape& shape, Rng& rng, double stddev);

}  // namespace runnel::optim

#endif  // RUNNEL_TRAINER_OPTIM_INIT_H_
