// Inside SequenceModel (not part of its interface): the built graph and heads, and the
// helpers the builders of each config part share. One file per part: stream_config.cc,
// encoder_config.cc, head_config.cc, sequence_model.cc (static input, fusion, pooling and
// the public calls), forward_loss.cc (losses and metrics).
#ifndef RUNNEL_TRAINER_MODEL_MODEL_IMPL_H_
#define RUNNEL_TRAINER_MODEL_MODEL_IMPL_H_

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/config/object_reader.h"
#include "trainer/model/sequence_model.h"
#include "trainer/nn/graph.h"
#include "trainer/nn/modules.h"

namespace runnel::model {
namespace detail {

using config::ObjectReader;

constexpr std::size_t kMaxWidth = 1u << 16;

struct Head {
  HeadSpec spec;
  int output_node = -1;
  std::size_t width = 0;
};

inline rnl::Activation activation_of(const ObjectReader& r, const std::string& key, const std::string& def) {
  const std::string name = r.choice(key, def, {"none", "relu", "gelu", "gelu_tanh", "gelu_erf", "tanh", "sigmoid"});
  rnl::Activation a = rnl::Activation::kNone;
  nn::parse_activation(name, &a);
  return a;
}

inline int index_of(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

inline std::string element(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

}  // namespace detail

struct SequenceModel::Impl {
  data::DataSchema schema;
  nn::Graph graph;
  std::vector<detail::Head> heads;
  std::vector<HeadSpec> specs;
  std::vector<nn::ExtraVocab> extra_vocabs;
  float dropout = 0.f;

  Impl(const nlohmann::json& section, const data::DataSchema& s);
  int build_stream(const nlohmann::json& j, std::size_t index, std::size_t default_d);
  int build_encoder(const nlohmann::json& j, const std::string& path, const std::string& prefix, int x);
  void build_head(const nlohmann::json& j, std::size_t index, int event_in, int sequence_in);
};

}  // namespace runnel::model

#endif  // RUNNEL_TRAINER_MODEL_MODEL_IMPL_H_
