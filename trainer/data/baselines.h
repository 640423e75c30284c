// Next-event baselines on an event log: top-1 accuracy per categorical field of
//   majority  the most frequent train value of the field;
//   last      the entity's previous event's value;
//   bigram    argmax_x count(prev -> x) over consecutive train events of the same entity
//             (global counts); a previous value never seen as a predecessor -> majority;
//   trigram   argmax_x count(x_{t-2}, x_{t-1} -> x) (unseen -> bigram -> majority);
//   entity_majority  the entity's most frequent train value;
//   entity_bigram    the entity's own train transition counts (unseen -> bigram);
//   joint_bigram     conditioned on the whole previous event (all fields at once;
//                    unseen -> bigram).
// Counts come from the train events only and are not updated while evaluating. Every
// validation event p of an entity is predicted from the entity's events before it
// (train or validation). An entity's first event has no previous event: last and
// bigram predict the majority value there (the other n-grams fall back likewise).
// Ties between candidates: higher global train frequency, then the value's text (byte
// order). Unseen validation values are
// simply wrong for every baseline. This is the protocol of tools/peers/baselines.py,
// used for the real log (testdata/EVENTS_CURL.md).
#ifndef RUNNEL_TRAINER_DATA_BASELINES_H_
#define RUNNEL_TRAINER_DATA_BASELINES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "trainer/data/dataset.h"

namespace runnel::data {

struct BaselineResult {
  std::string name;                 // "majority", "last", "bigram", "trigram", ...
  std::vector<double> accuracy;     // percent, one per field, over all validation events
  std::vector<double> macro;        // percent, mean of per-entity accuracies
  // percent, top-k accuracy (k = BaselineReport::k) over all validation events: the true
  // value is among the baseline's k most likely values. Only majority, last and bigram
  // rank their candidates (empty for the others):
  //   majority  the k most frequent train values;
  //   last      the entity's k most recent distinct values (most recent first);
  //   bigram    the k most frequent successors of the previous value;
  // each list filled up to k with the most frequent train values not yet in it (ties as
  // for top-1). An entity's first event uses the majority list.
  std::vector<double> topk;
};

struct BaselineReport {
  std::vector<std::string> fields;
  std::size_t train_events = 0;
  std::size_t validation_events = 0;
  std::size_t k = 5;                // of BaselineResult::topk
  // majority, last, bigram, trigram, entity_majority, entity_bigram, joint_bigram
  std::vector<BaselineResult> baselines;
  const BaselineResult& get(const std::string& name) const;
};

// streams[e].events[0, n_train[e]) are train, the rest validation; RawEvent::fields
// hold the values of `fields` in order.
BaselineReport next_event_baselines(const std::vector<RawStream>& streams,
                                    const std::vector<std::size_t>& n_train,
                                    const std::vector<std::string>& fields, std::size_t k = 5);

// A fixed-width text table of the report (what `runnel` tools print).
std::string format_baselines(const BaselineReport& report);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_BASELINES_H_
