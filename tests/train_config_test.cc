// The "train" config section and the config file loader: defaults, every error names its
// field (and the file), CRC-32C and the TFRecord framing building blocks.
#define BOOST_TEST_MODULE train_config
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

#include "tests/train_test_util.h"
#include "trainer/config/config_file.h"
#include "trainer/train/io_util.h"
#include "trainer/train/tensorboard.h"
#include "trainer/train/train_config.h"

using namespace runnel;
using nlohmann::json;

namespace {
std::string error_of(const json& section) {
  try {
    train::parse_train_config(section);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string file_error(const std::string& text, const std::string& dir) {
  const std::string path = dir + "/model.json";
  std::ofstream(path) << text;
  try {
    config::load_config_file(path);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_CASE(defaults_and_schedule) {
  const auto c = train::parse_train_config(json::object());
  BOOST_TEST(c.optimizer == "adam");
  BOOST_TEST(c.shards == 4u);
  BOOST_TEST(c.batch_size == 32u);
  const auto w = train::parse_train_config(json{{"lr", 1.0}, {"warmup_steps", 4}, {"steps", 14}});
  BOOST_TEST(w.learning_rate(0) == 0.25);
  BOOST_TEST(w.learning_rate(3) == 1.0);
  BOOST_TEST(w.learning_rate(9) == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(w.learning_rate(14) == 0.0);
  const auto flat = train::parse_train_config(json{{"lr", 1.0}, {"cosine_decay", false}, {"steps", 14}});
  BOOST_TEST(flat.learning_rate(13) == 1.0);
  BOOST_TEST(train::parse_train_config(json{{"optimizer", "adamw"}}).weight_decay == 0.01);
}

BOOST_AUTO_TEST_CASE(errors_name_the_field) {
  BOOST_TEST(error_of(json{{"optimizer", "rmsprop"}}) ==
             "train.optimizer: expected one of sgd, adam, adamw, got \"rmsprop\"");
  BOOST_TEST(error_of(json{{"lr", -1}}) == "train.lr: expected a positive number, got -1");
  BOOST_TEST(error_of(json{{"lr", "fast"}}).rfind("train.lr:", 0) == 0);
  BOOST_TEST(error_of(json{{"batch_size", 0}}).rfind("train.batch_size:", 0) == 0);
  BOOST_TEST(error_of(json{{"steps", 2.5}}).rfind("train.steps:", 0) == 0);
  BOOST_TEST(error_of(json{{"betas", {0.9}}}).rfind("train.betas:", 0) == 0);
  BOOST_TEST(error_of(json{{"momentum", 0.9}}).rfind("train.momentum: only used by optimizer sgd", 0) == 0);
  BOOST_TEST(error_of(json{{"batch_size", 2}, {"shards", 4}}).rfind("train.shards:", 0) == 0);
  BOOST_TEST(error_of(json{{"clip", 1.0}}).rfind("train.clip: unknown field", 0) == 0);
  BOOST_TEST(error_of(json{{"seed", -3}}).rfind("train.seed:", 0) == 0);
  BOOST_TEST(error_of(json{{"cosine_decay", 1}}).rfind("train.cosine_decay:", 0) == 0);
  BOOST_TEST(error_of(json::array()).rfind("train: expected an object", 0) == 0);
  BOOST_TEST(error_of(json{{"select", 3}}).rfind("train.select: expected a validation metric name", 0) == 0);
  BOOST_TEST(error_of(json{{"patience", 2}}) ==
             "train.patience: needs train.eval_every > 0 (early stopping compares evaluations)");
  BOOST_TEST(error_of(json{{"patience", -1}, {"eval_every", 5}}).rfind("train.patience: expected a non-negative", 0) == 0);
  BOOST_TEST(error_of(json{{"patience", 2}, {"eval_every", 5}, {"select", "location/accuracy"}}).empty());
}

BOOST_AUTO_TEST_CASE(config_file_errors_name_the_file_and_field) {
  testing_util::TempDir dir;
  const std::string f = dir.path + "/model.json";
  BOOST_TEST(file_error("{\"data\": {}, \"model\": {},\n \"train\": {\"lr\": }}", dir.path)
                 .rfind(f + ": malformed JSON at line 2, column", 0) == 0);
  BOOST_TEST(file_error("{\"data\": {}, \"model\": {}}", dir.path) == f + ": train: missing section");
  BOOST_TEST(file_error("{\"data\": {}, \"model\": [], \"train\": {}}", dir.path) ==
             f + ": model: expected an object, got []");
  BOOST_TEST(file_error("{\"data\": {}, \"model\": {}, \"train\": {\"steps\": 0}}", dir.path) ==
             f + ": train.steps: expected a positive integer, got 0");
  BOOST_TEST(file_error("{\"data\": {}, \"model\": {}, \"train\": {}, \"trian\": {}}", dir.path)
                 .rfind(f + ": trian: unknown field", 0) == 0);
  try {
    config::load_config_file(dir.path + "/missing.json");
    BOOST_FAIL("no error");
  } catch (const config::ConfigError& e) {
    BOOST_TEST(std::string(e.what()).rfind(dir.path + "/missing.json: cannot read config file", 0) == 0);
  }
  // Issue 17: a key given twice, a number beyond double and a directory name the file and field.
  BOOST_TEST(file_error("{\"data\": {}, \"model\": {}, \"train\": {\"lr\": 0.1, \"steps\": 3, \"lr\": 1}}", dir.path) ==
             f + ": train.lr: key given twice in one object (give each key once)");
  BOOST_TEST(file_error("{\"data\": {\"columns\": {\"numeric\": [{\"a\": 1, \"a\": 2}]}}}", dir.path) ==
             f + ": data.columns.numeric[0].a: key given twice in one object (give each key once)");
  BOOST_TEST(file_error("{\"data\": {}, \"model\": {},\n \"train\": {\"lr\": 1e999}}", dir.path) ==
             f + ": train.lr: number out of range: 1e999 (line 2, column 18)");
  try {
    config::load_config_file(dir.path);
    BOOST_FAIL("no error");
  } catch (const config::ConfigError& e) {
    BOOST_TEST(std::string(e.what()) == dir.path + ": is a directory, not a config file");
  }
  std::ofstream(f) << "// comment\n{\"name\": \"m\", \"data\": {\"a\": 1}, \"model\": {}, \"train\": {\"steps\": 5}}";
  const auto c = config::load_config_file(f);
  BOOST_TEST(c.name == "m");
  BOOST_TEST(c.train.steps == 5);
  BOOST_TEST(c.data["a"] == 1);
  // Errors of other sections' parsers get the file prefix too.
  try {
    config::in_config_file(f, []() -> int { throw config::ConfigError("model.width: expected a positive integer"); });
  } catch (const config::ConfigError& e) {
    BOOST_TEST(std::string(e.what()) == f + ": model.width: expected a positive integer");
  }
}

BOOST_AUTO_TEST_CASE(crc32c_and_record_framing) {
  BOOST_TEST(train::crc32c("123456789", 9) == 0xE3069283u);
  const std::string event = train::TensorBoardWriter::encode_event(1.0, 3, nullptr, {{"a/b", 0.5f}});
  const std::string record = train::TensorBoardWriter::frame_record(event);
  BOOST_TEST(record.size() == 8 + 4 + event.size() + 4);
  testing_util::TempDir dir;
  std::ofstream(dir.path + "/ev", std::ios::binary) << record;
  const auto events = testing_util::read_tfevents(dir.path + "/ev");
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].step == 3);
  BOOST_TEST(events[0].values.at("a/b") == 0.5f);
  BOOST_TEST(events[0].wall_time == 1.0);
}
