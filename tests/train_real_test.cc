// The training loop with the real classes: data::make_dataset (synthetic employees),
// model::SequenceModel (a small multistream: transformers + cross-attention fusion), the
// config file loader and run_training. Resume is bit-identical, 1 and 2 threads give the
// same bits, the run directory has everything, config errors name file and field.
#define BOOST_TEST_MODULE train_real
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <tbb/global_control.h>

#include "tests/train_test_util.h"
#include "trainer/config/config_file.h"
#include "trainer/data/data_config.h"
#include "trainer/model/sequence_model.h"
#include "trainer/train/loop.h"
#include "trainer/train/run_training.h"

namespace fs = std::filesystem;
using namespace runnel;
using nlohmann::json;

namespace {
json small_config() {
  return json::parse(R"({
    "name": "tiny_multistream",
    "data": {"kind": "synthetic_employees", "employees": 6, "days": 3, "window": 12, "seed": 3},
    "model": {
      "d": 8,
      "streams": [
        {"fields": ["event_type"], "position": "learned", "max_len": 12,
         "encoder": {"kind": "transformer", "layers": 1, "heads": 2, "ff": 16, "window": 12}},
        {"fields": ["location"], "encoder": {"kind": "transformer", "layers": 1, "heads": 2, "ff": 16, "window": 12}},
        {"fields": ["cost_code"], "encoder": {"kind": "gru"}},
        {"fields": ["job_code"], "encoder": {"kind": "mean"}}
      ],
      "fusion": {"kind": "cross_attention", "heads": 2},
      "heads": [{"target": "next:event_type", "name": "event_type"}, {"target": "next:location", "name": "location"},
                {"target": "next:cost_code", "name": "cost_code"}, {"target": "next:job_code", "name": "job_code"}]
    },
    "train": {"optimizer": "adamw", "lr": 0.01, "warmup_steps": 2, "clip_norm": 1.0, "batch_size": 8,
              "steps": 6, "eval_every": 3, "shards": 4, "seed": 5}
  })");
}

struct Run {
  std::unique_ptr<data::Dataset> data;
  std::unique_ptr<model::SequenceModel> model;
  train::TrainConfig cfg;
  json config;
  Run() : config(small_config()) {
    data = data::make_dataset(config["data"], ".");
    model = std::make_unique<model::SequenceModel>(config["model"], data->schema());
    cfg = train::parse_train_config(config["train"]);
  }
  train::TrainResult train(const std::string& dir, bool resume = false, long stop_after = -1) {
    train::TrainOptions o;
    o.out_dir = dir;
    o.resume = resume;
    o.stop_after_step = stop_after;
    o.log = nullptr;
    o.config = config;
    return train::train_model(*model, *data, cfg, o);
  }
};

std::string final_params(const std::string& dir) {
  const auto latest = train::latest_checkpoint(dir + "/checkpoints");
  BOOST_REQUIRE(latest);
  return testing_util::checkpoint_parameter_bytes(*latest);
}
}  // namespace

BOOST_AUTO_TEST_CASE(resume_is_bit_identical_with_the_real_model) {
  testing_util::TempDir straight, split;
  Run run;
  const auto full = run.train(straight.path);
  BOOST_TEST(full.steps_done == 6);
  const auto half = run.train(split.path, false, 3);
  BOOST_TEST(half.interrupted);
  const auto rest = run.train(split.path, true);
  BOOST_TEST(rest.steps_done == 6);
  BOOST_TEST(final_params(straight.path) == final_params(split.path));
  BOOST_TEST(testing_util::read_file(straight.path + "/model.rnl") == testing_util::read_file(split.path + "/model.rnl"));
  BOOST_TEST(testing_util::csv_column(straight.path + "/metrics.csv", "loss") ==
             testing_util::csv_column(split.path + "/metrics.csv", "loss"));
  // The run directory.
  BOOST_TEST(fs::exists(straight.path + "/summary.json"));
  const json summary = json::parse(std::ifstream(straight.path + "/summary.json"));
  BOOST_TEST(summary["heads"].size() == 4u);
  BOOST_TEST(summary["heads"]["location"].contains("macro_f1"));
  BOOST_TEST(summary["parameters"].get<std::size_t>() > 0u);
  const auto cols = testing_util::split(
      testing_util::read_file(straight.path + "/metrics.csv").substr(0, testing_util::read_file(straight.path + "/metrics.csv").find('\n')), ',');
  BOOST_TEST(cols.size() == 6u + 4 * 4);
  BOOST_TEST(cols[6] == "event_type/loss");
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_give_the_same_bits_with_the_real_model) {
  testing_util::TempDir d1, d2;
  Run run;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    run.train(d1.path);
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    run.train(d2.path);
  }
  BOOST_TEST(final_params(d1.path) == final_params(d2.path));
  BOOST_TEST(testing_util::read_file(d1.path + "/model.rnl") == testing_util::read_file(d2.path + "/model.rnl"));
}

BOOST_AUTO_TEST_CASE(run_training_from_a_config_file_and_its_errors) {
  testing_util::TempDir dir;
  const std::string path = dir.path + "/tiny.json";
  std::ofstream(path) << small_config().dump(2);
  train::RunOptions o;
  o.config_path = path;
  o.out_dir = dir.path + "/run";
  o.steps = 2;
  o.log = nullptr;
  const auto r = train::run_training(o);
  BOOST_TEST(r.steps_done == 2);
  BOOST_TEST(fs::exists(dir.path + "/run/model.rnl"));
  BOOST_TEST(r.summary["config"]["train"]["steps"] == 2);

  auto expect_error = [&](json config, const std::string& prefix) {
    std::ofstream(path, std::ios::trunc) << config.dump(2);
    try {
      train::run_training(o);
      BOOST_FAIL("no error for " << prefix);
    } catch (const config::ConfigError& e) {
      BOOST_TEST(std::string(e.what()).rfind(path + ": " + prefix, 0) == 0, e.what());
    }
  };
  json bad = small_config();
  bad["model"]["streams"][0]["encoder"]["kind"] = "gru2";
  expect_error(bad, "model.streams[0].encoder.kind");
  bad = small_config();
  bad["data"]["employees"] = "many";
  expect_error(bad, "data.employees");
  bad = small_config();
  bad["train"]["optimizer"] = "lion";
  expect_error(bad, "train.optimizer");
}
