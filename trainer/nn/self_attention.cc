#include "trainer/nn/self_attention.h"

#include <cmath>
#include <stdexcept>

namespace runnel::nn {

SelfAttention::SelfAttention(std::string prefix, std::size_t d, std::size_t heads, std::size_t window,
                             rnl::PositionBias bias)
    : Module(std::move(prefix)), d_(d), heads_(heads), window_(window), bias_(bias) {
  if (heads == 0 || d % heads != 0) throw std::invalid_argument("self_attention: heads must divide d");
}

const std::vector<std::string>& mha_roles() {
  static const std::vector<std::string> roles = {"wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo"};
  return roles;
}

void init_mha(const Module& m, Params& params, std::size_t d, Rng& rng) {
  for (const char* p : {"q", "k", "v", "o"})
    init_linear(params, m.name(std::string("w") + p), m.name(std::string("b") + p), d, d, rng);
}

void SelfAttention::init(Params& params, Rng& rng) const {
  init_mha(*this, params, d_, rng);
  if (bias_ == rnl::PositionBias::kRelative) add_filled(params, name("rel_bias"), {heads_, window_}, 0.f);
}

std::vector<std::string> SelfAttention::tensor_roles() const {
  std::vector<std::string> roles = mha_roles();
  if (bias_ == rnl::PositionBias::kRelative) roles.push_back("rel_bias");
  return roles;
}

Var SelfAttention::forward(const Context& ctx, const std::vector<Var>& in) const {
  const Var& x = in.at(0);
  auto project = [&](const char* p) {  // [B, T, d], heads side by side
    return ag::linear(x, param(ctx, std::string("w") + p), param(ctx, std::string("b") + p));
  };
  Var bias;
  if (bias_ == rnl::PositionBias::kRelative) bias = param(ctx, "rel_bias");
  if (bias_ == rnl::PositionBias::kAlibi) bias = ag::constant<float>(ag::alibi_bias<float>(heads_, window_));
  const float scale = 1.f / std::sqrt(static_cast<float>(d_ / heads_));
  Var att = ag::multi_head_causal_attention(project("q"), project("k"), project("v"), heads_, window_, scale, bias);
  return ag::linear(att, param(ctx, "wo"), param(ctx, "bo"));
}

}  // namespace runnel::nn
