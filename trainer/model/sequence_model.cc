// The "model" config section -> a flat nn::Graph (one module per .rnl record), losses and
// metrics over it. models/MODEL_CONFIG.md documents every field.
#include "trainer/model/sequence_model.h"

#include <algorithm>
#include <cmath>

#include <xtensor/xadapt.hpp>

#include "trainer/model/config_reader.h"
#include "trainer/nn/modules.h"
#include "trainer/nn/graph.h"

namespace runnel::model {

using nn::Graph;
using nn::Var;
using nlohmann::json;

void HeadStats::add(const HeadStats& o) {
  loss_sum += o.loss_sum;
  count += o.count;
  correct += o.correct;
  correct_top5 += o.correct_top5;
  auto add_vec = [](std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    if (a.size() < b.size()) a.resize(b.size(), 0);
    for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
  };
  add_vec(true_positive, o.true_positive);
  add_vec(predicted, o.predicted);
  add_vec(actual, o.actual);
}

namespace {

constexpr std::size_t kMaxWidth = 1u << 16;

struct Head {
  HeadSpec spec;
  int output_node = -1;
  std::size_t width = 0;
};

rnl::Activation activation_of(const ObjectReader& r, const std::string& key, const std::string& def) {
  const std::string name = r.choice(key, def, {"none", "relu", "gelu", "gelu_tanh", "gelu_erf", "tanh", "sigmoid"});
  rnl::Activation a = rnl::Activation::kNone;
  nn::parse_activation(name, &a);
  return a;
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

std::string element(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

}  // namespace

struct SequenceModel::Impl {
  data::DataSchema schema;
  Graph graph;
  std::vector<Head> heads;
  std::vector<HeadSpec> specs;
  std::vector<nn::ExtraVocab> extra_vocabs;
  float dropout = 0.f;

  Impl(const json& section, const data::DataSchema& s);
  int build_stream(const json& j, std::size_t index, std::size_t default_d);
  int build_encoder(const json& j, const std::string& path, const std::string& prefix, int x);
  void build_head(const json& j, std::size_t index, int event_in, int sequence_in);
};

// --- streams ---------------------------------------------------------------------------
int SequenceModel::Impl::build_stream(const json& j, std::size_t index, std::size_t default_d) {
  const std::string path = element("model.streams", index);
  const ObjectReader r(j, path, {"name", "fields", "numeric", "time", "d", "position", "max_len", "encoder"});
  const std::string prefix = "stream" + std::to_string(index);
  const std::size_t d = r.uint("d", default_d, 1, kMaxWidth);
  std::vector<int> parts;

  const std::vector<std::string> fields = r.strings("fields");
  if (fields.size() > rnl::kMaxEmbedFields)
    r.fail("fields", "at most " + std::to_string(rnl::kMaxEmbedFields) + " field names");
  if (!fields.empty()) {
    std::vector<int> idx;
    std::vector<std::size_t> vocab;
    std::vector<std::string> names;
    for (const auto& f : schema.fields) names.push_back(f.name);
    for (const std::string& f : fields) {
      const int i = index_of(names, f);
      if (i < 0) r.fail("fields", "names of the data's categorical fields; '" + f + "' is not one");
      idx.push_back(i);
      vocab.push_back(schema.fields[i].vocab.size());
    }
    parts.push_back(graph.emplace<nn::Embed>({}, prefix + ".embed", idx, vocab, d));
  }
  const std::vector<std::string> numeric = r.strings("numeric");
  if (!numeric.empty()) {
    const int first = index_of(schema.numeric, numeric[0]);
    for (std::size_t k = 0; k < numeric.size(); ++k)
      if (first < 0 || index_of(schema.numeric, numeric[k]) != first + static_cast<int>(k))
        r.fail("numeric", "numeric value names that are consecutive in the data's numeric order");
    parts.push_back(graph.emplace<nn::Numeric>({}, prefix + ".numeric", first, numeric.size(), d));
  }
  std::size_t buckets = 0;
  if (r.has("time")) {
    if (r.raw("time").is_boolean()) {
      buckets = r.raw("time").get<bool>() ? 32 : 0;
    } else {
      const ObjectReader t(r.raw("time"), r.at("time"), {"buckets"});
      buckets = t.uint("buckets", 32, 1, 65);
    }
  }
  if (buckets > 0) {
    if (!schema.has_time) r.fail("time", "false: the data has no event times");
    parts.push_back(graph.emplace<nn::TimeEmbed>({}, prefix + ".time", buckets, d));
  }
  if (parts.empty()) throw ConfigError(path + ": expected at least one input (fields, numeric or time)");
  int x = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) x = graph.emplace<nn::Add>({x, parts[i]}, d);

  const std::string position = r.choice("position", "none", {"none", "sinusoidal", "learned"});
  if (position == "sinusoidal") x = graph.emplace<nn::PosSinusoidal>({x}, d);
  if (position == "learned")
    x = graph.emplace<nn::PosLearned>({x}, prefix + ".pos", r.required_uint("max_len", 1, 1u << 20), d);
  else if (r.has("max_len"))
    r.fail("max_len", "no max_len unless position is \"learned\"");

  graph.set_dropout(x, dropout);
  if (!r.has("encoder")) throw ConfigError(r.at("encoder") + ": missing (expected an object with a kind)");
  return build_encoder(r.raw("encoder"), r.at("encoder"), prefix + ".enc", x);
}

// --- encoders --------------------------------------------------------------------------
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

// --- heads ------------------------------------------------------------------------------
void SequenceModel::Impl::build_head(const json& j, std::size_t index, int event_in, int sequence_in) {
  const std::string path = element("model.heads", index);
  const ObjectReader r(j, path, {"name", "target", "weight", "hidden", "activation", "copy"});
  Head h;
  h.spec.target = r.string("target", "");
  h.spec.name = r.string("name", h.spec.target);
  if (h.spec.name.empty()) throw ConfigError(path + ".target: missing (expected a target name of the data)");
  for (const Head& other : heads)
    if (other.spec.name == h.spec.name) r.fail("name", "a name no other head has");
  if (h.spec.name.size() >= rnl::kNameBytes)
    r.fail("name", "a name of at most " + std::to_string(rnl::kNameBytes - 1) + " bytes (the model file stores it)");
  const data::TargetSchema* target = nullptr;
  std::string known;
  for (const auto& t : schema.targets) {
    if (t.name == h.spec.target) target = &t;
    known += (known.empty() ? "" : ", ") + t.name;
  }
  if (!target) r.fail("target", "one of the data's targets (" + known + ")");
  h.spec.categorical = target->categorical;
  h.spec.sequence_level = target->sequence_level;
  h.spec.weight = r.number("weight", 1.0, 0.0, 1e6);

  int x = h.spec.sequence_level ? sequence_in : event_in;
  const std::string prefix = "head" + std::to_string(index);
  const std::size_t hidden = r.uint("hidden", 0, 0, kMaxWidth);
  const rnl::Activation act = activation_of(r, "activation", "relu");
  if (hidden > 0) x = graph.emplace<nn::Dense>({x}, prefix + ".hidden", graph.width(x), hidden, act);

  int field = -1, numeric = -1;
  if (h.spec.categorical) {
    const std::string next = "next:";
    if (h.spec.target.compare(0, next.size(), next) == 0)
      for (std::size_t f = 0; f < schema.fields.size(); ++f)
        if (schema.fields[f].name == h.spec.target.substr(next.size())) field = static_cast<int>(f);
    if (field >= 0) {
      h.width = schema.fields[field].vocab.size();
    } else {
      // A class label that is not an event field: an output-only vocabulary after the
      // event fields names its classes ("1", "2", ...; id 0 = ignore).
      if (target->classes < 2) r.fail("target", "a categorical target with at least 2 classes");
      h.width = target->classes;
      nn::ExtraVocab v;
      v.name = h.spec.target.substr(0, rnl::kNameBytes - 1);
      for (std::size_t c = 1; c < h.width; ++c) v.strings.push_back(std::to_string(c));
      field = static_cast<int>(schema.fields.size() + extra_vocabs.size());
      extra_vocabs.push_back(v);
    }
  } else {
    h.width = 1;
    const std::string next = "next:";
    if (h.spec.target.compare(0, next.size(), next) == 0)
      numeric = index_of(schema.numeric, h.spec.target.substr(next.size()));
  }
  int logits = graph.emplace<nn::Dense>({x}, prefix + ".out", graph.width(x), h.width);
  if (r.has("copy")) {
    // Pointer-generator: mixes the logits' softmax with attention from the fused state over
    // the field's values in the entity's last `window` events.
    if (!h.spec.categorical || field >= static_cast<int>(schema.fields.size()) || h.spec.sequence_level)
      r.fail("copy", "no copy unless the target is \"next:<field>\" of a categorical event field");
    const ObjectReader c(r.raw("copy"), r.at("copy"), {"window", "key_dim"});
    logits = graph.emplace<nn::CopyHead>({event_in, logits}, prefix + ".copy", field, h.width, graph.width(event_in),
                                         c.uint("key_dim", 16, 1, 1024), c.uint("window", 32, 1, 65536));
  }
  h.output_node = graph.emplace<nn::Output>(
      {logits}, h.width, h.spec.categorical ? rnl::OutputKind::kCategorical : rnl::OutputKind::kRegression,
      h.spec.categorical ? field : -1, numeric);
  heads.push_back(h);
  specs.push_back(h.spec);
}

// --- the whole model ------------------------------------------------------------------
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
    std::vector<std::string> names = st.strings("features");
    if (!st.has("features")) names = schema.statics;
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

namespace {

const data::Target& target_of(const data::Batch& batch, const HeadSpec& h) {
  const auto it = batch.targets.find(h.target);
  if (it == batch.targets.end())
    throw std::invalid_argument("batch has no target '" + h.target + "' (head '" + h.name + "')");
  return it->second;
}

// Class ids of rows [r0, r1) in the order the head's predictions are laid out
// (event-level: row-major [rows, T], 0 past each row's length; sequence-level: [rows]).
std::vector<int64_t> class_targets(const data::Batch& b, const HeadSpec& h, std::size_t r0, std::size_t r1) {
  const data::Target& tg = target_of(b, h);
  std::vector<int64_t> out;
  for (std::size_t r = r0; r < r1; ++r) {
    if (h.sequence_level) {
      out.push_back(tg.classes(r));
      continue;
    }
    for (std::size_t t = 0; t < b.steps; ++t) out.push_back(t < b.lengths[r] ? tg.classes(r, t) : 0);
  }
  return out;
}

// Regression values and 0/1 weights, same layout.
void regression_targets(const data::Batch& b, const HeadSpec& h, std::size_t r0, std::size_t r1,
                        std::vector<float>* values, std::vector<float>* mask) {
  const data::Target& tg = target_of(b, h);
  const bool has_mask = tg.mask.size() == tg.values.size();
  for (std::size_t r = r0; r < r1; ++r) {
    if (h.sequence_level) {
      values->push_back(tg.values(r));
      mask->push_back(has_mask ? tg.mask(r) : 1.f);
      continue;
    }
    for (std::size_t t = 0; t < b.steps; ++t) {
      const bool in = t < b.lengths[r];
      values->push_back(in ? tg.values(r, t) : 0.f);
      mask->push_back(in ? (has_mask ? tg.mask(r, t) : 1.f) : 0.f);
    }
  }
}

// Each row's prediction after its last event: [rows, w].
Var last_positions(const Var& y, const data::Batch& b, std::size_t r0) {
  std::vector<Var> rows;
  const std::size_t n = y.shape()[0];
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = b.lengths[r0 + i];
    rows.push_back(ag::slice(ag::slice(y, 0, i, i + 1), 1, len - 1, len));
  }
  Var all = rows.size() == 1 ? rows[0] : ag::concat(rows, 0);
  return ag::reshape(all, {n, y.shape()[2]});
}

void categorical_stats(const xt::xarray<float>& logits, const std::vector<int64_t>& targets, HeadStats* s) {
  const std::size_t C = logits.shape()[1];
  s->true_positive.assign(C, 0);
  s->predicted.assign(C, 0);
  s->actual.assign(C, 0);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const int64_t y = targets[i];
    if (y <= 0 || static_cast<std::size_t>(y) >= C) continue;
    const float* row = &logits(i, 0);
    std::size_t arg = 0, above = 0;
    for (std::size_t c = 0; c < C; ++c) {
      if (row[c] > row[arg]) arg = c;
      if (row[c] > row[y]) ++above;
    }
    s->correct += arg == static_cast<std::size_t>(y);
    s->correct_top5 += above < 5;
    s->predicted[arg]++;
    s->actual[y]++;
    s->true_positive[y] += arg == static_cast<std::size_t>(y);
  }
}

}  // namespace

