// Helpers shared by the op files (not part of the public API).
#ifndef RUNNEL_TRAINER_AUTOGRAD_DETAIL_H_
#define RUNNEL_TRAINER_AUTOGRAD_DETAIL_H_

#include <stdexcept>
#include <string>

#include "trainer/autograd/tensor.h"

namespace runnel::ag::detail {

// A contiguous row-major array seen as [outer, n, inner] around one axis: element
// (o, i, r) sits at (o * n + i) * inner + r. Most axis-wise ops loop over this view.
struct AxisView {
  std::size_t outer = 1, n = 1, inner = 1;
  std::size_t at(std::size_t o, std::size_t i, std::size_t r) const { return (o * n + i) * inner + r; }
};

inline std::size_t normalize_axis(int axis, std::size_t dims, const char* op) {
  const int d = static_cast<int>(dims);
  if (axis < -d || axis >= d)
    throw std::invalid_argument(std::string(op) + ": axis " + std::to_string(axis) +
                                " out of range for " + std::to_string(dims) + " dimensions");
  return static_cast<std::size_t>(axis < 0 ? axis + d : axis);
}

template <class S>
AxisView axis_view(const S& shape, std::size_t axis) {
  AxisView v;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (d < axis) v.outer *= shape[d];
    else if (d == axis) v.n = shape[d];
    else v.inner *= shape[d];
  }
  return v;
}

template <class T>
Shape shape_of(const Array<T>& a) { return Shape(a.shape().begin(), a.shape().end()); }

template <class T>
Array<T> zeros(const Shape& s) { Array<T> a(s); a.fill(T(0)); return a; }

template <class T>
Array<T> scalar(T v) { Array<T> a = Array<T>::from_shape({}); a() = v; return a; }

[[noreturn]] inline void shape_error(const char* op, const std::string& what) {
  throw std::invalid_argument(std::string(op) + ": " + what);
}

std::string shape_str(const Shape& s);

// C = alpha * op(A) · op(B) + beta * C, row-major, through BLAS with one thread.
template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha,
          const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

}  // namespace runnel::ag::detail

#endif  // RUNNEL_TRAINER_AUTOGRAD_DETAIL_H_
