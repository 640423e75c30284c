#include "trainer/gradcheck/reference_ops.h"

#include <cmath>

#include "trainer/autograd/ops.h"

namespace runnel::gradcheck {
namespace {
using nlohmann::json;
using V = ag::Var<double>;
using Vars = std::vector<V>;

// Nested JSON integer arrays -> int64 array with the nesting as its shape.
void flatten_ints(const json& j, std::size_t depth, std::vector<std::size_t>& shape,
                  std::vector<std::int64_t>& out, const CaseContext& ctx, const std::string& key) {
  if (j.is_number_integer()) {
    if (depth != shape.size()) ctx.fail("int_inputs." + key, "ragged nesting");
    out.push_back(j.get<std::int64_t>());
    return;
  }
  if (!j.is_array()) ctx.fail("int_inputs." + key, "expected nested arrays of integers");
  if (depth == shape.size()) shape.push_back(j.size());
  else if (shape[depth] != j.size()) ctx.fail("int_inputs." + key, "ragged nesting");
  for (const json& e : j) flatten_ints(e, depth + 1, shape, out, ctx, key);
}

int axis_of(const CaseContext& c) { return static_cast<int>(c.attr_number("axis")); }

template <V (*F)(const V&, const V&)>
VarFn binary(const CaseContext& c) {
  const std::size_t a = c.input("a"), b = c.input("b");
  return [=](const Vars& v) { return F(v[a], v[b]); };
}
template <V (*F)(const V&)>
VarFn unary(const CaseContext& c) {
  const std::size_t x = c.input("x");
  return [=](const Vars& v) { return F(v[x]); };
}
template <V (*F)(const V&, int)>
VarFn along_axis(const CaseContext& c) {
  const std::size_t x = c.input("x");
  const int axis = axis_of(c);
  return [=](const Vars& v) { return F(v[x], axis); };
}

VarFn cross_entropy(const CaseContext& c) {
  const std::size_t logits = c.input("logits");
  const auto t = c.int_input("target");
  const std::vector<std::int64_t> target(t.begin(), t.end());
  const auto ignore = static_cast<std::int64_t>(c.attr_number("ignore_index", -100));
  return [=](const Vars& v) { return ag::cross_entropy(v[logits], target, ignore); };
}

VarFn mse(const CaseContext& c) {
  const std::size_t pred = c.input("pred");
  const Array<double> target = c.attr_tensor("target");
  return [=](const Vars& v) { return ag::mse(v[pred], target); };
}

VarFn layer_norm(const CaseContext& c) {
  const std::size_t x = c.input("x"), g = c.input("gamma"), b = c.input("beta");
  const double eps = c.attr_number("eps");
  return [=](const Vars& v) { return ag::layer_norm(v[x], v[g], v[b], eps); };
}

VarFn l2_normalize(const CaseContext& c) {
  const std::size_t x = c.input("x");
  const double eps = c.attr_number("eps");
  if (c.attr_number("axis", -1) != -1) c.fail("attrs.axis", "only the last axis (-1) is supported");
  return [=](const Vars& v) { return ag::l2_normalize(v[x], eps); };
}

VarFn embedding(const CaseContext& c) {
  const std::size_t w = c.input("weight");
  const auto ids = c.int_input("ids");
  return [=](const Vars& v) { return ag::embedding(v[w], ids); };
}

VarFn causal_attention(const CaseContext& c) {
  const std::size_t q = c.input("q"), k = c.input("k"), val = c.input("v");
  const bool bias = c.has_input("bias");
  const std::size_t b = bias ? c.input("bias") : 0;
  const auto window = static_cast<std::size_t>(c.attr_number("window"));
  const double scale = c.attr_number("scale");
  return [=](const Vars& v) { return ag::causal_attention(v[q], v[k], v[val], window, scale, bias ? v[b] : V()); };
}

VarFn causal_conv1d(const CaseContext& c) {
  const std::size_t x = c.input("x"), w = c.input("w");
  const bool has_b = c.has_input("b");
  const std::size_t b = has_b ? c.input("b") : 0;
  const auto dilation = static_cast<std::size_t>(c.attr_number("dilation", 1));
  return [=](const Vars& v) { return ag::causal_conv1d(v[x], v[w], has_b ? v[b] : V(), dilation); };
}

template <V (*F)(const V&, const V&, const V&, const V&, const V&)>
VarFn recurrent(const CaseContext& c) {
  const std::size_t x = c.input("x"), wi = c.input("w_ih"), wh = c.input("w_hh"), bi = c.input("b_ih"),
                    bh = c.input("b_hh");
  return [=](const Vars& v) { return F(v[x], v[wi], v[wh], v[bi], v[bh]); };
}

VarFn linear_decay(const CaseContext& c) {
  const std::size_t x = c.input("x");
  const auto window = static_cast<std::size_t>(c.attr_number("window"));
  return [=](const Vars& v) { return ag::linear_decay(v[x], window); };
}

VarFn exp_decay(const CaseContext& c) {
  const std::size_t x = c.input("x");
  const double alpha = c.attr_number("alpha");
  return [=](const Vars& v) { return ag::exp_decay(v[x], alpha); };
}

VarFn learned_pos_weights(const CaseContext& c) {
  const std::size_t x = c.input("x"), w = c.input("w");
  return [=](const Vars& v) { return ag::learned_pos_weights(v[x], v[w]); };
}

VarFn attention_pool(const CaseContext& c) {
  const std::size_t x = c.input("x"), q = c.input("q");
  return [=](const Vars& v) { return ag::attention_pool(v[x], v[q]); };
}

}  // namespace

CaseContext::CaseContext(std::string name, const json& attrs, const json& int_inputs,
                         std::vector<std::string> input_names)
    : name_(std::move(name)), attrs_(attrs), int_inputs_(int_inputs), input_names_(std::move(input_names)) {}

void CaseContext::fail(const std::string& field, const std::string& what) const {
  throw CaseError("case '" + name_ + "': field '" + field + "': " + what);
}

bool CaseContext::has_input(const std::string& name) const {
  return std::find(input_names_.begin(), input_names_.end(), name) != input_names_.end();
}

std::size_t CaseContext::input(const std::string& name) const {
  const auto it = std::find(input_names_.begin(), input_names_.end(), name);
  if (it == input_names_.end()) fail("inputs." + name, "missing");
  return static_cast<std::size_t>(it - input_names_.begin());
}

const json& CaseContext::attr(const std::string& key) const {
  if (!attrs_.is_object() || !attrs_.contains(key)) fail("attrs." + key, "missing");
  return attrs_.at(key);
}

Array<double> CaseContext::attr_tensor(const std::string& key) const {
  return parse_tensor(attr(key), "case '" + name_ + "': field 'attrs." + key + "'");
}

double CaseContext::attr_number(const std::string& key) const {
  const json& v = attr(key);
  if (!v.is_number()) fail("attrs." + key, "expected a number");
  return v.get<double>();
}

double CaseContext::attr_number(const std::string& key, double fallback) const {
  return attrs_.is_object() && attrs_.contains(key) ? attr_number(key) : fallback;
}

xt::xarray<std::int64_t> CaseContext::int_input(const std::string& key) const {
  if (!int_inputs_.is_object() || !int_inputs_.contains(key)) fail("int_inputs." + key, "missing");
  std::vector<std::size_t> shape;
  std::vector<std::int64_t> flat;
  flatten_ints(int_inputs_.at(key), 0, shape, flat, *this, key);
  xt::xarray<std::int64_t> a(shape);
  std::copy(flat.begin(), flat.end(), a.begin());
  return a;
}

Array<double> parse_tensor(const json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("shape") || !j.contains("data") || !j["shape"].is_array() ||
      !j["data"].is_array())
    throw CaseError(where + ": expected {\"shape\": [...], \"data\": [...]}");
  ag::Shape shape;
  std::size_t n = 1;
  for (const json& d : j["shape"]) {
    if (!d.is_number_unsigned()) throw CaseError(where + ": 'shape' must hold non-negative integers");
    shape.push_back(d.get<std::size_t>());
    n *= shape.back();
  }
  if (j["data"].size() != n)
    throw CaseError(where + ": 'data' has " + std::to_string(j["data"].size()) + " values, 'shape' needs " +
                    std::to_string(n));
  Array<double> a(shape);
  std::size_t i = 0;
  for (const json& v : j["data"]) {
    if (!v.is_number()) throw CaseError(where + ": data[" + std::to_string(i) + "] is not a number");
    a.data()[i++] = v.get<double>();
  }
  return a;
}