ForwardResult SequenceModel::forward(const ag::ParameterSet<float>& params, const data::Batch& batch,
                                     std::size_t row_begin, std::size_t row_end, bool training,
                                     uint64_t dropout_seed) const {
  if (row_begin >= row_end || row_end > batch.rows) throw std::invalid_argument("forward: bad row range");
  const nn::Context ctx{params, batch, row_begin, row_end, training, dropout_seed};
  const std::vector<Var> values = impl_->graph.forward(ctx);
  double weights = 0;
  for (const Head& h : impl_->heads) weights += h.spec.weight;

  ForwardResult result;
  Var total;
  for (const Head& h : impl_->heads) {
    HeadStats stats;
    const Var& y = values[h.output_node];   // [rows, T, w]
    const std::size_t rows = row_end - row_begin;
    Var pred = h.spec.sequence_level ? last_positions(y, batch, row_begin)
                                     : ag::reshape(y, {rows * batch.steps, h.width});
    Var loss;
    double batch_count = 0;
    if (h.spec.categorical) {
      for (int64_t c : class_targets(batch, h.spec, 0, batch.rows)) batch_count += c != 0;
      const std::vector<int64_t> targets = class_targets(batch, h.spec, row_begin, row_end);
      for (int64_t c : targets) stats.count += c != 0;
      if (stats.count > 0) {
        Var ce = ag::cross_entropy(pred, targets, int64_t{0});
        stats.loss_sum = static_cast<double>(ce.value()()) * static_cast<double>(stats.count);
        loss = ag::scale(ce, static_cast<float>(static_cast<double>(stats.count) / batch_count));
      }
      categorical_stats(pred.value(), targets, &stats);
    } else {
      std::vector<float> all_values, all_mask, values_r, mask_r;
      regression_targets(batch, h.spec, 0, batch.rows, &all_values, &all_mask);
      for (float m : all_mask) batch_count += m;
      regression_targets(batch, h.spec, row_begin, row_end, &values_r, &mask_r);
      double range_count = 0;
      for (float m : mask_r) range_count += m;
      stats.count = static_cast<std::size_t>(std::lround(range_count));
      if (range_count > 0) {
        const std::size_t n = values_r.size();
        Var diff = ag::sub(ag::reshape(pred, {n}), ag::constant<float>(xt::xarray<float>(xt::adapt(values_r, std::vector<std::size_t>{n}))));
        Var sq = ag::sum_all(ag::mul(ag::mul(diff, diff), ag::constant<float>(xt::xarray<float>(xt::adapt(mask_r, std::vector<std::size_t>{n})))));
        stats.loss_sum = sq.value()();
        loss = ag::scale(sq, static_cast<float>(1.0 / batch_count));
      }
    }
    if (loss.defined()) {
      Var weighted = ag::scale(loss, static_cast<float>(h.spec.weight / weights));
      total = total.defined() ? ag::add(total, weighted) : weighted;
    }
    result.heads.push_back(std::move(stats));
  }
  result.loss = total.defined() ? total : ag::constant<float>(xt::xarray<float>(0.f));
  return result;
}

}  // namespace runnel::model
