#include "trainer/nn/copy_head.h"

#include <cmath>
#include <stdexcept>

#include <xtensor/xview.hpp>

namespace runnel::nn {

CopyHead::CopyHead(std::string prefix, int field, std::size_t vocab, std::size_t d, std::size_t key_dim,
                   std::size_t window)
    : Module(std::move(prefix)), field_(field), vocab_(vocab), d_(d), key_dim_(key_dim), window_(window) {
  if (field < 0 || vocab == 0 || d == 0 || key_dim == 0 || window == 0)
    throw std::invalid_argument("copy_head: field >= 0 and vocab, d, key_dim, window >= 1");
}

// Projections as PyTorch's nn.Linear; keys like embedding rows; relative bias 0 and gate
// bias 0, so training starts from an even mixture with a uniform pointer over the window.
void CopyHead::init(Params& params, Rng& rng) const {
  init_linear(params, name("wq"), name("bq"), key_dim_, d_, rng);
  add_normal(params, name("keys"), {vocab_, key_dim_}, 1.0, rng);
  add_filled(params, name("bias"), {window_}, 0.f);
  init_linear(params, name("wg"), name("bg"), 1, d_, rng);
}

Var CopyHead::forward(const Context& ctx, const std::vector<Var>& in) const {
  const Var q = ag::linear(in.at(0), param(ctx, "wq"), param(ctx, "bq"));
  const Var gate = ag::linear(in.at(0), param(ctx, "wg"), param(ctx, "bg"));
  const xt::xarray<int64_t> ids = xt::view(ctx.batch.ids, xt::range(ctx.row_begin, ctx.row_end), xt::all(), field_);
  return ag::copy_mixture(q, param(ctx, "keys"), param(ctx, "bias"), gate, in.at(1), ids, rnl::kCopyHeadEps);
}

}  // namespace runnel::nn
