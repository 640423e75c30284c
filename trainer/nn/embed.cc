#include "trainer/nn/embed.h"

#include <cmath>
#include <stdexcept>

#include <xtensor/xview.hpp>

namespace runnel::nn {

Embed::Embed(std::string prefix, std::vector<int> fields, std::vector<std::size_t> vocab, std::size_t d)
    : Module(std::move(prefix)), fields_(std::move(fields)), vocab_(std::move(vocab)), d_(d) {
  if (fields_.empty() || fields_.size() > 8 || fields_.size() != vocab_.size())
    throw std::invalid_argument("embed: 1..8 fields, one vocabulary size each");
}

void Embed::init(Params& params, Rng& rng) const {
  const double stddev = 1.0 / std::sqrt(static_cast<double>(fields_.size()));
  for (std::size_t f = 0; f < fields_.size(); ++f)
    add_normal(params, name("table" + std::to_string(f)), {vocab_[f], d_}, stddev, rng);
}

Var Embed::forward(const Context& ctx, const std::vector<Var>&) const {
  Var sum;
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    xt::xarray<int64_t> ids =
        xt::view(ctx.batch.ids, xt::range(ctx.row_begin, ctx.row_end), xt::all(), fields_[f]);
    Var e = ag::embedding(param(ctx, "table" + std::to_string(f)), ids);
    sum = sum.defined() ? ag::add(sum, e) : e;
  }
  return sum;
}

std::vector<int32_t> Embed::hp() const {
  std::vector<int32_t> hp(10, 0);
  hp[0] = static_cast<int32_t>(fields_.size());
  for (std::size_t f = 0; f < fields_.size(); ++f) hp[1 + f] = fields_[f];
  hp[9] = static_cast<int32_t>(d_);
  return hp;
}

std::vector<std::string> Embed::tensor_roles() const {
  std::vector<std::string> roles;
  for (std::size_t f = 0; f < fields_.size(); ++f) roles.push_back("table" + std::to_string(f));
  return roles;
}

}  // namespace runnel::nn
