// Error measures shared by the finite-difference checks and the reference checker.
#ifndef RUNNEL_TRAINER_GRADCHECK_COMPARE_H_
#define RUNNEL_TRAINER_GRADCHECK_COMPARE_H_

#include <functional>
#include <vector>

#include "trainer/autograd/tensor.h"

namespace runnel::gradcheck {

template <class T>
using Array = ag::Array<T>;

// Relative error |a - b| / max(|a|, |b|, floor): relative for values of normal size, and
// absolute (scaled by 1/floor) for values near zero, where relative error means nothing.
constexpr double kRelativeFloor = 1e-3;
constexpr double kTolerance = 1e-6;  // float64 checks pass at or below this relative error

struct ErrorStats {
  double max_abs = 0;
  double max_rel = 0;
  bool shape_ok = true;
};

ErrorStats compare(const Array<double>& got, const Array<double>& want);

// A function of several float64 inputs, built from autograd ops.
using VarFn = std::function<ag::Var<double>(const std::vector<ag::Var<double>>&)>;

// d(sum(f(inputs) * grad_out)) / d(input k) by the five-point central difference
// (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h: truncation error O(h^4), so a step of
// 1e-4 keeps both truncation and rounding error near 1e-12 in float64. Inputs must sit
// further than 2h from kinks (relu at 0, ties in max).
std::vector<Array<double>> numeric_vjp(const VarFn& f, const std::vector<Array<double>>& inputs,
                                       const Array<double>& grad_out, double h = 1e-4);

// The same vector–Jacobian products by autograd (one backward pass).
std::vector<Array<double>> autograd_vjp(const VarFn& f, const std::vector<Array<double>>& inputs,
                                        const Array<double>& grad_out, Array<double>* output = nullptr);

// Worst relative error over all inputs of autograd against finite differences, with a
// random upstream gradient drawn from `seed`.
ErrorStats check_finite_differences(const VarFn& f, const std::vector<Array<double>>& inputs,
                                    unsigned seed = 1);

}  // namespace runnel::gradcheck

#endif  // RUNNEL_TRAINER_GRADCHECK_COMPARE_H_
