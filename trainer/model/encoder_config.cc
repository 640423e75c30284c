// model.streams[i].encoder: the kinds of sequence encoder and the modules each one builds.
#include <algorithm>

#include "trainer/model/model_impl.h"

namespace runnel::model {

using config::ObjectReader;
using nlohmann::json;
using namespace detail;

int SequenceModel::Impl::build_encoder(const json& j, const std::string& path, const std::string& prefix, int x) {
  const ObjectReader r(j, path, {"kind", "window", "alpha", "layers", "kernel", "dilations", "activation",
                                 "hidden", "heads", "ff", "position_bias", "eps"});
  const std::string kind = r.choice("kind", "", {"mean", "max", "sum", "linear_decay", "exp_decay",
                                                 "learned_pos_weights", "attention_pool", "conv", "gru", "lstm",
                                                 "transformer"});
  const std::size_t d = graph.width(x);
  if (kind == "mean") return graph.emplace<nn::Cumulative>({x}, d, rnl::Reduce::kMean);
  if (kind == "max") return graph.emplace<nn::Cumulative>({x}, d, rnl::Reduce::kMax);
  if (kind == "sum") return graph.emplace<nn::Cumulative>({x}, d, rnl::Reduce::kSum);
  if (kind == "linear_decay") return graph.emplace<nn::LinearDecay>({x}, d, r.required_uint("window", 1, rnl::kMaxWindow));
  if (kind == "exp_decay") {
    if (!r.has("alpha")) r.fail("alpha", "a number in [0, 1)");
    const double alpha = r.number("alpha", 0.9, 0.0, 0.999999);
    return graph.emplace<nn::ExpDecay>({x}, d, static_cast<float>(alpha));
  }
  if (kind == "learned_pos_weights")
    return graph.emplace<nn::LearnedPosWeights>({x}, prefix + ".lpw", d, r.required_uint("window", 1, rnl::kMaxWindow));
  if (kind == "attention_pool") return graph.emplace<nn::AttentionPool>({x}, prefix + ".pool", d);
  if (kind == "conv") {
    const std::size_t layers = r.uint("layers", 2, 1, 64);
    const std::size_t kernel = r.uint("kernel", 3, 1, 256);
    std::vector<std::size_t> dil = r.uints("dilations");
    if (dil.empty())
      for (std::size_t l = 0; l < layers; ++l) dil.push_back(std::size_t{1} << std::min<std::size_t>(l, 12));
    if (dil.size() != layers) r.fail("dilations", "one dilation per layer (" + std::to_string(layers) + ")");
    const rnl::Activation act = activation_of(r, "activation", "relu");
    const std::size_t channels = r.uint("hidden", d, 1, kMaxWidth);
    for (std::size_t l = 0; l < layers; ++l) {
      if ((kernel - 1) * dil[l] + 1 > rnl::kMaxWindow)
        r.fail("dilations", "(kernel-1)*dilation+1 <= " + std::to_string(rnl::kMaxWindow));
      x = graph.emplace<nn::Conv1d>({x}, prefix + ".conv" + std::to_string(l), graph.width(x), channels, kernel,
                                    dil[l], act);
    }
    return x;
  }
  if (kind == "gru" || kind == "lstm") {
    const std::size_t layers = r.uint("layers", 1, 1, 16);
    const std::size_t hidden = r.uint("hidden", d, 1, kMaxWidth);
    for (std::size_t l = 0; l < layers; ++l) {
      const std::string p = prefix + "." + kind + std::to_string(l);
      x = kind == "gru" ? graph.emplace<nn::Gru>({x}, p, graph.width(x), hidden)
                        : graph.emplace<nn::Lstm>({x}, p, graph.width(x), hidden);
    }
    return x;
  }
  // transformer: pre-LN blocks, then a final LayerNorm.
  const std::size_t layers = r.uint("layers", 2, 1, 64);
  const std::size_t heads = r.uint("heads", 2, 1, rnl::kMaxHeads);
  if (d % heads != 0) r.fail("heads", "a divisor of the stream width " + std::to_string(d));
  const std::size_t ff = r.uint("ff", 4 * d, 1, kMaxWidth);
  const std::size_t window = r.required_uint("window", 1, rnl::kMaxWindow);
  const std::string bias_name = r.choice("position_bias", "none", {"none", "relative", "alibi"});
  const rnl::PositionBias bias = bias_name == "relative" ? rnl::PositionBias::kRelative
                                 : bias_name == "alibi"  ? rnl::PositionBias::kAlibi
                                                         : rnl::PositionBias::kNone;
  const float eps = static_cast<float>(r.number("eps", 1e-5, 1e-12, 1.0));
  const rnl::Activation act = activation_of(r, "activation", "gelu");
  for (std::size_t l = 0; l < layers; ++l) {
    const std::string p = prefix + ".layer" + std::to_string(l);
    const int n1 = graph.emplace<nn::LayerNorm>({x}, p + ".ln1", d, eps);
    const int a = graph.emplace<nn::SelfAttention>({n1}, p + ".attn", d, heads, window, bias);
    graph.set_dropout(a, dropout);
    const int r1 = graph.emplace<nn::Add>({x, a}, d);
    const int n2 = graph.emplace<nn::LayerNorm>({r1}, p + ".ln2", d, eps);
    const int f1 = graph.emplace<nn::Dense>({n2}, p + ".ff1", d, ff, act);
    const int f2 = graph.emplace<nn::Dense>({f1}, p + ".ff2", ff, d, rnl::Activation::kNone);
    graph.set_dropout(f2, dropout);
    x = graph.emplace<nn::Add>({r1, f2}, d);
  }
  return graph.emplace<nn::LayerNorm>({x}, prefix + ".ln_f", d, eps);
}

}  // namespace runnel::model
