// The "model" config section -> a flat nn::Graph (one module per .rnl record): the model
// section itself (static input, fusion, pooling), and the public calls. Streams, encoders
// and heads are built in files of their own; losses and metrics are in forward_loss.cc.
// models/MODEL_CONFIG.md documents every field.
#include "trainer/model/sequence_model.h"

#include "trainer/model/model_impl.h"

namespace runnel::model {

using config::ObjectReader;
using nlohmann::json;
using namespace detail;
using nn::Var;

SequenceModel::Impl::Impl(const json& section, const data::DataSchema& s) : schema(s) {
  const ObjectReader r(section, "model", {"d", "dropout", "streams", "static", "fusion", "pooling", "heads"});
  const std::size_t d = r.uint("d", 32, 1, kMaxWidth);
  dropout = static_cast<float>(r.number("dropout", 0.0, 0.0, 0.9));
  if (!r.has("streams") || !r.raw("streams").is_array() || r.raw("streams").empty() || r.raw("streams").size() > 8)
    r.fail("streams", "an array of 1..8 stream objects");
  std::vector<int> streams;
  for (std::size_t i = 0; i < r.raw("streams").size(); ++i) streams.push_back(build_stream(r.raw("streams")[i], i, d));

  // Static features, optionally through a dense layer.
  int statics = -1;
  if (r.has("static")) {
    const ObjectReader st(r.raw("static"), r.at("static"), {"features", "dense", "activation"});
    const std::vector<std::string> names = st.has("features") ? st.strings("features") : schema.statics;
    if (names.empty()) st.fail("features", "names of the data's static features (the data has " +
                                               std::to_string(schema.statics.size()) + ")");
    const int first = index_of(schema.statics, names[0]);
    for (std::size_t k = 0; k < names.size(); ++k)
      if (first < 0 || index_of(schema.statics, names[k]) != first + static_cast<int>(k))
        st.fail("features", "static feature names that are consecutive in the data's static order");
    statics = graph.emplace<nn::StaticInput>({}, first, names.size());
    const std::size_t dense = st.uint("dense", 0, 0, kMaxWidth);
    if (dense > 0)
      statics = graph.emplace<nn::Dense>({statics}, "static.dense", names.size(), dense,
                                         activation_of(st, "activation", "relu"));
  }

  // Fusion: z(t).
  int z = -1;
  const json no_fusion = json::object();
  const ObjectReader fu(r.has("fusion") ? r.raw("fusion") : no_fusion, r.at("fusion"),
                        {"kind", "d", "heads", "activation", "eps"});
  const std::string fusion = fu.choice("kind", "concat", {"concat", "cross_attention"});
  std::vector<int> inputs = streams;
  if (statics >= 0) inputs.push_back(statics);
  if (inputs.size() > 8) throw ConfigError("model: at most 8 fusion inputs (streams plus static), got " +
                                           std::to_string(inputs.size()));
  if (fusion == "concat") {
    std::vector<std::size_t> widths;
    for (int i : inputs) widths.push_back(graph.width(i));
    const int c = inputs.size() == 1 ? inputs[0] : graph.emplace<nn::Concat>(inputs, widths);
    z = graph.emplace<nn::Dense>({c}, "fusion.dense", graph.width(c), fu.uint("d", d, 1, kMaxWidth),
                                 activation_of(fu, "activation", "relu"));
  } else {
    const std::size_t w = graph.width(inputs[0]);
    for (std::size_t i = 0; i < inputs.size(); ++i)
      if (graph.width(inputs[i]) != w)
        throw ConfigError("model.fusion.kind: cross_attention needs every stream (and the static dense) of one "
                          "width, got " + std::to_string(graph.width(inputs[i])) + " and " + std::to_string(w) +
                          (statics >= 0 ? " (set model.static.dense to the stream width)" : ""));
    const std::size_t heads = fu.uint("heads", 1, 1, rnl::kMaxHeads);
    if (w % heads != 0) fu.fail("heads", "a divisor of the stream width " + std::to_string(w));
    z = graph.emplace<nn::CrossAttention>(inputs, "fusion.xattn", w, heads, inputs.size(),
                                          static_cast<float>(fu.number("eps", 1e-5, 1e-12, 1.0)));
  }

  graph.set_dropout(z, dropout);

  // Pooling for sequence-level heads (all streaming, so the pooled vector exists at every t).
  int pooled = z;
  const json no_pooling = json::object();
  const ObjectReader po(r.has("pooling") ? r.raw("pooling") : no_pooling, r.at("pooling"),
                        {"kind", "l2_normalize", "projection", "activation"});
  const std::string pool = po.choice("kind", "last", {"last", "mean", "max", "cls"});
  const std::size_t zw = graph.width(z);
  if (pool == "mean") pooled = graph.emplace<nn::Cumulative>({z}, zw, rnl::Reduce::kMean);
  if (pool == "max") pooled = graph.emplace<nn::Cumulative>({z}, zw, rnl::Reduce::kMax);
  if (pool == "cls") pooled = graph.emplace<nn::AttentionPool>({z}, "pool.cls", zw);
  if (po.boolean("l2_normalize", false)) pooled = graph.emplace<nn::L2Normalize>({pooled}, zw, 1e-12f);
  const std::size_t projection = po.uint("projection", 0, 0, kMaxWidth);
  if (projection > 0)
    pooled = graph.emplace<nn::Dense>({pooled}, "pool.proj", zw, projection, activation_of(po, "activation", "none"));

  if (!r.has("heads") || !r.raw("heads").is_array() || r.raw("heads").empty())
    r.fail("heads", "a non-empty array of head objects");
  for (std::size_t i = 0; i < r.raw("heads").size(); ++i) build_head(r.raw("heads")[i], i, z, pooled);
  double weights = 0;
  for (const Head& h : heads) weights += h.spec.weight;
  if (!(weights > 0)) throw ConfigError("model.heads: expected at least one head with weight > 0");
  if (graph.size() > rnl::kMaxNodes)
    throw ConfigError("model: " + std::to_string(graph.size()) + " ops, more than the engine's " +
                      std::to_string(rnl::kMaxNodes) + " (RUNNEL_MAX_NODES)");
}

SequenceModel::SequenceModel(const json& model_section, const data::DataSchema& schema)
    : impl_(std::make_unique<Impl>(model_section, schema)) {}
SequenceModel::~SequenceModel() = default;
SequenceModel::SequenceModel(SequenceModel&&) noexcept = default;

void SequenceModel::init_parameters(ag::ParameterSet<float>& params, uint64_t seed) const {
  impl_->graph.init(params, seed);
}

uint64_t SequenceModel::parameter_count() const { return impl_->graph.parameter_count(); }

const std::vector<HeadSpec>& SequenceModel::heads() const { return impl_->specs; }
const data::DataSchema& SequenceModel::schema() const { return impl_->schema; }

rnl::RnlWriter SequenceModel::export_rnl(const ag::ParameterSet<float>& params) const {
  std::vector<std::string> names;
  for (const Head& h : impl_->heads) names.push_back(h.spec.name);
  return nn::export_graph(impl_->graph, params, impl_->schema, impl_->extra_vocabs, names);
}

std::map<std::string, xt::xarray<float>> SequenceModel::outputs(const ag::ParameterSet<float>& params,
                                                                 const data::Batch& batch) const {
  ag::NoGradGuard no_grad;
  const nn::Context ctx{params, batch, 0, batch.rows};
  const std::vector<Var> values = impl_->graph.forward(ctx);
  std::map<std::string, xt::xarray<float>> out;
  for (const Head& h : impl_->heads) out[h.spec.name] = values[h.output_node].value();
  return out;
}

}  // namespace runnel::model
