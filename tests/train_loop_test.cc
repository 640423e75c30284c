// The training loop on a small stand-in model (tests/train_fake_model.h): resume is
// bit-identical, thread count does not change the bits, NaN stops with step and head,
// metrics.csv columns, TensorBoard records parse back, checkpoints are atomic.
#define BOOST_TEST_MODULE train_loop
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <tbb/global_control.h>

#include "tests/train_fake_model.h"
#include "tests/train_test_util.h"
#include "trainer/optim/optimizer.h"
#include "trainer/train/checkpoint.h"
#include "trainer/train/loop.h"

namespace fs = std::filesystem;
using namespace runnel;
using runnel::testing::FakeDataset;
using runnel::testing::FakeModel;

namespace {
train::TrainConfig small_config(long steps) {
  return train::parse_train_config(nlohmann::json{{"optimizer", "adam"},
                                                  {"lr", 0.05},
                                                  {"warmup_steps", 3},
                                                  {"clip_norm", 1.0},
                                                  {"batch_size", 16},
                                                  {"steps", steps},
                                                  {"eval_every", 4},
                                                  {"checkpoint_every", 3},
                                                  {"shards", 4},
                                                  {"seed", 7}});
}

train::TrainOptions options(const std::string& dir) {
  train::TrainOptions o;
  o.out_dir = dir;
  o.log = nullptr;
  return o;
}

std::string final_params(const std::string& dir) {
  const auto latest = train::latest_checkpoint(dir + "/checkpoints");
  BOOST_REQUIRE(latest);
  return testing_util::checkpoint_parameter_bytes(*latest);
}
}  // namespace

BOOST_AUTO_TEST_CASE(train_optimizer_matches_trainer_optim_bit_for_bit) {
  for (const std::string kind : {"sgd", "adam", "adamw"}) {
    nlohmann::json j = {{"optimizer", kind}, {"lr", 0.1}, {"weight_decay", 0.01}};
    if (kind == "sgd") j["momentum"] = 0.9;
    const train::TrainConfig cfg = train::parse_train_config(j);
    ag::ParameterSet<float> a, b;
    FakeModel().init_parameters(a, 3);
    FakeModel().init_parameters(b, 3);
    train::TrainOptimizer mine(a, cfg);
    std::unique_ptr<optim::Optimizer<float>> ref;
    if (kind == "sgd") ref = std::make_unique<optim::Sgd<float>>(b, 0.9f, 0.01f);
    else {
      optim::Adam<float>::Options o;
      o.weight_decay = 0.01f;
      o.decoupled = kind == "adamw";
      ref = std::make_unique<optim::Adam<float>>(b, o);
    }
    const FakeDataset data(1);
    for (int step = 0; step < 5; ++step) {
      const auto batch = data.train_batch(step, 8);
      for (auto* p : {&a, &b}) {
        p->zero_grad();
        ag::backward(FakeModel().forward(*p, batch, 0, 8, false, 0).loss);
      }
      mine.step(0.1f);
      ref->step(0.1f);
    }
    for (std::size_t i = 0; i < a.size(); ++i)
      BOOST_TEST(std::memcmp(a.all()[i].value().data(), b.all()[i].value().data(),
                             a.all()[i].size() * sizeof(float)) == 0,
                 kind << " " << a.all()[i].name());
  }
}

BOOST_AUTO_TEST_CASE(resume_is_bit_identical_to_an_uninterrupted_run) {
  testing_util::TempDir straight, split;
  const auto cfg = small_config(10);
  const FakeModel model;
  const FakeDataset data(5);
  const auto r1 = train::train_model(model, data, cfg, options(straight.path));
  BOOST_TEST(r1.steps_done == 10);
  BOOST_TEST(!r1.interrupted);

  auto first = options(split.path);
  first.stop_after_step = 5;  // as if Ctrl-C arrived during step 5
  const auto r2 = train::train_model(model, data, cfg, first);
  BOOST_TEST(r2.interrupted);
  BOOST_TEST(r2.steps_done == 5);
  BOOST_TEST(fs::exists(train::checkpoint_path(split.path + "/checkpoints", 5)));
  BOOST_TEST(!fs::exists(split.path + "/model.rnl"));

  auto second = options(split.path);
  second.resume = true;
  const auto r3 = train::train_model(model, data, cfg, second);
  BOOST_TEST(r3.steps_done == 10);
  BOOST_TEST(final_params(straight.path) == final_params(split.path));
  // The loss column of metrics.csv is identical too (train rows 1..10, eval rows).
  BOOST_TEST(testing_util::csv_column(straight.path + "/metrics.csv", "loss") ==
             testing_util::csv_column(split.path + "/metrics.csv", "loss"));
  BOOST_TEST(fs::exists(split.path + "/model.rnl"));
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_give_identical_parameters) {
  testing_util::TempDir d1, d2;
  const auto cfg = small_config(6);
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    train::train_model(FakeModel(), FakeDataset(2), cfg, options(d1.path));
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    train::train_model(FakeModel(), FakeDataset(2), cfg, options(d2.path));
  }
  BOOST_TEST(final_params(d1.path) == final_params(d2.path));
}

