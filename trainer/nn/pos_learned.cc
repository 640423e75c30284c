#include "trainer/nn/pos_learned.h"

#include <stdexcept>

namespace runnel::nn {

Var PosLearned::forward(const Context& ctx, const std::vector<Var>& in) const {
  const std::size_t T = ctx.steps();
  if (T > max_len_)
    throw std::invalid_argument("pos_learned '" + prefix() + "': sequence of " + std::to_string(T) +
                                " events is longer than max_len " + std::to_string(max_len_));
  return ag::add(in.at(0), ag::slice(param(ctx, "table"), 0, 0, T));
}

}  // namespace runnel::nn
