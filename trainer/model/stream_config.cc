// model.streams[i]: a stream's inputs (embedded fields, numeric values, time), position
// encoding and dropout, then its encoder (encoder_config.cc).
#include "trainer/model/model_impl.h"

namespace runnel::model {

using config::ObjectReader;
using nlohmann::json;
using namespace detail;

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

}  // namespace runnel::model
