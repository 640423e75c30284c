#include "trainer/train/train_config.h"

#include <climits>
#include <limits>

#include "trainer/config/object_reader.h"
#include "trainer/optim/schedule.h"

namespace runnel::train {
using config::ConfigError;
using config::ObjectReader;
using nlohmann::json;

double TrainConfig::learning_rate(long step) const {
  if (cosine_decay) return optim::WarmupCosine{lr, warmup_steps, steps, min_lr}.lr(step);
  if (step < warmup_steps) return lr * double(step + 1) / double(warmup_steps);
  return lr;
}

namespace {
// Train integers are longs: LONG_MAX bounds them.
long integer(const ObjectReader& r, const std::string& key, long def, long min, const std::string& expected) {
  return static_cast<long>(r.uint(key, static_cast<std::size_t>(def), static_cast<std::size_t>(min), LONG_MAX, expected));
}
}  // namespace

TrainConfig parse_train_config(const json& s) {
  const ObjectReader r(s, "train", {"optimizer", "lr", "min_lr", "momentum", "betas", "eps", "weight_decay",
                                    "clip_norm", "warmup_steps", "cosine_decay", "batch_size", "steps",
                                    "eval_every", "eval_batch_size", "checkpoint_every", "log_every", "shards",
                                    "seed", "select", "patience"});
  // x > 0 for a double is x >= the smallest positive double.
  constexpr double kPositive = std::numeric_limits<double>::denorm_min();
  TrainConfig c;
  c.optimizer = r.choice("optimizer", c.optimizer, {"sgd", "adam", "adamw"});
  if (c.optimizer == "sgd") c.lr = 0.01;
  c.lr = r.number("lr", c.lr, kPositive, 1e6, "a positive number");
  c.min_lr = r.number("min_lr", 0.0, 0, c.lr, "a number in [0, lr]");
  c.momentum = r.number("momentum", 0.0, 0, 1, "a number in [0, 1]");
  if (r.has("momentum") && c.optimizer != "sgd")
    throw ConfigError("train.momentum: only used by optimizer sgd (got optimizer " + c.optimizer + ")");
  if (r.has("betas")) {
    const json& v = r.raw("betas");
    if (c.optimizer == "sgd") throw ConfigError("train.betas: only used by optimizers adam and adamw");
    const char* expected = "two numbers in [0, 1), e.g. [0.9, 0.999]";
    if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) r.fail("betas", expected);
    c.beta1 = v[0].get<double>();
    c.beta2 = v[1].get<double>();
    if (!(c.beta1 >= 0 && c.beta1 < 1 && c.beta2 >= 0 && c.beta2 < 1)) r.fail("betas", expected);
  }
  c.eps = r.number("eps", 1e-8, kPositive, 1, "a positive number");
  c.weight_decay = r.number("weight_decay", c.optimizer == "adamw" ? 0.01 : 0.0, 0, 1e3, "a non-negative number");
  c.clip_norm = r.number("clip_norm", 0.0, 0, 1e30, "a non-negative number (0 = no clipping)");
  c.warmup_steps = integer(r, "warmup_steps", 0, 0, "a non-negative integer");
  c.cosine_decay = r.boolean("cosine_decay", true);
  c.batch_size = static_cast<std::size_t>(integer(r, "batch_size", 32, 1, "a positive integer"));
  c.steps = integer(r, "steps", 1000, 1, "a positive integer");
  c.eval_every = integer(r, "eval_every", 0, 0, "a non-negative integer (0 = only at the end)");
  c.eval_batch_size = static_cast<std::size_t>(integer(r, "eval_batch_size", 0, 0, "a non-negative integer"));
  c.checkpoint_every = integer(r, "checkpoint_every", 0, 0, "a non-negative integer");
  c.log_every = integer(r, "log_every", 0, 0, "a non-negative integer");
  if (r.has("select") && (!r.raw("select").is_string() || r.raw("select").get<std::string>().empty()))
    r.fail("select", "a validation metric name (loss, accuracy, top5, <head>/<metric>)");
  c.select = r.string("select", c.select);
  c.patience = integer(r, "patience", 0, 0, "a non-negative integer (evaluations without improvement; 0 = never stop)");
  if (c.patience > 0 && c.eval_every == 0)
    throw ConfigError("train.patience: needs train.eval_every > 0 (early stopping compares evaluations)");
  c.shards = static_cast<std::size_t>(integer(r, "shards", 4, 1, "a positive integer"));
  if (c.shards > c.batch_size)
    throw ConfigError("train.shards: expected at most batch_size (" + std::to_string(c.batch_size) + "), got " +
                      std::to_string(c.shards));
  c.seed = r.uint("seed", c.seed, 0, ObjectReader::kNoMax, "a non-negative integer");
  return c;
}

nlohmann::json TrainConfig::to_json() const {
  json j = {{"optimizer", optimizer}, {"lr", lr}, {"min_lr", min_lr}, {"weight_decay", weight_decay},
            {"clip_norm", clip_norm}, {"warmup_steps", warmup_steps}, {"cosine_decay", cosine_decay},
            {"batch_size", batch_size}, {"steps", steps}, {"eval_every", eval_every},
            {"eval_batch_size", eval_batch_size}, {"checkpoint_every", checkpoint_every},
            {"log_every", log_every}, {"shards", shards}, {"seed", seed},
            {"select", select}, {"patience", patience}};
  if (optimizer == "sgd") j["momentum"] = momentum;
  else { j["betas"] = {beta1, beta2}; j["eps"] = eps; }
  return j;
}

}  // namespace runnel::train