BOOST_AUTO_TEST_CASE(nan_stops_training_naming_step_and_head_and_keeps_last_checkpoint) {
  testing_util::TempDir dir;
  auto cfg = small_config(10);
  std::string message;
  try {
    train::train_model(FakeModel(), FakeDataset(3, /*nan_at_step=*/5), cfg, options(dir.path));
  } catch (const train::TrainingDiverged& e) {
    message = e.what();
  }
  BOOST_TEST_MESSAGE(message);
  BOOST_TEST(message.find("step 5") != std::string::npos, message);
  BOOST_TEST(message.find("head 'reg'") != std::string::npos, message);
  BOOST_TEST(message.find("NaN") != std::string::npos, message);
  BOOST_TEST(message.find("step_00000003.ckpt") != std::string::npos, message);
  // The last good checkpoint loads.
  ag::ParameterSet<float> params;
  FakeModel().init_parameters(params, 7);
  train::TrainOptimizer opt(params, cfg);
  BOOST_TEST(train::load_checkpoint(train::checkpoint_path(dir.path + "/checkpoints", 3), params, opt).step == 3);
  BOOST_TEST(!fs::exists(dir.path + "/model.rnl"));
}

BOOST_AUTO_TEST_CASE(huge_learning_rate_diverges_with_a_clear_message) {
  testing_util::TempDir dir;
  auto cfg = train::parse_train_config(
      nlohmann::json{{"optimizer", "sgd"}, {"lr", 1e6}, {"batch_size", 8}, {"steps", 50}, {"shards", 2}});
  std::string message;
  try {
    train::train_model(FakeModel(), FakeDataset(3), cfg, options(dir.path));
  } catch (const train::TrainingDiverged& e) {
    message = e.what();
  }
  BOOST_TEST_MESSAGE(message);
  BOOST_TEST(message.rfind("step ", 0) == 0, message);
  BOOST_TEST((message.find("head '") != std::string::npos || message.find("parameter '") != std::string::npos),
             message);
}

BOOST_AUTO_TEST_CASE(stop_flag_stops_after_the_current_step_with_a_checkpoint) {
  testing_util::TempDir dir;
  std::atomic<bool> stop{true};
  auto o = options(dir.path);
  o.stop = &stop;
  const auto r = train::train_model(FakeModel(), FakeDataset(3), small_config(10), o);
  BOOST_TEST(r.interrupted);
  BOOST_TEST(r.steps_done == 1);
  BOOST_TEST(fs::exists(train::checkpoint_path(dir.path + "/checkpoints", 1)));
  BOOST_TEST(r.summary["interrupted"] == true);
}

