#define BOOST_TEST_MODULE data_baselines
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iostream>
#include <string>

#include "trainer/data/baselines.h"
#include "trainer/data/event_log.h"

using namespace runnel::data;

namespace {
// Bazel runs tests in the runfiles tree of the workspace.
const char* kCurl = "testdata/events_curl.csv";

EventLogOptions curl_options() {
  EventLogOptions o;
  o.fields = {"event_type", "location", "cost_code", "job_code"};
  o.numeric = {{"n_files", "log1p"}};
  return o;
}
}  // namespace

BOOST_AUTO_TEST_CASE(curl_split_matches_the_readme) {
  auto o = curl_options();   // default split 0.7 / 0.1 / 0.2
  EventLogDataset ds(read_event_log(kCurl, o, "events_curl.csv"), o);
  BOOST_TEST(ds.streams().size() == 57u);
  // The test part is the README's: each entity's events after its first floor(0.8 n).
  BOOST_TEST(ds.test_events() == 7345u);
  BOOST_TEST(ds.train_events() + ds.validation_events() == 29272u);
  BOOST_TEST(ds.validation_events() > 2000u);
  BOOST_TEST(ds.schema().fields[0].vocab.size() <= 18u);
  // Each validation event is the target of exactly one validation position.
  std::size_t targets = 0;
  for (const auto& b : ds.validation_batches(64)) {
    const auto& c = b.targets.at("next:location").classes;
    for (std::size_t r = 0; r < b.rows; ++r)
      for (std::size_t t = 0; t < b.lengths[r]; ++t) targets += c(r, t) != 0;
  }
  std::size_t unseen = 0;
  for (const auto& s : ds.validation_streams())
    for (std::size_t p = s.validation_start; p < s.events.size(); ++p)
      unseen += ds.encode(1, s.events[p].fields[1]) == 0;
  BOOST_TEST(targets + unseen == ds.validation_events());
}

BOOST_AUTO_TEST_CASE(curl_baselines_reproduce_the_readme) {
  auto o = curl_options();
  EventLogDataset ds(read_event_log(kCurl, o, "events_curl.csv"), o);
  BaselineReport r = split_baselines(ds, Part::kTest);
  std::cout << format_baselines(r);
  BOOST_TEST(r.scored_events == 7345u);
  BOOST_TEST(r.fit_events == 29272u);   // counts from train + validation, as the README's
  // The tables of tools/peers/baselines.py (all events; mean over entities).
  const char* names[] = {"majority", "last", "bigram", "trigram", "entity_majority",
                         "entity_bigram", "joint_bigram"};
  const double expect[7][4] = {{91.19, 37.59, 45.88, 6.64},  {85.09, 38.95, 39.48, 43.96},
                               {91.19, 39.54, 43.98, 43.96}, {91.14, 42.21, 44.44, 42.90},
                               {91.19, 41.61, 46.63, 7.86},  {91.16, 40.67, 44.85, 43.40},
                               {90.47, 39.74, 42.11, 41.36}};
  const double macro[7][4] = {{94.38, 39.21, 44.82, 4.56},  {90.43, 46.75, 46.45, 29.66},
                              {94.38, 49.18, 48.66, 29.66}, {94.37, 50.48, 50.48, 26.63},
                              {94.38, 54.88, 52.87, 6.81},  {94.37, 52.52, 51.71, 22.71},
                              {93.87, 47.23, 45.36, 27.67}};
  for (int b = 0; b < 7; ++b)
    for (int f = 0; f < 4; ++f) {
      BOOST_TEST_CONTEXT(names[b] << " " << o.fields[f]) {
        // That script rounds to 2 decimals: within 0.005 of the printed value (+ slack).
        BOOST_TEST(std::abs(r.get(names[b]).accuracy[f] - expect[b][f]) <= 0.0051);
        BOOST_TEST(std::abs(r.get(names[b]).macro[f] - macro[b][f]) <= 0.0051);
      }
    }
}

