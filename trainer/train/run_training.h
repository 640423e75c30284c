// A whole training run from a config file: load the config, build the dataset
// (data::make_dataset) and the model (model::SequenceModel), train into out_dir. What
// `runnel train` and the benchmarks call.
#ifndef RUNNEL_TRAINER_TRAIN_RUN_TRAINING_H_
#define RUNNEL_TRAINER_TRAIN_RUN_TRAINING_H_

#include <atomic>
#include <cstdio>
#include <functional>
#include <string>

#include "trainer/train/loop.h"

namespace runnel::train {

struct RunOptions {
  std::string config_path;
  std::string out_dir;
  bool resume = false;
  long steps = 0;                    // > 0: overrides train.steps
  int threads = 0;                   // reported; the caller sets tbb::global_control
  std::atomic<bool>* stop = nullptr;
  std::FILE* log = stderr;
  std::function<void(const MemoryEstimate&)> check_memory;   // TrainOptions::check_memory
};

// Throws config::ConfigError ("<file>: <field>: ..."), TrainingDiverged, runtime_error.
TrainResult run_training(const RunOptions& options);

// Installs a SIGINT/SIGTERM handler that sets the returned flag (a second Ctrl-C
// restores the default action, so it kills). SIGTERM (kill, a job scheduler, a container
// stop) is handled exactly as Ctrl-C: the run stops at the next step boundary with a
// checkpoint.
std::atomic<bool>* install_stop_handler();
// The signal that set the flag (SIGINT, SIGTERM), 0 if none.
int stop_signal();

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_RUN_TRAINING_H_
