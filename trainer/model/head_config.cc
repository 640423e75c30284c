// model.heads[i]: a head's target, hidden layer, output layer and copy mechanism.
#include "trainer/model/model_impl.h"

namespace runnel::model {

using config::ObjectReader;
using nlohmann::json;
using namespace detail;

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

}  // namespace runnel::model