BOOST_AUTO_TEST_CASE(tie_breaks_by_global_frequency_then_text) {
  // Train: a: x y x z ; b: y y. Global freq: y 3, x 2, z 1.
  // Transitions from x: y 1, z 1 -> tie -> y (more frequent).
  std::vector<RawStream> s(2);
  s[0].entity = "a";
  for (const char* v : {"x", "y", "x", "z", "x", "q"}) s[0].events.push_back({0, {v}, {}});
  s[1].entity = "b";
  for (const char* v : {"y", "y", "w"}) s[1].events.push_back({0, {v}, {}});
  BaselineReport r = next_event_baselines(s, {4, 2}, {"f"});
  BOOST_TEST(r.scored_events == 3u);
  // a's validation: x (prev z), q (prev x); b's: w (prev y).
  // majority y: 0/3. last: z,x,y -> 0/3. bigram: z -> x (from train z? none: z has no successor in train) -> majority y; x -> y; y -> y.
  BOOST_TEST(r.get("majority").accuracy[0] == 0.0);
  BOOST_TEST(r.get("bigram").accuracy[0] == 0.0);
  // With a validation event equal to the tie winner it scores.
  s[0].events[5].fields[0] = "y";
  r = next_event_baselines(s, {4, 2}, {"f"});
  BOOST_TEST(std::abs(r.get("bigram").accuracy[0] - 100.0 / 3) < 1e-9);
  BOOST_TEST(std::abs(r.get("majority").accuracy[0] - 100.0 / 3) < 1e-9);
}

BOOST_AUTO_TEST_CASE(top_k_ranks_majority_last_bigram) {
  // Train: a: x y x z ; b: y y. Global ranking: y (3), x (2), z (1).
  // Validation: a: x (prev z), y (prev x); b: z (prev y).
  std::vector<RawStream> s(2);
  s[0].entity = "a";
  for (const char* v : {"x", "y", "x", "z", "x", "y"}) s[0].events.push_back({0, {v}, {}});
  s[1].entity = "b";
  for (const char* v : {"y", "y", "z"}) s[1].events.push_back({0, {v}, {}});
  BaselineReport r = next_event_baselines(s, {4, 2}, {"f"}, 2);
  BOOST_TEST(r.k == 2u);
  // majority {y, x}: x yes, y yes, z no.
  BOOST_TEST(std::abs(r.get("majority").topk[0] - 200.0 / 3) < 1e-9);
  // last = most recent distinct: a before p4 {z, x} yes; before p5 {x, z} no; b {y} + x no.
  BOOST_TEST(std::abs(r.get("last").topk[0] - 100.0 / 3) < 1e-9);
  // bigram: z has no successor -> {y, x} yes; x -> y 1, z 1 (tie: y more frequent) {y, z}
  // yes; y -> x 1, y 1 -> {y, x} no.
  BOOST_TEST(std::abs(r.get("bigram").topk[0] - 200.0 / 3) < 1e-9);
  // trigram: no (prev2, prev) pair was seen in train -> bigram's chain: 2/3.
  BOOST_TEST(std::abs(r.get("trigram").topk[0] - 200.0 / 3) < 1e-9);
  // entity_majority: a {x, y} (x 2, then y by global frequency): yes, yes; b {y} + x: no.
  BOOST_TEST(std::abs(r.get("entity_majority").topk[0] - 200.0 / 3) < 1e-9);
  // Per entity: a 2/2, b 0/1 -> mean 50 %.
  BOOST_TEST(std::abs(r.get("entity_majority").macro_topk[0] - 50.0) < 1e-9);
  BOOST_TEST(r.scored_per_entity == (std::vector<std::size_t>{2, 1}), boost::test_tools::per_element());
  // The per-event hits behind the percentages, in entity then event order.
  BOOST_TEST(r.get("entity_majority").hit_topk[0] == (std::vector<std::uint8_t>{1, 1, 0}), boost::test_tools::per_element());
  r = next_event_baselines(s, {4, 2}, {"f"}, 3);
  BOOST_TEST(r.get("majority").topk[0] == 100.0);
}

BOOST_AUTO_TEST_CASE(validation_part_counts_from_train_only) {
  auto o = curl_options();
  EventLogDataset ds(read_event_log(kCurl, o, "events_curl.csv"), o);
  BaselineReport v = split_baselines(ds, Part::kValidation);
  BOOST_TEST(v.part == "validation");
  BOOST_TEST(v.fit_events == ds.train_events());
  BOOST_TEST(v.scored_events == ds.validation_events());
  for (const auto& b : v.baselines) BOOST_TEST(b.hit[0].size() == ds.validation_events());
}
