#include "trainer/data/synthetic_adding.h"

#include <stdexcept>

namespace runnel::data {
namespace {
DataSchema adding_schema() {
  DataSchema s;
  s.fields.push_back({"marker", {"", "0", "1"}});
  s.numeric = {"value", "marker"};
  TargetSchema t;
  t.name = "sum";
  t.sequence_level = true;
  s.targets.push_back(t);
  return s;
}
}  // namespace

AddingDataset::AddingDataset(const AddingOptions& options)
    : SyntheticSequenceDataset(adding_schema(), options.split) {
  if (options.split.min_length < 2) throw std::invalid_argument("adding: min_length must be >= 2");
}

SequenceExample AddingDataset::generate(std::mt19937_64& rng, std::size_t length) const {
  std::uniform_real_distribution<float> uniform(0.f, 1.f);
  const std::size_t half = length / 2;
  const std::size_t first = static_cast<std::size_t>(rng() % half);
  const std::size_t second = half + static_cast<std::size_t>(rng() % (length - half));
  SequenceExample ex;
  float sum = 0;
  for (std::size_t t = 0; t < length; ++t) {
    float v = uniform(rng);
    bool marked = t == first || t == second;
    if (marked) sum += v;
    ex.ids.push_back({marked ? 2 : 1});
    ex.numeric.push_back({v, marked ? 1.f : 0.f});
  }
  ex.values["sum"] = sum;
  return ex;
}

float adding_perfect_answer(const Batch& batch, std::size_t row) {
  float sum = 0;
  for (std::size_t t = 0; t < batch.lengths.at(row); ++t)
    if (batch.numeric(row, t, 1) == 1.f) sum += batch.numeric(row, t, 0);
  return sum;
}

}  // namespace runnel::data