const std::map<std::string, OpBuilder>& reference_ops() {
  static const std::map<std::string, OpBuilder> table = {
      {"matmul", binary<ag::matmul<double>>},
      {"add", binary<ag::add<double>>},
      {"sub", binary<ag::sub<double>>},
      {"mul", binary<ag::mul<double>>},
      {"div", binary<ag::div<double>>},
      {"exp", unary<ag::exp<double>>},
      {"log", unary<ag::log<double>>},
      {"tanh", unary<ag::tanh<double>>},
      {"sigmoid", unary<ag::sigmoid<double>>},
      {"relu", unary<ag::relu<double>>},
      {"gelu_tanh", unary<ag::gelu_tanh<double>>},
      {"gelu_erf", unary<ag::gelu_erf<double>>},
      {"sum", along_axis<ag::sum<double>>},
      {"mean", along_axis<ag::mean<double>>},
      {"max", along_axis<ag::max<double>>},
      {"softmax", along_axis<ag::softmax<double>>},
      {"log_softmax", along_axis<ag::log_softmax<double>>},
      {"cumsum", along_axis<ag::cumsum<double>>},
      {"cummax", along_axis<ag::cummax<double>>},
      {"cummean", along_axis<ag::cummean<double>>},
      {"cross_entropy", cross_entropy},
      {"mse", mse},
      {"layer_norm", layer_norm},
      {"l2_normalize", l2_normalize},
      {"embedding", embedding},
      {"causal_attention", causal_attention},
      {"causal_conv1d", causal_conv1d},
      {"gru", recurrent<ag::gru<double>>},
      {"lstm", recurrent<ag::lstm<double>>},
      {"linear_decay", linear_decay},
      {"exp_decay", exp_decay},
      {"learned_pos_weights", learned_pos_weights},
      {"attention_pool", attention_pool},
  };
  return table;
}

}  // namespace runnel::gradcheck