BOOST_AUTO_TEST_CASE(metrics_csv_has_the_documented_columns_and_rows) {
  testing_util::TempDir dir;
  train::train_model(FakeModel(), FakeDataset(4), small_config(8), options(dir.path));
  std::ifstream in(dir.path + "/metrics.csv");
  std::string header;
  std::getline(in, header);
  BOOST_TEST(header ==
             "kind,step,loss,lr,sec_per_step,samples_per_s,cls/loss,cls/accuracy,cls/top5,cls/macro_f1,reg/loss,reg/mse");
  int train_rows = 0, eval_rows = 0;
  for (std::string line; std::getline(in, line);) {
    const auto cells = testing_util::split(line, ',');
    BOOST_REQUIRE(cells.size() == 12u);
    if (cells[0] == "train") {
      ++train_rows;
      BOOST_TEST(std::stol(cells[1]) == train_rows);
      BOOST_TEST(!cells[3].empty());
      BOOST_TEST(!cells[5].empty());
      BOOST_TEST(!cells[6].empty());
      BOOST_TEST(cells[11].empty());  // mse only in eval rows
    } else {
      BOOST_TEST(cells[0] == "eval");
      ++eval_rows;
      BOOST_TEST(!cells[9].empty());
      BOOST_TEST(!cells[11].empty());
    }
  }
  BOOST_TEST(train_rows == 8);
  BOOST_TEST(eval_rows == 2);  // step 4 and the end
  const auto summary = nlohmann::json::parse(std::ifstream(dir.path + "/summary.json"));
  BOOST_TEST(summary["steps"] == 8);
  BOOST_TEST(summary["heads"].contains("cls"));
  BOOST_TEST(summary["heads"]["reg"].contains("mse"));
  BOOST_TEST(summary["parameters"].get<std::size_t>() == 8u * 6 + 8 + 4 * 8 + 4 + 8 + 1);
}

