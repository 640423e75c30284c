#include "trainer/data/synthetic_seq_tabular.h"

namespace runnel::data {
namespace {
DataSchema seq_tabular_schema() {
  DataSchema s;
  s.fields.push_back({"kind", numbered_vocab("k", 4)});
  s.numeric = {"x"};
  s.statics = {"s0", "s1", "s2"};
  TargetSchema t;
  t.name = "value";
  t.sequence_level = true;
  s.targets.push_back(t);
  return s;
}
constexpr float kMultiplier[4] = {1.f, -1.f, 0.5f, 2.f};
}  // namespace

SeqTabularDataset::SeqTabularDataset(const SeqTabularOptions& options)
    : SyntheticSequenceDataset(seq_tabular_schema(), options.split), options_(options) {}

float SeqTabularDataset::exact_value(const SequenceExample& ex) {
  const std::size_t L = ex.ids.size();
  double num = 0, den = 0, w = 1;
  for (std::size_t i = 0; i < 8 && i < L; ++i, w *= 0.7) {
    std::size_t t = L - 1 - i;
    num += w * kMultiplier[ex.ids[t][0] - 1] * ex.numeric[t][0];
    den += w;
  }
  double r = num / den;
  return static_cast<float>(r * (1.0 + ex.statics[0]) + 0.5 * ex.statics[1]);
}

SequenceExample SeqTabularDataset::generate(std::mt19937_64& rng, std::size_t length) const {
  std::normal_distribution<float> normal(0.f, 1.f);
  std::uniform_real_distribution<float> uniform(-1.f, 1.f);
  SequenceExample ex;
  for (int k = 0; k < 3; ++k) ex.statics.push_back(uniform(rng));
  for (std::size_t t = 0; t < length; ++t) {
    ex.ids.push_back({static_cast<std::int64_t>(1 + rng() % 4)});
    ex.numeric.push_back({normal(rng)});
  }
  ex.values["value"] = exact_value(ex) + options_.noise * normal(rng);
  return ex;
}

}  // namespace runnel::data
