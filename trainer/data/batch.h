// A training batch: what every data source (synthetic generators, the CSV event-log
// reader) produces and what the model's sequence forward consumes. Rows are entity
// streams, left-aligned and padded at the end; causal ops never look past a row's
// length, and losses skip padded positions.
#ifndef RUNNEL_TRAINER_DATA_BATCH_H_
#define RUNNEL_TRAINER_DATA_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

namespace runnel::data {

// One target of a head.
struct Target {
  // Event-level categorical: [B, T] class ids, 0 = ignore (padding, no next event, or
  // unknown). Sequence-level categorical: [B] class ids (>= 1; 0 = ignore).
  xt::xarray<int64_t> classes;
  // Event-level regression: [B, T]; sequence-level regression: [B].
  xt::xarray<float> values;
  // For regression: 1 where values counts, 0 where ignored. Same shape as values.
  xt::xarray<float> mask;
};

struct Batch {
  std::size_t rows = 0;                  // B
  std::size_t steps = 0;                 // T (longest row)
  std::vector<std::size_t> lengths;      // per row, 1..T
  xt::xarray<int64_t> ids;               // [B, T, F] categorical field ids (0 = unknown/pad)
  xt::xarray<float> numeric;             // [B, T, N] numeric values (0 on padding)
  xt::xarray<float> dt;                  // [B, T] seconds since the entity's previous event
  xt::xarray<float> statics;             // [B, S] static (tabular) features of each row's entity
  std::map<std::string, Target> targets; // by head name (see the model config's heads)
};

// Which target a head trains on is named in the config; sources fill these keys:
//   "next:<field>"    event-level categorical: the next event's id of that field
//   "next:<numeric>"  event-level regression: the next event's numeric value
//   "<label name>"    sequence-level target defined by the data source (e.g. "sum",
//                     "class", "value"), read after each row's last event.

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_BATCH_H_
