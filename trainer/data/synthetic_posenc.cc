#include "trainer/data/synthetic_posenc.h"

#include <algorithm>
#include <stdexcept>

namespace runnel::data {
namespace {
DataSchema posenc_schema() {
  DataSchema s;
  s.fields.push_back({"bucket", numbered_vocab("b", 8)});
  s.numeric = {"x"};
  TargetSchema t;
  t.name = "value";
  t.sequence_level = true;
  s.targets.push_back(t);
  return s;
}
}  // namespace

PosencDataset::PosencDataset(const PosencOptions& options)
    : SyntheticSequenceDataset(posenc_schema(), options.split), options_(options) {
  if (options.first_index >= options.split.min_length ||
      options.second_index >= options.split.min_length)
    throw std::invalid_argument("posenc: first_index and second_index must be < min_length");
  if (options.split.min_length < 2) throw std::invalid_argument("posenc: min_length must be >= 2");
}

float PosencDataset::exact_value(const SequenceExample& ex) const {
  const std::size_t L = ex.numeric.size();
  double ramp = 0;
  for (std::size_t t = 0; t < L; ++t)
    ramp += (2.0 * static_cast<double>(t) / static_cast<double>(L - 1) - 1.0) * ex.numeric[t][0];
  return static_cast<float>(ex.numeric[options_.first_index][0] -
                            ex.numeric[options_.second_index][0] + ramp / static_cast<double>(L));
}

SequenceExample PosencDataset::generate(std::mt19937_64& rng, std::size_t length) const {
  std::uniform_real_distribution<float> uniform(-1.f, 1.f);
  SequenceExample ex;
  for (std::size_t t = 0; t < length; ++t) {
    float x = uniform(rng);
    auto bucket = std::min<std::int64_t>(7, static_cast<std::int64_t>((x + 1.f) * 4.f));
    ex.ids.push_back({1 + bucket});
    ex.numeric.push_back({x});
  }
  ex.values["value"] = exact_value(ex);
  return ex;
}

}  // namespace runnel::data
