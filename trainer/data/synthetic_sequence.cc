#include "trainer/data/synthetic_sequence.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "trainer/data/event_log.h"
#include "trainer/random/mix64.h"

namespace runnel::data {

std::vector<std::string> numbered_vocab(const std::string& prefix, std::size_t n) {
  std::vector<std::string> v{""};
  for (std::size_t i = 0; i < n; ++i) v.push_back(prefix + std::to_string(i));
  return v;
}

SyntheticSequenceDataset::SyntheticSequenceDataset(DataSchema schema, SyntheticSplit split)
    : schema_(std::move(schema)), split_(split) {
  if (split_.train == 0) throw std::invalid_argument("synthetic data: train must be >= 1");
  if (split_.min_length == 0 || split_.min_length > split_.max_length)
    throw std::invalid_argument("synthetic data: need 1 <= min_length <= max_length");
}

SequenceExample SyntheticSequenceDataset::example(bool validation, std::size_t index) const {
  std::uint64_t s = mix64(mix64(split_.seed) ^ (validation ? 0x76616c6964ull : 0x747261696eull));
  std::mt19937_64 rng(mix64(s ^ mix64(index + 1)));
  std::size_t span = split_.max_length - split_.min_length + 1;
  std::size_t length = split_.min_length + static_cast<std::size_t>(rng() % span);
  return generate(rng, length);
}

Batch SyntheticSequenceDataset::make_batch(const std::vector<SequenceExample>& examples) const {
  const std::size_t F = schema_.fields.size(), N = schema_.numeric.size(),
                    S = schema_.statics.size(), B = examples.size();
  Batch b;
  b.rows = B;
  for (const auto& ex : examples) {
    b.lengths.push_back(ex.ids.size());
    b.steps = std::max(b.steps, ex.ids.size());
  }
  const std::size_t T = b.steps;
  b.ids = xt::zeros<std::int64_t>({B, T, F});
  b.numeric = xt::zeros<float>({B, T, N});
  b.dt = xt::zeros<float>({B, T});
  b.statics = xt::zeros<float>({B, S});
  for (const auto& t : schema_.targets) {
    Target& target = b.targets[t.name];
    if (t.categorical) {
      target.classes = xt::zeros<std::int64_t>({B});
    } else {
      target.values = xt::zeros<float>({B});
      target.mask = xt::zeros<float>({B});
    }
  }
  for (std::size_t r = 0; r < B; ++r) {
    const auto& ex = examples[r];
    for (std::size_t t = 0; t < ex.ids.size(); ++t) {
      for (std::size_t f = 0; f < F; ++f) b.ids(r, t, f) = ex.ids[t][f];
      for (std::size_t k = 0; k < N; ++k) b.numeric(r, t, k) = ex.numeric[t][k];
    }
    for (std::size_t k = 0; k < S; ++k) b.statics(r, k) = ex.statics[k];
    for (const auto& t : schema_.targets) {
      Target& target = b.targets[t.name];
      if (t.categorical) {
        target.classes(r) = ex.classes.at(t.name);
      } else {
        target.values(r) = ex.values.at(t.name);
        target.mask(r) = 1.f;
      }
    }
  }
  return b;
}

Batch SyntheticSequenceDataset::train_batch(std::size_t step, std::size_t batch_size) const {
  const std::size_t n = split_.train;
  std::vector<SequenceExample> examples;
  std::vector<std::size_t> perm;
  std::size_t perm_epoch = static_cast<std::size_t>(-1);
  for (std::size_t r = 0; r < batch_size; ++r) {
    std::size_t k = step * batch_size + r;
    std::size_t epoch = k / n;
    if (epoch != perm_epoch) {
      perm.resize(n);
      std::iota(perm.begin(), perm.end(), std::size_t{0});
      std::uint64_t state = mix64(split_.seed ^ mix64(epoch + 0x5eed));
      for (std::size_t i = n; i > 1; --i) {
        state = mix64(state);
        std::swap(perm[i - 1], perm[state % i]);
      }
      perm_epoch = epoch;
    }
    examples.push_back(example(false, perm[k % n]));
  }
  return make_batch(examples);
}

std::vector<Batch> SyntheticSequenceDataset::validation_batches(std::size_t batch_size) const {
  if (batch_size == 0) throw std::invalid_argument("validation_batches: batch_size must be >= 1");
  std::vector<Batch> out;
  for (std::size_t i = 0; i < split_.validation; i += batch_size) {
    std::vector<SequenceExample> examples;
    for (std::size_t j = i; j < std::min(split_.validation, i + batch_size); ++j)
      examples.push_back(example(true, j));
    out.push_back(make_batch(examples));
  }
  return out;
}

std::vector<RawStream> SyntheticSequenceDataset::validation_streams() const {
  std::vector<RawStream> out;
  for (std::size_t j = 0; j < split_.validation; ++j) {
    SequenceExample ex = example(true, j);
    RawStream s;
    s.entity = "val-" + std::to_string(j);
    s.statics = ex.statics;
    for (std::size_t t = 0; t < ex.ids.size(); ++t) {
      RawEvent ev;
      ev.time = static_cast<double>(t);
      for (std::size_t f = 0; f < ex.ids[t].size(); ++f)
        ev.fields.push_back(schema_.fields[f].vocab.at(static_cast<std::size_t>(ex.ids[t][f])));
      ev.numeric = ex.numeric[t];
      s.events.push_back(std::move(ev));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace runnel::data
