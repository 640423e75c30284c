#include "trainer/nn/output.h"

namespace runnel::nn {

Var Output::forward(const Context&, const std::vector<Var>& in) const {
  if (kind_ == rnl::OutputKind::kCategorical || (scale_ == 1.0f && shift_ == 0.0f)) return in.at(0);
  // The engine computes scale * x + shift in float: the same here.
  return ag::add(ag::scale(in.at(0), scale_), ag::constant<float>(xt::xarray<float>(shift_)));
}

std::vector<int32_t> Output::hp() const {
  if (kind_ == rnl::OutputKind::kCategorical) return {static_cast<int32_t>(kind_), field_, numeric_};
  return {static_cast<int32_t>(kind_), field_, numeric_, float_hp(scale_), float_hp(shift_)};
}

}  // namespace runnel::nn
