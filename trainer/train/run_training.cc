#include "trainer/train/run_training.h"

#include <csignal>
#include <filesystem>

#include "trainer/config/config_file.h"
#include "trainer/config/object_reader.h"
#include "trainer/data/data_config.h"
#include "trainer/model/sequence_model.h"

namespace runnel::train {
namespace {
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
  std::signal(sig, SIG_DFL);  // a second Ctrl-C (or SIGTERM) ends the process
}
}  // namespace

int stop_signal() { return g_signal.load(); }

std::atomic<bool>* install_stop_handler() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  return &g_stop;
}

TrainResult run_training(const RunOptions& o) {
  const config::EffectiveConfig effective;   // records what the parsers below read
  config::ConfigFile file = config::load_config_file(o.config_path);
  if (o.steps > 0) {
    file.train.steps = o.steps;
    file.root["train"]["steps"] = o.steps;
  }
  const std::string base_dir = std::filesystem::path(o.config_path).parent_path().string();
  const std::unique_ptr<data::Dataset> dataset =
      config::in_config_file(o.config_path, [&] { return data::make_dataset(file.data, base_dir.empty() ? "." : base_dir); });
  if (o.log)
    for (const std::string& w : dataset->warnings()) std::fprintf(o.log, "warning: %s: %s\n", o.config_path.c_str(), w.c_str());
  const model::SequenceModel model =
      config::in_config_file(o.config_path, [&] { return model::SequenceModel(file.model, dataset->schema()); });
  if (file.train.shards > file.train.batch_size)
    throw config::ConfigError(o.config_path + ": train.shards: must not exceed batch_size");

  // The parameters' share of memory, counted before any is created (a d of 4096 or a huge
  // vocabulary is refused here, not by std::bad_alloc in the middle of initialisation).
  if (o.check_memory)
    o.check_memory(parameter_share(model.parameter_count(), TrainOptimizer::slot_count(file.train),
                                   file.train.batch_size));

  TrainOptions t;
  t.out_dir = o.out_dir;
  t.resume = o.resume;
  t.stop = o.stop;
  // The configuration as trained: every field the parsers read, defaults filled in.
  t.config = effective.applied_to(file.root);
  t.config["train"] = file.train.to_json();
  t.log = o.log;
  t.threads = o.threads;
  t.check_memory = o.check_memory;
  if (o.log)
    std::fprintf(o.log, "training %s: %zu train rows, %ld steps of %zu rows, %zu shards, %d threads -> %s\n",
                 file.name.c_str(), dataset->train_rows(), file.train.steps, file.train.batch_size, file.train.shards,
                 o.threads, o.out_dir.c_str());
  return train_model(model, *dataset, file.train, t);
}

}  // namespace runnel::train
