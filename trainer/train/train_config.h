// The "train" section of a model config: optimizer, schedule, batch, steps, evaluation,
// checkpoints, shards and seed. Every field is documented in models/TRAIN_CONFIG.md.
#ifndef RUNNEL_TRAINER_TRAIN_TRAIN_CONFIG_H_
#define RUNNEL_TRAINER_TRAIN_TRAIN_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "trainer/config/config_error.h"

namespace runnel::train {

struct TrainConfig {
  std::string optimizer = "adam";  // sgd | adam | adamw
  double lr = 1e-3;                // peak learning rate
  double min_lr = 0.0;             // cosine floor
  double momentum = 0.0;           // sgd
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // adam, adamw
  double weight_decay = 0.0;       // sgd/adam: L2 added to the gradient; adamw: decoupled
  double clip_norm = 0.0;          // 0 = no clipping
  long warmup_steps = 0;
  bool cosine_decay = true;        // false: constant lr after warm-up
  std::size_t batch_size = 32;
  long steps = 1000;
  long eval_every = 0;             // 0 = only at the end
  std::size_t eval_batch_size = 0; // 0 = batch_size
  long checkpoint_every = 0;       // 0 = eval_every (or only at the end when that is 0)
  long log_every = 0;              // plain progress lines; 0 = about 20 lines per run
  std::string select = "loss";     // validation metric choosing the exported checkpoint (metrics.h)
  long patience = 0;               // stop after this many evaluations without improvement (0 = never)
  std::size_t shards = 4;          // fixed shard count (independent of threads)
  uint64_t seed = 1;

  double learning_rate(long step) const;  // the scheduled lr of step (0-based)
  nlohmann::json to_json() const;
};

// Parses the "train" section; throws config::ConfigError naming the field
// ("train.lr: expected a positive number, got -1").
TrainConfig parse_train_config(const nlohmann::json& section);

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_TRAIN_CONFIG_H_