namespace {
// The eval rows of metrics.csv: (step, value of `column`).
std::vector<std::pair<long, double>> eval_column(const std::string& dir, const std::string& column) {
  const auto kinds = testing_util::csv_column(dir + "/metrics.csv", "kind");
  const auto steps = testing_util::csv_column(dir + "/metrics.csv", "step");
  const auto values = testing_util::csv_column(dir + "/metrics.csv", column);
  std::vector<std::pair<long, double>> out;
  for (std::size_t i = 0; i < kinds.size(); ++i)
    if (kinds[i] == "eval") out.emplace_back(std::stol(steps[i]), std::stod(values[i]));
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(exports_the_best_validation_checkpoint) {
  testing_util::TempDir dir;
  nlohmann::json j = {{"optimizer", "adam"}, {"lr", 0.3}, {"batch_size", 16}, {"steps", 24},
                      {"eval_every", 2}, {"shards", 4}, {"seed", 7}, {"select", "reg/mse"}};
  const auto cfg = train::parse_train_config(j);
  const auto r = train::train_model(FakeModel(), FakeDataset(5), cfg, options(dir.path));
  BOOST_TEST(r.steps_done == 24);
  const auto summary = nlohmann::json::parse(std::ifstream(dir.path + "/summary.json"));
  const long best = summary["selection"]["best_step"].get<long>();
  // The selected step has the lowest validation reg/mse of all evaluations (first on ties).
  const auto evals = eval_column(dir.path, "reg/mse");
  BOOST_REQUIRE(evals.size() == 12u);
  std::pair<long, double> min = evals[0];
  for (const auto& e : evals)
    if (e.second < min.second) min = e;
  BOOST_TEST(best == min.first);
  BOOST_TEST(summary["selection"]["metric"] == "reg/mse");
  BOOST_TEST(summary["selection"]["exported_step"].get<long>() == best);
  BOOST_TEST(std::abs(summary["heads"]["reg"]["mse"].get<double>() - min.second) <= 1e-6 * (1 + min.second));
  // model.rnl holds the parameters of that step (kept in checkpoints/best/), not the last.
  ag::ParameterSet<float> params;
  FakeModel().init_parameters(params, 7);
  train::TrainOptimizer unused(params, cfg);
  const auto best_ckpt = train::latest_checkpoint(dir.path + "/checkpoints/best");
  BOOST_REQUIRE(best_ckpt);
  BOOST_TEST(train::load_checkpoint(*best_ckpt, params, unused).step == best);
  const auto expected = FakeModel().export_rnl(params);
  BOOST_TEST((testing_util::read_file(dir.path + "/model.rnl") == expected.text));
  if (best != 24) BOOST_TEST(summary["final_step_heads"]["reg"]["mse"].get<double>() > min.second);
}

BOOST_AUTO_TEST_CASE(patience_stops_after_evaluations_without_improvement) {
  testing_util::TempDir dir;
  nlohmann::json j = {{"optimizer", "adam"}, {"lr", 0.05}, {"batch_size", 16}, {"steps", 400},
                      {"eval_every", 1}, {"shards", 4}, {"seed", 7}, {"select", "cls/accuracy"},
                      {"patience", 3}};
  const auto r = train::train_model(FakeModel(), FakeDataset(5), train::parse_train_config(j), options(dir.path));
  const auto summary = nlohmann::json::parse(std::ifstream(dir.path + "/summary.json"));
  BOOST_TEST(summary["selection"]["stopped_early"] == true);
  BOOST_TEST(!r.interrupted);
  BOOST_TEST(r.steps_done < 400);
  const auto evals = eval_column(dir.path, "cls/accuracy");
  // Stopped exactly `patience` evaluations after the best one, none of them better.
  const long best = summary["selection"]["best_step"].get<long>();
  BOOST_TEST(r.steps_done == best + 3);
  BOOST_TEST(evals.back().first == r.steps_done);
  double best_value = -1;
  for (const auto& e : evals)
    if (e.first <= best) best_value = std::max(best_value, e.second);
  for (const auto& e : evals)
    if (e.first > best) BOOST_TEST(e.second <= best_value);
  BOOST_TEST(fs::exists(dir.path + "/model.rnl"));
}

BOOST_AUTO_TEST_CASE(tensorboard_records_parse_back) {
  testing_util::TempDir dir;
  train::train_model(FakeModel(), FakeDataset(4), small_config(4), options(dir.path));
  std::string file;
  for (const auto& e : fs::directory_iterator(dir.path))
    if (e.path().filename().string().rfind("events.out.tfevents.", 0) == 0) file = e.path().string();
  BOOST_REQUIRE(!file.empty());
  const auto events = testing_util::read_tfevents(file);  // checks both CRCs of every record
  BOOST_REQUIRE(events.size() == 1u + 4 + 1);             // version, 4 steps, final eval
  BOOST_TEST(events[0].file_version == "brain.Event:2");
  BOOST_TEST(events[1].step == 1);
  BOOST_TEST(events[1].values.count("train/loss") == 1u);
  BOOST_TEST(events[1].values.count("train/cls/accuracy") == 1u);
  BOOST_TEST(events[1].values.count("train/reg/loss") == 1u);
  BOOST_TEST(events[5].step == 4);
  BOOST_TEST(events[5].values.count("eval/cls/macro_f1") == 1u);
  BOOST_TEST(events[5].values.count("eval/reg/mse") == 1u);
  // Same value as metrics.csv's eval row.
  const auto losses = testing_util::csv_column(dir.path + "/metrics.csv", "loss");
  BOOST_TEST(std::abs(events[5].values.at("eval/loss") - std::stod(losses.back())) < 1e-5);
  BOOST_TEST(events[5].wall_time > 1.5e9);
}

BOOST_AUTO_TEST_CASE(checkpoints_are_atomic_and_checked) {
  testing_util::TempDir dir;
  train::train_model(FakeModel(), FakeDataset(4), small_config(10), options(dir.path));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path + "/checkpoints")) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  // checkpoint_every 3: steps 3, 6, 9 and the end; the newest three are kept; no temp files;
  // best/ holds the selected evaluation's checkpoint (one file).
  BOOST_TEST(names == (std::vector<std::string>{"best", "step_00000006.ckpt", "step_00000009.ckpt",
                                                "step_00000010.ckpt"}),
             testing_util::join(names));
  std::size_t best_files = 0;
  for (const auto& e : fs::directory_iterator(dir.path + "/checkpoints/best")) {
    BOOST_TEST(e.path().extension() == ".ckpt");
    ++best_files;
  }
  BOOST_TEST(best_files == 1u);
  for (const auto& e : fs::directory_iterator(dir.path))
    BOOST_TEST(e.path().filename().string().find(".tmp") == std::string::npos, e.path());

  // A damaged file is rejected, and the parameters are left alone.
  const std::string path = dir.path + "/checkpoints/step_00000010.ckpt";
  std::string bytes = testing_util::read_file(path);
  bytes[bytes.size() / 2] ^= 0x40;
  std::ofstream(path, std::ios::binary) << bytes;
  ag::ParameterSet<float> params;
  FakeModel().init_parameters(params, 1);
  const std::vector<float> before(params.all()[0].value().begin(), params.all()[0].value().end());
  train::TrainOptimizer opt(params, small_config(10));
  BOOST_CHECK_EXCEPTION(train::load_checkpoint(path, params, opt), std::runtime_error, [](const std::runtime_error& e) {
    return std::string(e.what()).find("checksum") != std::string::npos;
  });
  BOOST_TEST(std::vector<float>(params.all()[0].value().begin(), params.all()[0].value().end()) == before);
  // Truncated file (a crash mid-write could never leave one in place, but a copy could).
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, 20);
  BOOST_CHECK_THROW(train::load_checkpoint(path, params, opt), std::runtime_error);
}

