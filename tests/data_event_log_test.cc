#define BOOST_TEST_MODULE data_event_log
#include <boost/test/unit_test.hpp>

#include <set>
#include <sstream>
#include <string>

#include <xtensor/xview.hpp>

#include <iostream>

#include "trainer/data/baselines.h"
#include "trainer/data/csv_reader.h"
#include "trainer/data/event_log.h"
#include "trainer/data/synthetic_employees.h"

using namespace runnel::data;

namespace {
// Two entities; entity "a" has 10 events (8 train, 2 validation) given out of order,
// "b" has 5 (4 train, 1 validation). Value "z" appears only in validation.
const char* kLog =
    "entity,time,kind,size\n"
    "a,100,x,1\n"
    "b,5,p,0\n"
    "a,110,y,3\n"
    "a,105,x,2\n"   // out of order: sorted to the 2nd event of a
    "a,120,x,4\n"
    "b,6,q,0\n"
    "a,130,y,5\n"
    "a,130,x,6\n"   // same time as the previous row: stable order keeps y then x
    "b,8,p,0\n"
    "a,150,x,7\n"
    "a,160,y,8\n"
    "b,9,q,0\n"
    "a,170,z,9\n"
    "a,171,y,10\n"
    "b,19,z,0\n";

EventLogOptions options() {
  EventLogOptions o;
  o.fields = {"kind"};
  o.numeric = {{"size", "log1p"}};
  o.numeric_targets = true;
  o.window = 4;
  o.validation_context = 2;
  o.split = {0.8, 0.2, 0.0};   // no test part: these cases are about train vs validation
  return o;
}

EventLogDataset load(const EventLogOptions& o) {
  std::istringstream in(kLog);
  return EventLogDataset(read_event_log(in, "log.csv", o), o);
}
}  // namespace

BOOST_AUTO_TEST_CASE(grouping_sorting_and_split) {
  auto o = options();
  auto ds = load(o);
  BOOST_REQUIRE(ds.streams().size() == 2u);
  const auto& a = ds.streams()[0];
  BOOST_TEST(a.entity == "a");
  BOOST_TEST(a.events.size() == 10u);
  BOOST_TEST(a.events[1].time == 105.0);
  BOOST_TEST(a.events[4].fields[0] == "y");  // stable among equal times
  BOOST_TEST(a.events[5].fields[0] == "x");
  BOOST_TEST(std::abs(a.events[0].numeric[0] - std::log1p(1.0f)) < 1e-6);
  BOOST_TEST(ds.train_count(0) == 8u);
  BOOST_TEST(ds.train_count(1) == 4u);
  BOOST_TEST(ds.train_events() == 12u);
  BOOST_TEST(ds.validation_events() == 3u);
  BOOST_TEST(train_count(5, 0.8) == 4u);
  BOOST_TEST(train_count(57, 0.8) == 45u);
}

BOOST_AUTO_TEST_CASE(vocab_from_train_only) {
  auto ds = load(options());
  const auto& vocab = ds.schema().fields.at(0).vocab;
  // train counts: x 5, y 3 (a), p 2, q 2 (b); ties by text. z is validation-only.
  std::vector<std::string> expect{"", "x", "y", "p", "q"};
  BOOST_TEST(vocab == expect, boost::test_tools::per_element());
  BOOST_TEST(ds.encode(0, "z") == 0);
  BOOST_TEST(ds.encode(0, "x") == 1);
  BOOST_TEST(ds.schema().targets.size() == 2u);
  BOOST_TEST(ds.schema().targets[0].name == "next:kind");
  BOOST_TEST(ds.schema().targets[0].classes == 5u);
  BOOST_TEST(ds.schema().targets[1].name == "next:size");
  BOOST_TEST(ds.schema().has_time);

  BOOST_TEST(ds.warnings().empty());   // default cap 10 000: nothing folded

  auto o = options();
  o.max_vocab = 2;
  BOOST_TEST(load(o).schema().fields[0].vocab.size() == 3u);
  // Issue 17: the cut is reported, naming the field, how many values and their share.
  const std::vector<std::string> w = load(o).warnings();
  BOOST_TEST_REQUIRE(w.size() == 1u);
  BOOST_TEST(w[0] == "data.max_vocab: field 'kind': kept the 2 most frequent values; 2 rarer distinct values "
                     "(33.3 % of train events) fold into the unknown id (raise data.max_vocab to keep more)");
  o.max_vocab = 0;
  o.min_count = 3;
  BOOST_TEST(load(o).schema().fields[0].vocab.size() == 3u);  // x, y
}

