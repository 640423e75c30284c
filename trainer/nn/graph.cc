#include "trainer/nn/graph.h"

#include <map>
#include <stdexcept>

#include "trainer/random/mix64.h"

namespace runnel::nn {

int Graph::add(std::unique_ptr<Module> module, std::vector<int> inputs) {
  const int index = static_cast<int>(nodes_.size());
  for (int i : inputs)
    if (i < 0 || i >= index)
      throw std::invalid_argument("graph: node " + std::to_string(index) + " reads node " +
                                  std::to_string(i) + ", which is not an earlier node");
  nodes_.push_back(Node{std::move(module), std::move(inputs)});
  return index;
}

void Graph::set_dropout(int node, float p) {
  if (!(p >= 0.f && p < 1.f)) throw std::invalid_argument("graph: dropout must be in [0, 1)");
  nodes_.at(node).dropout = p;
}

namespace {

Var row_dropout(const Var& x, float p, const Context& ctx, std::size_t node) {
  std::vector<Var> rows;
  for (std::size_t i = 0; i < ctx.rows(); ++i) {
    const uint64_t seed = mix64(mix64(mix64(ctx.dropout_seed) ^ node) ^ (ctx.row_begin + i));
    rows.push_back(ag::dropout(ag::slice(x, 0, i, i + 1), p, seed, true));
  }
  return rows.size() == 1 ? rows[0] : ag::concat(rows, 0);
}

}  // namespace

std::vector<int> Graph::outputs() const {
  std::vector<int> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].module->op() == rnl::Op::kOutput) out.push_back(static_cast<int>(i));
  return out;
}

void Graph::init(Params& params, uint64_t seed) const {
  Rng rng(seed);
  for (const Node& n : nodes_) n.module->init(params, rng);
}

uint64_t Graph::parameter_count() const {
  uint64_t n = 0;
  const CountOnly count(&n);
  Params none;
  init(none, 0);
  return n;
}

std::vector<Var> Graph::forward(const Context& ctx) const {
  std::vector<Var> values;
  values.reserve(nodes_.size());
  for (const Node& n : nodes_) {
    std::vector<Var> in;
    in.reserve(n.inputs.size());
    for (int i : n.inputs) in.push_back(values[i]);
    Var y = n.module->forward(ctx, in);
    if (ctx.training && n.dropout > 0.f) y = row_dropout(y, n.dropout, ctx, values.size());
    values.push_back(std::move(y));
  }
  return values;
}

void Graph::export_records(rnl::RnlWriter& writer, const Params& params) const {
  std::map<std::string, uint32_t> written;
  for (const Node& n : nodes_) {
    std::vector<uint32_t> tensors;
    for (const std::string& role : n.module->tensor_roles()) {
      const std::string name = n.module->name(role);
      auto it = written.find(name);
      if (it == written.end()) {
        const Var& p = params[name];
        const ag::Shape dims = p.shape();
        const std::vector<uint32_t> shape(dims.begin(), dims.end());
        const auto& v = p.value();
        it = written.emplace(name, writer.add_tensor(name, shape, std::vector<float>(v.begin(), v.end()))).first;
      }
      tensors.push_back(it->second);
    }
    std::vector<uint32_t> inputs(n.inputs.begin(), n.inputs.end());
    writer.add_record(n.module->op(), inputs, n.module->hp(), tensors);
  }
}

namespace {

rnl::Transform transform_of(const std::string& name) {
  if (name == "none") return rnl::Transform::kNone;
  if (name == "log1p") return rnl::Transform::kLog1p;
  throw std::invalid_argument("export: unknown numeric transform '" + name + "'");
}

void add_value_columns(rnl::RnlWriter& writer, rnl::ColumnRole role, const std::vector<data::ValueColumn>& columns) {
  for (const data::ValueColumn& c : columns)
    writer.add_value_column(role, c.name, transform_of(c.transform), c.missing_indicator, static_cast<float>(c.mean),
                            static_cast<float>(c.std));
}

}  // namespace

rnl::RnlWriter export_graph(const Graph& graph, const Params& params, const data::DataSchema& schema,
                            const std::vector<ExtraVocab>& extra_vocabs, const std::vector<std::string>& output_names) {
  rnl::RnlWriter writer;
  for (const data::FieldSchema& f : schema.fields) {
    std::vector<std::string> strings;
    for (std::size_t i = 1; i < f.vocab.size(); ++i) strings.push_back(f.vocab[i]);
    writer.add_vocab(f.name, strings);
  }
  for (const ExtraVocab& v : extra_vocabs) writer.add_vocab(v.name, v.strings, rnl::VocabKind::kClassLabels);
  writer.set_n_numeric(static_cast<uint32_t>(schema.numeric.size()));
  writer.set_n_static(static_cast<uint32_t>(schema.statics.size()));
  if (!schema.entity_column.empty()) writer.add_name_column(rnl::ColumnRole::kEntity, schema.entity_column);
  if (!schema.time_column.empty()) writer.add_name_column(rnl::ColumnRole::kTime, schema.time_column);
  // Generated sources name their values but have no CSV columns: untransformed columns.
  std::vector<data::ValueColumn> numeric = schema.numeric_columns, statics = schema.static_columns;
  if (numeric.empty())
    for (const std::string& n : schema.numeric) numeric.push_back(data::ValueColumn{n});
  if (statics.empty())
    for (const std::string& n : schema.statics) statics.push_back(data::ValueColumn{n});
  add_value_columns(writer, rnl::ColumnRole::kNumeric, numeric);
  add_value_columns(writer, rnl::ColumnRole::kStatic, statics);
  graph.export_records(writer, params);
  const std::vector<int> outputs = graph.outputs();
  for (std::size_t k = 0; k < outputs.size() && k < output_names.size(); ++k)
    writer.name_output(static_cast<uint32_t>(outputs[k]), output_names[k]);
  return writer;
}

}  // namespace runnel::nn