// A crafted checkpoint (valid CRC) whose tensor shape multiplies past 2^64: the product
// used to wrap to 0 and pass the size check.
BOOST_AUTO_TEST_CASE(checkpoint_shape_product_past_2_64_is_refused) {
  testing_util::TempDir dir;
  ag::ParameterSet<float> params;
  FakeModel().init_parameters(params, 1);
  std::string b("RNLCKPT1", 8);
  auto u64 = [&](uint64_t v) { b.append(reinterpret_cast<const char*>(&v), 8); };
  auto str = [&](const std::string& s) { u64(s.size()); b += s; };
  u64(1);
  str("{}");
  u64(params.size());
  str(params.all()[0].name());
  u64(2);
  u64(uint64_t(1) << 32);
  u64(uint64_t(1) << 32);
  const uint32_t crc = train::crc32c(b.data(), b.size());
  b.append(reinterpret_cast<const char*>(&crc), 4);
  const std::string path = dir.path + "/step_00000001.ckpt";
  std::ofstream(path, std::ios::binary) << b;
  train::TrainOptimizer opt(params, small_config(10));
  BOOST_CHECK_EXCEPTION(train::load_checkpoint(path, params, opt), std::runtime_error, [](const std::runtime_error& e) {
    return std::string(e.what()).find("truncated checkpoint") != std::string::npos;
  });
}

// Issue 17 item 9: kill -9 during a checkpoint write leaves "step_N.ckpt.tmp-PID". A new
// run or --resume removes those of processes that are gone, never a live writer's.
BOOST_AUTO_TEST_CASE(stale_temp_files_of_dead_writers_are_removed_on_start_and_resume) {
  testing_util::TempDir dir;
  auto opts = options(dir.path);
  train::train_model(FakeModel(), FakeDataset(4), small_config(6), opts);
  const pid_t dead = ::fork();   // a process that has exited: its pid is free
  if (dead == 0) ::_exit(0);
  BOOST_REQUIRE(dead > 0);
  ::waitpid(dead, nullptr, 0);
  const std::string ckpt = dir.path + "/checkpoints/";
  const std::vector<std::string> stale = {ckpt + "step_00000009.ckpt.tmp-" + std::to_string(dead),
                                          ckpt + "best/step_00000003.ckpt.tmp-" + std::to_string(dead),
                                          dir.path + "/summary.json.tmp-" + std::to_string(dead)};
  const std::string live = ckpt + "step_00000012.ckpt.tmp-" + std::to_string(::getppid());
  const std::string other = ckpt + "notes.tmp-x";   // not a pid: not ours to judge
  for (const std::string& f : stale) std::ofstream(f) << "half";
  std::ofstream(live) << "half";
  std::ofstream(other) << "keep";
  opts.resume = true;
  train::train_model(FakeModel(), FakeDataset(4), small_config(8), opts);
  for (const std::string& f : stale) BOOST_TEST(!fs::exists(f), f);
  BOOST_TEST(fs::exists(live));
  BOOST_TEST(fs::exists(other));
  BOOST_TEST(fs::exists(ckpt + "step_00000008.ckpt"));
}

BOOST_AUTO_TEST_CASE(resume_without_checkpoint_or_with_a_changed_config_fails_clearly) {
  testing_util::TempDir dir;
  auto o = options(dir.path);
  o.resume = true;
  BOOST_CHECK_EXCEPTION(train::train_model(FakeModel(), FakeDataset(1), small_config(4), o), std::runtime_error,
                        [](const std::runtime_error& e) { return std::string(e.what()).find("no checkpoint") != std::string::npos; });
  train::train_model(FakeModel(), FakeDataset(1), small_config(4), options(dir.path));
  auto changed = small_config(8);
  changed.lr = 0.5;
  BOOST_CHECK_EXCEPTION(train::train_model(FakeModel(), FakeDataset(1), changed, o), std::runtime_error,
                        [](const std::runtime_error& e) { return std::string(e.what()).find("differs") != std::string::npos; });
}
