// Event logs (CSV or generated) as a Dataset.
//
// Rows are grouped per entity (entities in order of first appearance) and ordered by
// time within each entity (stable: equal times keep file order). Split per entity,
// chronologically (Split): events [0, floor(train·n)) are train, then validation up to
// floor((train + validation)·n), the rest (the entity's last `test` fraction) test.
// Training sees train events only and evaluates on validation only; the test part is
// for `runnel eval` (test_streams), scored once. Vocabularies come from the train events only (ids by train count, then
// text; unseen strings -> 0). dt = seconds since the entity's previous event (0 for
// its first event).
//
// Training rows (train_batch): windows of up to `window` consecutive train events of
// one entity. Each row's last event e is drawn uniformly over all train events that
// have a next train event, from (seed, step, row) alone; the window is
// [max(0, e - window + 1), e]. Targets at position t: "next:<field>" = id of the
// entity's event after t (0 = ignore where there is none or it is not a train event),
// and, when numeric_targets, "next:<numeric>" (mask 0 where there is none).
//
// Validation rows (validation_batches): every validation event p of an entity is the
// target of input position p-1 (so it is predicted from the entity's earlier events,
// train or validation). Target positions are cut into chunks of
// S = window - validation_context consecutive positions; a chunk ending at position
// q is given the window [max(0, q - window + 1), q], so each target position sees at
// least validation_context preceding events of the entity (or all of them when there
// are fewer). Targets are set only on the chunk's positions, so each validation event
// is counted exactly once. Unseen validation values have id 0 and are therefore
// skipped by losses (count them as errors when comparing with the baselines, which
// do: see baselines.h).
#ifndef RUNNEL_TRAINER_DATA_EVENT_LOG_H_
#define RUNNEL_TRAINER_DATA_EVENT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <unordered_map>
#include <vector>

#include "trainer/data/dataset.h"

namespace runnel::data {

struct NumericColumn {
  std::string column;
  std::string transform = "none";   // "none" | "log1p" (sign(x)·log(1+|x|))
};

// Per-entity chronological fractions; they sum to 1. The default test part (each
// entity's last 20 %) is the split of the baselines in testdata/EVENTS_CURL.md.
struct Split {
  double train = 0.7, validation = 0.1, test = 0.2;
};

struct EventLogOptions {
  std::string entity = "entity";             // entity column
  std::string time = "time";                 // time column: seconds (a number)
  std::vector<std::string> fields;           // categorical columns, in schema order
  std::vector<NumericColumn> numeric;        // numeric columns, in schema order
  bool numeric_targets = false;              // also emit "next:<numeric>" targets
  Split split;                               // per entity, chronological
  // Per field, excluding id 0; 0 = no cap. Rarer values fold into the unknown id (and a
  // warning says how many): a column of a million distinct values would otherwise make a
  // million-way output layer, gigabytes and seconds per step.
  std::size_t max_vocab = 10000;
  std::size_t min_count = 1;                 // train count a value needs for an id
  std::size_t window = 64;                   // T: events per row
  std::size_t validation_context = 0;        // 0 = window / 2; must be < window
  std::uint64_t seed = 1;
};

// Applies a NumericColumn transform ("none", "log1p"); throws std::invalid_argument on
// an unknown name.
float apply_numeric_transform(const std::string& transform, double x);

// Reads a CSV event log: picks the named columns, groups per entity, sorts by time
// (stable). RawEvent::fields follow options.fields; RawEvent::numeric holds the values
// after their transform. Errors are CsvError naming file:line:column.
std::vector<RawStream> read_event_log(const std::string& path, const EventLogOptions& options,
                                      const std::string& display_name = "");
std::vector<RawStream> read_event_log(std::istream& in, const std::string& name,
                                      const EventLogOptions& options);

// The split point of an entity with n events: floor(fraction * n) (fraction = train, or
// train + validation for the start of the test part).
std::size_t train_count(std::size_t n, double fraction);

// Which held-out part of the split.
enum class Part { kValidation, kTest };

// What max_vocab left out of one field's vocabulary.
struct VocabFold {
  std::size_t values = 0;   // distinct train values folded into the unknown id
  std::size_t events = 0;   // train events holding them
};

// Builds the vocabulary of one field from the train events: vocab[0] = "", then values
// by descending train count, ties by text; min_count / max_vocab applied. `folded`, if
// given, gets what max_vocab cut (values min_count drops are not counted).
std::vector<std::string> build_vocab(const std::vector<RawStream>& streams,
                                     const std::vector<std::size_t>& n_train, std::size_t field,
                                     std::size_t max_vocab, std::size_t min_count, VocabFold* folded = nullptr);

class EventLogDataset : public Dataset {
 public:
  // streams as produced by read_event_log (fields/numeric in options order).
  EventLogDataset(std::vector<RawStream> streams, EventLogOptions options);

  const DataSchema& schema() const override { return schema_; }
  // Train windows available (train events with a next train event).
  std::size_t train_rows() const override { return train_positions_; }
  Batch train_batch(std::size_t step, std::size_t batch_size) const override;
  std::vector<Batch> validation_batches(std::size_t batch_size) const override;
  // Entities with validation events, each truncated after its last validation event.
  std::vector<RawStream> validation_streams() const override;
  // Entities with test events, whole; validation_start = the first test event.
  std::vector<RawStream> test_streams() const override;

  const EventLogOptions& options() const { return options_; }
  // One line per field whose vocabulary max_vocab cut: "data.max_vocab: field 'url': kept
  // the 10000 most frequent values; 990000 rarer distinct values (12.0 % of train events)
  // fold into the unknown id (raise data.max_vocab to keep more)".
  std::vector<std::string> warnings() const override { return warnings_; }
  const std::vector<RawStream>& streams() const { return streams_; }
  std::size_t train_count(std::size_t entity) const { return n_train_[entity]; }
  const std::vector<std::size_t>& train_counts() const { return n_train_; }
  // First event of entity e's test part (= its event count when there is no test part).
  std::size_t test_start(std::size_t entity) const { return n_until_test_[entity]; }
  const std::vector<std::size_t>& test_starts() const { return n_until_test_; }
  std::size_t train_events() const;
  std::size_t validation_events() const;
  std::size_t test_events() const;
  // Id of `value` in field `field`'s vocabulary (0 when unseen in train).
  std::int64_t encode(std::size_t field, const std::string& value) const;
  // Encoded ids of entity e's event i.
  std::int64_t id(std::size_t entity, std::size_t event, std::size_t field) const;

  struct Window {
    std::size_t entity = 0;
    std::size_t start = 0;         // first event of the row
    std::size_t length = 0;        // events in the row
    std::size_t target_from = 0;   // absolute positions >= this get targets...
    std::size_t target_limit = 0;  // ...if their next event is < this
  };
  // The windows validation_batches() uses, in order.
  std::vector<Window> validation_windows() const;
  Batch make_batch(const std::vector<Window>& windows) const;

 private:
  EventLogOptions options_;
  std::vector<RawStream> streams_;
  std::vector<std::size_t> n_train_;
  std::vector<std::size_t> n_until_test_;        // per entity: train + validation events
  std::vector<std::vector<std::int64_t>> ids_;   // per entity: [n * F]
  std::vector<std::vector<float>> dt_;           // per entity: [n]
  std::vector<std::size_t> cumulative_;          // prefix sums of train positions
  std::size_t train_positions_ = 0;
  std::vector<std::unordered_map<std::string, std::int64_t>> index_;  // per field
  DataSchema schema_;
  std::vector<std::string> warnings_;
};

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_EVENT_LOG_H_