BOOST_AUTO_TEST_CASE(dt_and_windows) {
  auto ds = load(options());
  // Whole-entity window for a: 8 train events; the last one (index 7) has no train next.
  EventLogDataset::Window w{0, 0, 8, 0, 8};
  Batch b = ds.make_batch({w});
  BOOST_TEST(b.steps == 8u);
  BOOST_TEST(b.dt(0, 0) == 0.f);
  BOOST_TEST(b.dt(0, 1) == 5.f);
  BOOST_TEST(b.dt(0, 5) == 0.f);
  BOOST_TEST(b.dt(0, 7) == 10.f);
  BOOST_TEST(b.ids(0, 0, 0) == 1);
  BOOST_TEST(b.targets.at("next:kind").classes(0, 0) == 1);  // 105 x
  BOOST_TEST(b.targets.at("next:kind").classes(0, 1) == 2);  // 110 y
  BOOST_TEST(b.targets.at("next:kind").classes(0, 7) == 0);  // next is validation
  BOOST_TEST(b.targets.at("next:size").mask(0, 7) == 0.f);
  BOOST_TEST(b.targets.at("next:size").mask(0, 6) == 1.f);
  BOOST_TEST(std::abs(b.targets.at("next:size").values(0, 6) - std::log1p(8.0f)) < 1e-6);
  BOOST_TEST(b.statics.shape()[1] == 0u);
}

BOOST_AUTO_TEST_CASE(train_batches_are_deterministic) {
  auto ds = load(options());
  BOOST_TEST(ds.train_rows() == 7u + 3u);
  Batch b1 = ds.train_batch(3, 16), b2 = ds.train_batch(3, 16), b3 = ds.train_batch(4, 16);
  BOOST_TEST(b1.ids == b2.ids);
  BOOST_TEST(b1.lengths == b2.lengths, boost::test_tools::per_element());
  BOOST_TEST(b1.targets.at("next:kind").classes == b2.targets.at("next:kind").classes);
  BOOST_TEST((b1.ids != b3.ids || b1.lengths != b3.lengths));
  for (std::size_t r = 0; r < b1.rows; ++r) {
    BOOST_TEST(b1.lengths[r] >= 1u);
    BOOST_TEST(b1.lengths[r] <= 4u);
    // The last position of a train row always has a train target (never 0 here: all train values are in vocab).
    BOOST_TEST(b1.targets.at("next:kind").classes(r, b1.lengths[r] - 1) != 0);
  }
  // No validation value (z) ever appears as a train target or input.
  for (std::size_t s = 0; s < 50; ++s) {
    Batch b = ds.train_batch(s, 8);
    for (std::size_t r = 0; r < b.rows; ++r)
      for (std::size_t t = b.lengths[r]; t < b.steps; ++t) BOOST_TEST(b.ids(r, t, 0) == 0);
  }
}

BOOST_AUTO_TEST_CASE(validation_covers_each_event_once) {
  auto ds = load(options());
  auto windows = ds.validation_windows();
  std::size_t targets = 0;
  for (const auto& b : ds.validation_batches(2)) {
    const auto& kind = b.targets.at("next:kind");
    const auto& size = b.targets.at("next:size");
    for (std::size_t r = 0; r < b.rows; ++r)
      for (std::size_t t = 0; t < b.steps; ++t) targets += size.mask(r, t) > 0;
    (void)kind;
  }
  BOOST_TEST(targets == 3u);
  // a: validation events 8, 9 are targets of positions 7, 8 (one chunk of S = 2);
  // window [5, 8] gives 2 events of context before position 7.
  BOOST_REQUIRE(windows.size() == 2u);
  BOOST_TEST(windows[0].start == 5u);
  BOOST_TEST(windows[0].length == 4u);
  BOOST_TEST(windows[0].target_from == 7u);
  BOOST_TEST(windows[1].entity == 1u);
  BOOST_TEST(windows[1].start == 0u);
  BOOST_TEST(windows[1].target_from == 3u);
  Batch vb = ds.make_batch({windows[0]});
  BOOST_TEST(vb.targets.at("next:kind").classes(0, 1) == 0);  // position 6: not a validation target
  BOOST_TEST(vb.targets.at("next:kind").classes(0, 2) == 0);  // z: unseen -> 0
  BOOST_TEST(vb.targets.at("next:kind").classes(0, 3) == 2);  // y
  auto streams = ds.validation_streams();
  BOOST_REQUIRE(streams.size() == 2u);
  BOOST_TEST(streams[0].validation_start == 8u);
  BOOST_TEST(streams[0].events.size() == 10u);
  BOOST_TEST(streams[0].events[8].fields[0] == "z");
}

