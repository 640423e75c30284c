#include "engine/layers/numeric.h"

#include "engine/kernels/kernels.h"

namespace runnel::layers {

Status Numeric::step(const StepArgs& a, float*, float*, float* out) const {
  if (a.event == nullptr || first < 0 || first + count > a.event->n_numeric ||
      (count > 0 && a.event->numeric == nullptr))
    return Status::kBadArgument;
  const float* x = a.event->numeric + first;
  if (!all_finite(x, count)) return Status::kNonFinite;
  kernels::matvec(w, x, b, d, count, out);
  return Status::kOk;
}

}  // namespace runnel::layers
