#include "trainer/nn/cross_attention.h"

#include <cmath>
#include <stdexcept>

#include "trainer/nn/self_attention.h"

namespace runnel::nn {

CrossAttention::CrossAttention(std::string prefix, std::size_t d, std::size_t heads, std::size_t n_streams, float eps)
    : Module(std::move(prefix)), d_(d), heads_(heads), n_streams_(n_streams), eps_(eps) {
  if (heads == 0 || d % heads != 0) throw std::invalid_argument("cross_attention: heads must divide d");
  if (n_streams < 1 || n_streams > 8) throw std::invalid_argument("cross_attention: 1..8 streams");
}

void CrossAttention::init(Params& params, Rng& rng) const {
  add_normal(params, name("query"), {d_}, 1.0, rng);
  init_mha(*this, params, d_, rng);
  add_filled(params, name("gamma"), {d_}, 1.f);
  add_filled(params, name("beta"), {d_}, 0.f);
}

std::vector<std::string> CrossAttention::tensor_roles() const {
  std::vector<std::string> roles = {"query"};
  for (const std::string& r : mha_roles()) roles.push_back(r);
  roles.push_back("gamma");
  roles.push_back("beta");
  return roles;
}

Var CrossAttention::forward(const Context& ctx, const std::vector<Var>& in) const {
  const std::size_t dh = d_ / heads_;
  const Var& query = param(ctx, "query");
  Var streams = ag::stack(in, 2);  // [B, T, S, d]
  auto project = [&](const char* p) {
    return ag::linear(streams, param(ctx, std::string("w") + p), param(ctx, std::string("b") + p));
  };
  const float scale = 1.f / std::sqrt(static_cast<float>(dh));
  Var q = ag::reshape(ag::linear(ag::reshape(query, {1, d_}), param(ctx, "wq"), param(ctx, "bq")), {d_});
  Var att = ag::query_attention(ag::scale(q, scale), project("k"), project("v"), heads_);  // [B, T, d]
  Var y = ag::add(ag::linear(att, param(ctx, "wo"), param(ctx, "bo")), query);
  return ag::layer_norm(y, param(ctx, "gamma"), param(ctx, "beta"), eps_);
}

}  // namespace runnel::nn
