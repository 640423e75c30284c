#define BOOST_TEST_MODULE data_config
#include <boost/test/unit_test.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "trainer/config/config_error.h"
#include "trainer/data/csv_reader.h"
#include "trainer/data/data_config.h"
#include "trainer/data/event_log.h"

using nlohmann::json;
using runnel::config::ConfigError;
using runnel::data::make_dataset;

namespace {
std::string error_of(const json& j) {
  try {
    make_dataset(j, "testdata");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

json curl() {
  return json::parse(R"({
    "kind": "csv", "path": "events_curl.csv",
    "columns": {"entity": "entity", "time": "time",
                "categorical": ["event_type", "location", "cost_code", "job_code"],
                "numeric": [{"column": "n_files", "transform": "log1p"}]},
    "numeric_targets": true, "window": 32, "seed": 7
  })");
}
}  // namespace

BOOST_AUTO_TEST_CASE(csv_kind_reads_relative_to_base_dir) {
  auto ds = make_dataset(curl(), "testdata");
  const auto& s = ds->schema();
  BOOST_TEST(s.fields.size() == 4u);
  BOOST_TEST(s.numeric.size() == 1u);
  BOOST_TEST(s.targets.size() == 5u);
  BOOST_TEST(s.targets[4].name == "next:n_files");
  auto b = ds->train_batch(0, 4);
  BOOST_TEST(b.steps <= 32u);
  auto* log = dynamic_cast<runnel::data::EventLogDataset*>(ds.get());
  BOOST_REQUIRE(log);
  BOOST_TEST(log->test_events() == 7345u);   // default split 0.7 / 0.1 / 0.2
  BOOST_TEST(log->options().validation_context == 16u);
}

BOOST_AUTO_TEST_CASE(every_kind_builds) {
  for (const char* text : {
           R"({"kind": "synthetic_employees", "employees": 5, "days": 4, "window": 16})",
           R"({"kind": "synthetic_employees", "employees": 3, "days": 2,
               "columns": {"categorical": ["event_type", "actor"], "numeric": ["amount"]}})",
           R"({"kind": "seq_tabular", "train": 10, "validation": 4, "length": 12, "noise": 0})",
           R"({"kind": "posenc", "train": 10, "validation": 4, "length": 16, "first_index": 1, "second_index": 3})",
           R"({"kind": "multitask", "train": 10, "validation": 4, "min_length": 5, "max_length": 9})",
           R"({"kind": "adding", "train": 10, "validation": 4, "min_length": 100, "max_length": 400, "seed": 3})"}) {
    BOOST_TEST_CONTEXT(text) {
      auto ds = make_dataset(json::parse(text), "");
      BOOST_TEST(ds->train_batch(1, 3).rows == 3u);
      BOOST_TEST(!ds->validation_batches(4).empty());
      BOOST_TEST(!ds->schema().targets.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_name_the_field) {
  auto j = curl();
  j["columns"]["time"] = 12;
  BOOST_TEST(error_of(j) == "data.columns.time: expected a non-empty string, got 12");
  j = curl();
  j["kind"] = "parquet";
  BOOST_TEST(error_of(j).rfind("data.kind: expected one of csv, synthetic_employees", 0) == 0);
  j = curl();
  j.erase("path");
  BOOST_TEST(error_of(j) == "data.path: missing (expected a string)");
  j = curl();
  j["path"] = "nope.csv";
  BOOST_TEST(error_of(j).rfind("data.path: cannot open 'nope.csv'", 0) == 0);
  j = curl();
  j["train_fraction"] = 1.5;
  BOOST_TEST(error_of(j) == "data.train_fraction: expected a number in (0, 1], got 1.5");
  j["train_fraction"] = 0.8;
  j["split"] = json{{"train", 0.8}, {"validation", 0.2}, {"test", 0.0}};
  BOOST_TEST(error_of(j) == "data.train_fraction: give either split or train_fraction, not both");
  j.erase("train_fraction");
  j["split"] = json{{"train", 0.8}, {"validation", 0.1}};
  BOOST_TEST(error_of(j) ==
             "data.split: expected train + validation + test = 1, got 1.100000 (give all three when changing one)");
  j["split"] = json{{"train", 0.8}, {"valid", 0.1}, {"test", 0.1}};
  BOOST_TEST(error_of(j) == "data.split.valid: unknown field (expected one of test, train, validation)");
  j["split"] = json{{"train", 0.6}, {"validation", 0.2}, {"test", 0.2}};
  BOOST_TEST(error_of(j).empty());
  j = curl();
  j["window"] = -3;
  BOOST_TEST(error_of(j) == "data.window: expected an integer in [1, 1048576], got -3");
  j = curl();
  j["validation_context"] = 32;
  BOOST_TEST(error_of(j) == "data.validation_context: expected an integer in [0, 31], got 32");
  j = curl();
  j["columns"]["numeric"][0]["transform"] = "log";
  BOOST_TEST(error_of(j) == "data.columns.numeric[0].transform: expected one of none, log1p, got \"log\"");
  j = curl();
  j["columns"]["categorical"] = json::array({"event_type", 3});
  BOOST_TEST(error_of(j) == "data.columns.categorical[1]: expected a non-empty string, got 3");
  j = curl();
  j["windw"] = 3;
  BOOST_TEST(error_of(j).rfind("data.windw: unknown field", 0) == 0);
  BOOST_TEST(error_of(json::parse(R"({"kind": "adding", "min_length": 50, "max_length": 20})")) ==
             "data.max_length: expected an integer >= min_length (50), got 20");
  BOOST_TEST(error_of(json::parse(R"({"kind": "posenc", "length": 8, "first_index": 8})")) ==
             "data.first_index: expected an integer in [0, 7], got 8");
  BOOST_TEST(error_of(json::array()) == "data: expected an object, got []");
  BOOST_TEST(error_of(json::parse(R"({"train": 3})")).rfind("data.kind: missing", 0) == 0);
}

BOOST_AUTO_TEST_CASE(csv_column_errors_name_file_and_line) {
  auto j = curl();
  j["columns"]["time"] = "when";
  try {
    make_dataset(j, "testdata");
    BOOST_FAIL("no error");
  } catch (const runnel::data::CsvError& e) {
    BOOST_TEST(std::string(e.what()).rfind("events_curl.csv:1: missing column 'when' in header", 0) == 0);
  }
  j = curl();
  j["columns"]["numeric"] = json::array({"location"});
  try {
    make_dataset(j, "testdata");
    BOOST_FAIL("no error");
  } catch (const runnel::data::CsvError& e) {
    BOOST_TEST(std::string(e.what()) == "events_curl.csv:2:4 (location): expected a number, got 'lib'");
  }
}
