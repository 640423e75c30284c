// Next-event baselines on an event log: top-1 and top-k accuracy per categorical field of
//   majority  the most frequent train value of the field;
//   last      the entity's previous event's value;
//   bigram    argmax_x count(prev -> x) over consecutive train events of the same entity
//             (global counts); a previous value never seen as a predecessor -> majority;
//   trigram   argmax_x count(x_{t-2}, x_{t-1} -> x) (unseen -> bigram -> majority);
//   entity_majority  the entity's most frequent train value;
//   entity_bigram    the entity's own train transition counts (unseen -> bigram);
//   joint_bigram     conditioned on the whole previous event (all fields at once;
//                    unseen -> bigram).
// Counts come from the fitted events only (streams[e].events[0, n_fit[e])) and are not
// updated while evaluating. Every scored event p of an entity is predicted from the
// entity's events before it (fitted or scored). An entity's first event has no previous
// event: last and bigram predict the majority value there (the other n-grams fall back
// likewise). Ties between candidates: higher global train frequency, then the value's
// text (byte order). Unseen values are simply wrong for every baseline. This is the
// protocol of tools/peers/baselines.py, used for the real log (testdata/EVENTS_CURL.md).
//
// Top-k: each baseline ranks candidates as a chain of lists, best first, duplicates
// skipped, cut at k; its top-1 is the first of the chain:
//   majority         the train values by frequency;
//   last             the entity's distinct values, most recent first; then majority's;
//   bigram           the successors of the previous value by count; then majority's;
//   trigram          the successors of the previous two values; then bigram's chain;
//   entity_majority  the entity's train values by count; then majority's;
//   entity_bigram    the entity's successors of the previous value; then bigram's chain;
//   joint_bigram     the successors of the whole previous event; then bigram's chain.
#ifndef RUNNEL_TRAINER_DATA_BASELINES_H_
#define RUNNEL_TRAINER_DATA_BASELINES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/data/dataset.h"
#include "trainer/data/event_log.h"

namespace runnel::data {

struct BaselineResult {
  std::string name;                 // "majority", "last", "bigram", "trigram", ...
  std::vector<double> accuracy;     // top-1 percent per field, over all scored events
  std::vector<double> macro;        // top-1 percent, mean of per-entity accuracies
  std::vector<double> topk;         // top-k percent (k = BaselineReport::k), all scored events
  std::vector<double> macro_topk;   // top-k percent, mean of per-entity accuracies
  // Per field, per scored event (entities in stream order, then events in time order):
  // 1 when right. What paired tests (McNemar) compare against another predictor.
  std::vector<std::vector<std::uint8_t>> hit, hit_topk;
};

struct BaselineReport {
  std::vector<std::string> fields;
  std::size_t fit_events = 0;       // events the counts come from
  std::size_t scored_events = 0;    // events predicted
  std::size_t k = 5;                // of BaselineResult::topk
  std::string part = "validation";  // what the scored events are (for printing)
  // Scored events per entity with at least one (the order of BaselineResult::hit).
  std::vector<std::size_t> scored_per_entity;
  // majority, last, bigram, trigram, entity_majority, entity_bigram, joint_bigram
  std::vector<BaselineResult> baselines;
  const BaselineResult& get(const std::string& name) const;
};

// streams[e].events[0, n_fit[e]) are fitted, the rest scored; RawEvent::fields hold the
// values of `fields` in order.
BaselineReport next_event_baselines(const std::vector<RawStream>& streams, const std::vector<std::size_t>& n_fit,
                                    const std::vector<std::string>& fields, std::size_t k = 5);

// The baselines on a part of an event log's split: validation (counts from train, the
// test part left out) or test (counts from train + validation: baselines have nothing to
// select on validation, so they may learn from it).
BaselineReport split_baselines(const EventLogDataset& log, Part part, std::size_t k = 5);

// A fixed-width text table of the report (what `runnel baselines` prints): top-1 and
// top-k over all scored events and per-entity means.
std::string format_baselines(const BaselineReport& report);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_BASELINES_H_
