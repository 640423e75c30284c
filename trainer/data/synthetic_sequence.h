// Base of the sequence-level synthetic datasets (seq_tabular, posenc, multitask,
// adding): each row is one generated sequence (+ static features) with sequence-level
// targets read after its last event.
//
// Example i of the train split is generated from mix(seed, "train", i) and example i of
// the validation split from mix(seed, "validation", i), so both splits are fixed by the
// seed and never depend on the batch size. train_batch(step, B) reads train examples
// step*B .. step*B+B-1 of an endless sequence of epochs; each epoch is a permutation of
// the train split drawn from (seed, epoch). validation_batches() reads the validation
// split in order. No time: Batch::dt is 0 and schema().has_time is false.
#ifndef RUNNEL_TRAINER_DATA_SYNTHETIC_SEQUENCE_H_
#define RUNNEL_TRAINER_DATA_SYNTHETIC_SEQUENCE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "trainer/data/dataset.h"

namespace runnel::data {

struct SequenceExample {
  std::vector<std::vector<std::int64_t>> ids;    // [L][F]
  std::vector<std::vector<float>> numeric;       // [L][N]
  std::vector<float> statics;                    // [S]
  std::map<std::string, float> values;           // regression targets by name
  std::map<std::string, std::int64_t> classes;   // categorical targets by name (>= 1)
};

struct SyntheticSplit {
  std::size_t train = 4096;        // train examples
  std::size_t validation = 512;    // validation examples
  std::uint64_t seed = 1;
  std::size_t min_length = 32;     // sequence length, uniform in [min_length, max_length]
  std::size_t max_length = 32;
};

class SyntheticSequenceDataset : public Dataset {
 public:
  const DataSchema& schema() const override { return schema_; }
  std::size_t train_rows() const override { return split_.train; }
  Batch train_batch(std::size_t step, std::size_t batch_size) const override;
  std::vector<Batch> validation_batches(std::size_t batch_size) const override;
  std::vector<RawStream> validation_streams() const override;

  const SyntheticSplit& split() const { return split_; }
  // Example `index` of the train (validation = false) or validation split.
  SequenceExample example(bool validation, std::size_t index) const;
  Batch make_batch(const std::vector<SequenceExample>& examples) const;

 protected:
  SyntheticSequenceDataset(DataSchema schema, SyntheticSplit split);
  // One example; the length is already drawn.
  virtual SequenceExample generate(std::mt19937_64& rng, std::size_t length) const = 0;

  DataSchema schema_;
  SyntheticSplit split_;
};

// Vocabulary {"", prefix0, prefix1, ...}.
std::vector<std::string> numbered_vocab(const std::string& prefix, std::size_t n);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_SYNTHETIC_SEQUENCE_H_
