// The predictions file of `runnel run` (--out): after each event, one row per categorical
// output and rank (its top-k values) and one row per regression output (rank 1, no
// probability), each with the true value of the entity's next event beside it:
//   entity,time,field,rank,value,probability,next
// `next` is the next event's cell of that field's column (empty after an entity's last
// event, and for an output that predicts no column), so a row can only be written once
// the entity's next event has been read: an event's rows follow that next row, and the
// rows of every entity's last event come at the end, in order of first appearance.
#ifndef RUNNEL_TOOLS_CLI_PREDICTION_WRITER_H_
#define RUNNEL_TOOLS_CLI_PREDICTION_WRITER_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/model.h"
#include "engine/session.h"
#include "tools/cli/session_pool.h"

namespace runnel::cli {

class PredictionWriter {
 public:
  static constexpr size_t kNoColumn = static_cast<size_t>(-1);

  // `field_columns[f]`: the CSV column of vocabulary f; `numeric_columns[c]`: the CSV
  // column of the model's c-th numeric column (file order), both as `run` resolved them.
  PredictionWriter(std::ostream& out, const Model& model, std::vector<size_t> field_columns,
                   std::vector<size_t> numeric_columns);

  // Before the entity's event `row` (the CSV cells) is pushed: its previous event's rows
  // are written with this row's values as `next`.
  void next_event(const std::string& entity, const std::vector<std::string>& row);
  // A top-k prediction (EventStreamer::on_prediction).
  void categorical(const Prediction& p);
  // After the entity's event was pushed: its regression outputs.
  void regression(const std::string& entity, double time, const Session& session);
  // At the end of the log: the rows still waiting, with an empty `next`.
  void finish();

 private:
  struct Row {
    std::string text;     // "entity,time,field,rank,value,probability"
    size_t column;        // the CSV column `next` comes from, or kNoColumn
  };
  std::vector<Row>& pending(const std::string& entity);

  std::ostream& out_;
  const Model& model_;
  std::vector<size_t> field_columns_;
  std::vector<size_t> regression_columns_;   // per output: CSV column of its numeric, or kNoColumn
  std::unordered_map<std::string, std::vector<Row>> pending_;
  std::vector<std::string> entities_;        // first-appearance order, for finish()
};

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_PREDICTION_WRITER_H_
