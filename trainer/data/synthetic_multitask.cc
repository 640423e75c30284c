#include "trainer/data/synthetic_multitask.h"

namespace runnel::data {
namespace {
DataSchema multitask_schema() {
  DataSchema s;
  s.fields.push_back({"token", numbered_vocab("t", 8)});
  s.numeric = {"x"};
  TargetSchema c;
  c.name = "class";
  c.categorical = true;
  c.sequence_level = true;
  c.classes = 4;  // 0 = ignore, 1..3
  s.targets.push_back(c);
  TargetSchema v;
  v.name = "value";
  v.sequence_level = true;
  s.targets.push_back(v);
  return s;
}
}  // namespace

MultitaskDataset::MultitaskDataset(const MultitaskOptions& options)
    : SyntheticSequenceDataset(multitask_schema(), options.split) {}

std::int64_t MultitaskDataset::exact_class(const SequenceExample& ex) {
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& ids : ex.ids)
    if (ids[0] >= 1 && ids[0] <= 3) ++counts[ids[0] - 1];
  std::int64_t best = 0;
  for (std::int64_t k = 1; k < 3; ++k)
    if (counts[k] > counts[best]) best = k;
  return best + 1;
}

float MultitaskDataset::exact_value(const SequenceExample& ex) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t t = 0; t < ex.ids.size(); ++t)
    if (ex.ids[t][0] == 4 || ex.ids[t][0] == 5) {
      sum += ex.numeric[t][0];
      ++n;
    }
  double mean = n ? sum / static_cast<double>(n) : 0.0;
  return static_cast<float>(mean + (exact_class(ex) == 1 ? 0.5 : 0.0));
}

SequenceExample MultitaskDataset::generate(std::mt19937_64& rng, std::size_t length) const {
  std::uniform_real_distribution<float> uniform(0.f, 1.f);
  const int dominant = static_cast<int>(rng() % 3);
  SequenceExample ex;
  for (std::size_t t = 0; t < length; ++t) {
    // weights: dominant 3, other seven tokens 1 each (total 10)
    std::uint64_t u = rng() % 10;
    int token = u < 3 ? dominant : static_cast<int>(u - 3);  // 0..6 for the others
    if (u >= 3 && token >= dominant) token += 1;              // skip the dominant one
    ex.ids.push_back({static_cast<std::int64_t>(token + 1)});
    ex.numeric.push_back({uniform(rng)});
  }
  ex.classes["class"] = exact_class(ex);
  ex.values["value"] = exact_value(ex);
  return ex;
}

}  // namespace runnel::data
