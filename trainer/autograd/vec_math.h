// Vectorised loops for the row-wise hot spots of training (softmax rows of attention and
// cross-entropy, layer-norm statistics). std::exp and scalar float reductions do not
// vectorise without -ffast-math; xsimd batches do, with a fixed summation order, so the
// results are the same on every thread and every run.
#ifndef RUNNEL_TRAINER_AUTOGRAD_VEC_MATH_H_
#define RUNNEL_TRAINER_AUTOGRAD_VEC_MATH_H_

#include <cmath>
#include <cstddef>

#include <xsimd/xsimd.hpp>

namespace runnel::ag::vec {

template <class T>
using Batch = xsimd::batch<T>;

// x[i] = exp(x[i] - shift)
template <class T>
void exp_shifted(T* x, std::size_t n, T shift) {
  constexpr std::size_t W = Batch<T>::size;
  std::size_t i = 0;
  const Batch<T> s(shift);
  for (; i + W <= n; i += W) xsimd::exp(Batch<T>::load_unaligned(x + i) - s).store_unaligned(x + i);
  for (; i < n; ++i) x[i] = std::exp(x[i] - shift);
}

template <class T>
T sum(const T* x, std::size_t n) {
  constexpr std::size_t W = Batch<T>::size;
  Batch<T> acc(T(0));
  std::size_t i = 0;
  for (; i + W <= n; i += W) acc += Batch<T>::load_unaligned(x + i);
  T s = xsimd::hadd(acc);
  for (; i < n; ++i) s += x[i];
  return s;
}

template <class T>
T dot(const T* a, const T* b, std::size_t n) {
  constexpr std::size_t W = Batch<T>::size;
  Batch<T> acc(T(0));
  std::size_t i = 0;
  for (; i + W <= n; i += W) acc = xsimd::fma(Batch<T>::load_unaligned(a + i), Batch<T>::load_unaligned(b + i), acc);
  T s = xsimd::hadd(acc);
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

template <class T>
T max(const T* x, std::size_t n) {
  T m = x[0];
  for (std::size_t i = 1; i < n; ++i) m = std::max(m, x[i]);
  return m;
}

// x[i] *= a
template <class T>
void scale(T* x, std::size_t n, T a) {
  for (std::size_t i = 0; i < n; ++i) x[i] *= a;
}

// x = softmax(x), shifted by the maximum for stability.
template <class T>
void softmax(T* x, std::size_t n) {
  exp_shifted(x, n, max(x, n));
  scale(x, n, T(1) / sum(x, n));
}

}  // namespace runnel::ag::vec

#endif  // RUNNEL_TRAINER_AUTOGRAD_VEC_MATH_H_
