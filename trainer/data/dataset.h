// The contract between data sources and the rest of the trainer: a schema (what an
// event and its targets look like) and deterministic batches.
//
// Batches are a pure function of (seed, step): train_batch(step) always returns the
// same rows, so a run resumed from a checkpoint at step k sees exactly the batches an
// uninterrupted run would have seen.
#ifndef RUNNEL_TRAINER_DATA_DATASET_H_
#define RUNNEL_TRAINER_DATA_DATASET_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "trainer/data/batch.h"

namespace runnel::data {

struct FieldSchema {
  std::string name;                 // column name, e.g. "event_type"
  std::vector<std::string> vocab;   // id -> string; vocab[0] == "" is the unknown/padding id
};

struct TargetSchema {
  std::string name;                 // key in Batch::targets, e.g. "next:location", "sum"
  bool categorical = false;
  bool sequence_level = false;      // read after each row's last event, else at every event
  std::size_t classes = 0;          // categorical: number of class ids (0 = ignore included)
};

// A numeric or static column as the model file's input schema records it (RnlColumn):
// a raw cell x becomes (transform(x) - mean) / std, a missing numeric cell 0 plus, with
// missing_indicator, a second value 1 (engine/numeric_input.h computes both sides).
struct ValueColumn {
  std::string name;
  std::string transform = "none";        // "none" | "log1p"
  bool missing_indicator = false;
  double mean = 0.0;
  double std = 1.0;
};

struct DataSchema {
  std::vector<FieldSchema> fields;       // categorical fields of an event (F)
  std::vector<std::string> numeric;      // numeric values of an event (N)
  std::vector<std::string> statics;      // static features of an entity (S)
  std::vector<TargetSchema> targets;
  bool has_time = false;                 // Batch::dt is meaningful
  // The columns a CSV source reads (written into the model file so `runnel run` needs
  // nothing else). Empty for generated sources: their numeric values and static features
  // are then described as untransformed columns named after them.
  std::string entity_column, time_column;
  std::vector<ValueColumn> numeric_columns;   // fill `numeric` in order (2 values with an indicator)
  std::vector<ValueColumn> static_columns;    // one per static feature
};

// One entity's raw stream, as strings: what `runnel run` and the demo feed the engine.
struct RawEvent {
  double time = 0;                       // seconds (unix time for real logs)
  std::vector<std::string> fields;       // one string per schema field
  std::vector<float> numeric;
};
struct RawStream {
  std::string entity;
  std::vector<float> statics;
  std::vector<RawEvent> events;
  // events[0, validation_start) are context (the entity's earlier history);
  // events[validation_start, end) are the held-out (validation or test) events to
  // predict, each from the events before it. 0 for sources whose validation rows are
  // whole sequences.
  std::size_t validation_start = 0;
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual const DataSchema& schema() const = 0;
  virtual std::size_t train_rows() const = 0;
  // Rows for optimisation step `step` (0-based), batch_size of them.
  virtual Batch train_batch(std::size_t step, std::size_t batch_size) const = 0;
  // The whole validation split, in batches of at most batch_size rows.
  virtual std::vector<Batch> validation_batches(std::size_t batch_size) const = 0;
  // The validation split as raw streams (entity, strings), for the engine side.
  virtual std::vector<RawStream> validation_streams() const = 0;
  // The test split as raw streams (what `runnel eval` scores once); empty for sources
  // without a test part.
  virtual std::vector<RawStream> test_streams() const { return {}; }
  // What a user should know about the data that is not an error (a vocabulary cut by
  // max_vocab), one line each; callers print them.
  virtual std::vector<std::string> warnings() const { return {}; }
};

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_DATASET_H_