BOOST_AUTO_TEST_CASE(three_way_split) {
  auto o = options();
  o.split = {0.5, 0.2, 0.3};
  auto ds = load(o);
  // a: 10 events -> train [0, 5), validation [5, 7), test [7, 10);
  // b: 5 events -> train [0, 2), validation [2, 3), test [3, 5).
  BOOST_TEST(ds.train_count(0) == 5u);
  BOOST_TEST(ds.test_start(0) == 7u);
  BOOST_TEST(ds.train_count(1) == 2u);
  BOOST_TEST(ds.test_start(1) == 3u);
  BOOST_TEST(ds.train_events() == 7u);
  BOOST_TEST(ds.validation_events() == 3u);
  BOOST_TEST(ds.test_events() == 5u);
  // Validation rows never reach into the test part: targets only for events 5, 6 of a
  // and 2 of b, and no input past the last validation event.
  std::size_t targets = 0;
  for (const auto& w : ds.validation_windows()) {
    BOOST_TEST(w.start + w.length <= ds.test_start(w.entity) - 1);
    BOOST_TEST(w.target_limit == ds.test_start(w.entity));
  }
  for (const auto& b : ds.validation_batches(4))
    for (std::size_t r = 0; r < b.rows; ++r)
      for (std::size_t t = 0; t < b.steps; ++t) targets += b.targets.at("next:size").mask(r, t) > 0;
  BOOST_TEST(targets == 3u);
  auto val = ds.validation_streams();
  BOOST_REQUIRE(val.size() == 2u);
  BOOST_TEST(val[0].events.size() == 7u);   // cut where the test part starts
  BOOST_TEST(val[0].validation_start == 5u);
  auto test = ds.test_streams();
  BOOST_REQUIRE(test.size() == 2u);
  BOOST_TEST(test[0].events.size() == 10u);
  BOOST_TEST(test[0].validation_start == 7u);
  BOOST_TEST(test[1].validation_start == 3u);
  // Vocabularies still come from train only: z (a's 9th event) is unknown.
  BOOST_TEST(ds.encode(0, "z") == 0);
}

BOOST_AUTO_TEST_CASE(config_errors_name_the_column) {
  auto o = options();
  o.numeric = {{"kind", "none"}};
  std::istringstream in(kLog);
  try {
    read_event_log(in, "log.csv", o);
    BOOST_FAIL("no error");
  } catch (const CsvError& e) {
    BOOST_TEST(std::string(e.what()) == "log.csv:2:3 (kind): expected a number, got 'x'");
  }
  o = options();
  o.time = "when";
  std::istringstream in2(kLog);
  BOOST_CHECK_THROW(read_event_log(in2, "log.csv", o), CsvError);
}

BOOST_AUTO_TEST_CASE(synthetic_employees_seeded_and_structured) {
  EmployeeOptions g;
  g.employees = 6;
  g.days = 10;
  BOOST_TEST(synthetic_employees_csv(g) == synthetic_employees_csv(g));
  EmployeeOptions g2 = g;
  g2.seed = 2;
  BOOST_TEST(synthetic_employees_csv(g) != synthetic_employees_csv(g2));
  auto log = employee_log_options();
  log.window = 32;
  auto ds = make_synthetic_employees(g, log);
  BOOST_TEST(ds->streams().size() == 6u);
  BOOST_TEST(ds->schema().fields.size() == 4u);
  BOOST_TEST(ds->schema().fields[0].name == "event_type");
  BOOST_TEST(ds->schema().fields[0].vocab.size() == 7u);
  for (const auto& s : ds->streams()) {
    BOOST_TEST(s.events.size() > 30u);
    BOOST_TEST(s.events.front().fields[0] == "clock_in");
    BOOST_TEST(s.events.back().fields[0] == "clock_out");
    for (std::size_t i = 1; i < s.events.size(); ++i) BOOST_TEST(s.events[i].time >= s.events[i - 1].time);
  }
  Batch b = ds->train_batch(0, 8);
  BOOST_TEST(b.ids.shape()[2] == 4u);
  BOOST_TEST(b.targets.count("next:job_code") == 1u);
  BOOST_TEST(!ds->validation_batches(16).empty());
}

BOOST_AUTO_TEST_CASE(synthetic_employees_baselines) {
  // The default log (40 employees x 30 days): the n-gram baselines it documents in
  // models/DATA_CONFIG.md; structure beyond the previous event is left for a model.
  auto log = employee_log_options();
  auto ds = make_synthetic_employees(EmployeeOptions{}, log);
  BaselineReport r = split_baselines(*ds, Part::kTest);
  std::cout << format_baselines(r);
  BOOST_TEST(r.scored_events == 4467u);   // the test part: each employee's last 20 %
  // Location is sticky within a day: repeating it beats the majority by a wide margin.
  BOOST_TEST(r.get("last").accuracy[1] > r.get("majority").accuracy[1] + 20);
}
