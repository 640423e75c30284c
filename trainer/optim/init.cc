#include "trainer/optim/init.h"

#include <cmath>
#include <stdexcept>

namespace runnel::optim {

Fans fans(const ag::Shape& shape) {
  if (shape.empty()) throw std::invalid_argument("init: a scalar has no fans");
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  double receptive = 1;
  for (std::size_t d = 2; d < shape.size(); ++d) receptive *= double(shape[d]);
  return {double(shape[1]) * receptive, double(shape[0]) * receptive};
}

// Values are drawn in double and rounded, so float32 and float64 models built from the
// same seed start from the same numbers.
template <class T>
ag::Array<T> uniform(const ag::Shape& shape, Rng& rng, double lo, double hi) {
  std::uniform_real_distribution<double> u(lo, hi);
  ag::Array<T> a(shape);
  for (auto& v : a) v = T(u(rng));
  return a;
}

template <class T>
ag::Array<T> normal(const ag::Shape& shape, Rng& rng, double stddev) {
  std::normal_distribution<double> n(0.0, stddev);
  ag::Array<T> a(shape);
  for (auto& v : a) v = T(n(rng));
  return a;
}

template <class T>
ag::Array<T> xavier_uniform(const ag::Shape& shape, Rng& rng, double gain) {
  const Fans f = fans(shape);
  const double a = gain * std::sqrt(6.0 / (f.in + f.out));
  return uniform<T>(shape, rng, -a, a);
}

template <class T>
ag::Array<T> xavier_normal(const ag::Shape& shape, Rng& rng, double gain) {
  const Fans f = fans(shape);
  return normal<T>(shape, rng, gain * std::sqrt(2.0 / (f.in + f.out)));
}

template <class T>
ag::Array<T> kaiming_uniform(const ag::Shape& shape, Rng& rng, double gain) {
  const double b = gain * std::sqrt(3.0 / fans(shape).in);
  return uniform<T>(shape, rng, -b, b);
}

template <class T>
ag::Array<T> kaiming_normal(const ag::Shape& shape, Rng& rng, double gain) {
  return normal<T>(shape, rng, gain / std::sqrt(fans(shape).in));
}

#define RUNNEL_INSTANTIATE(T)                                                   \
  template ag::Array<T> uniform<T>(const ag::Shape&, Rng&, double, double);     \
  template ag::Array<T> normal<T>(const ag::Shape&, Rng&, double);              \
  template ag::Array<T> xavier_uniform<T>(const ag::Shape&, Rng&, double);      \
  template ag::Array<T> xavier_normal<T>(const ag::Shape&, Rng&, double);       \
  template ag::Array<T> kaiming_uniform<T>(const ag::Shape&, Rng&, double);     \
  template ag::Array<T> kaiming_normal<T>(const ag::Shape&, Rng&, double);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::optim
