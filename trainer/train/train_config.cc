#include "trainer/train/train_config.h"

#include <cmath>
#include <set>

#include "trainer/optim/schedule.h"

namespace runnel::train {
namespace {
using config::ConfigError;
using nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& expected, const json& got) {
  throw ConfigError("train." + field + ": expected " + expected + ", got " + got.dump());
}

double number(const json& s, const std::string& key, double def, double lo, double hi, bool lo_open,
              const std::string& expected) {
  if (!s.contains(key)) return def;
  const json& v = s.at(key);
  if (!v.is_number()) fail(key, expected, v);
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi || (lo_open && x == lo)) fail(key, expected, v);
  return x;
}

long integer(const json& s, const std::string& key, long def, long lo, const std::string& expected) {
  if (!s.contains(key)) return def;
  const json& v = s.at(key);
  if (!v.is_number_integer() || v.get<long long>() < lo) fail(key, expected, v);
  return static_cast<long>(v.get<long long>());
}

bool boolean(const json& s, const std::string& key, bool def) {
  if (!s.contains(key)) return def;
  const json& v = s.at(key);
  if (!v.is_boolean()) fail(key, "true or false", v);
  return v.get<bool>();
}
}  // namespace

double TrainConfig::learning_rate(long step) const {
  if (cosine_decay) return optim::WarmupCosine{lr, warmup_steps, steps, min_lr}.lr(step);
  if (step < warmup_steps) return lr * double(step + 1) / double(warmup_steps);
  return lr;
}

TrainConfig parse_train_config(const json& s) {
  if (!s.is_object()) throw ConfigError("train: expected an object, got " + s.dump());
  static const std::set<std::string> known = {
      "optimizer", "lr", "min_lr", "momentum", "betas", "eps", "weight_decay", "clip_norm",
      "warmup_steps", "cosine_decay", "batch_size", "steps", "eval_every", "eval_batch_size",
      "checkpoint_every", "log_every", "shards", "seed", "select", "patience"};
  for (auto it = s.begin(); it != s.end(); ++it)
    if (!known.count(it.key()))
      throw ConfigError("train." + it.key() + ": unknown field (see models/TRAIN_CONFIG.md)");

  TrainConfig c;
  if (s.contains("optimizer")) {
    const json& v = s.at("optimizer");
    if (!v.is_string() || (v != "sgd" && v != "adam" && v != "adamw")) fail("optimizer", "one of sgd, adam, adamw", v);
    c.optimizer = v.get<std::string>();
  }
  if (c.optimizer == "sgd") c.lr = 0.01;
  c.lr = number(s, "lr", c.lr, 0, 1e6, true, "a positive number");
  c.min_lr = number(s, "min_lr", 0.0, 0, c.lr, false, "a number in [0, lr]");
  c.momentum = number(s, "momentum", 0.0, 0, 1, false, "a number in [0, 1]");
  if (s.contains("momentum") && c.optimizer != "sgd")
    throw ConfigError("train.momentum: only used by optimizer sgd (got optimizer " + c.optimizer + ")");
  if (s.contains("betas")) {
    const json& v = s.at("betas");
    if (c.optimizer == "sgd") throw ConfigError("train.betas: only used by optimizers adam and adamw");
    if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
      fail("betas", "two numbers in [0, 1), e.g. [0.9, 0.999]", v);
    c.beta1 = v[0].get<double>();
    c.beta2 = v[1].get<double>();
    if (!(c.beta1 >= 0 && c.beta1 < 1 && c.beta2 >= 0 && c.beta2 < 1))
      fail("betas", "two numbers in [0, 1), e.g. [0.9, 0.999]", v);
  }
  c.eps = number(s, "eps", 1e-8, 0, 1, true, "a positive number");
  c.weight_decay = number(s, "weight_decay", c.optimizer == "adamw" ? 0.01 : 0.0, 0, 1e3, false, "a non-negative number");
  c.clip_norm = number(s, "clip_norm", 0.0, 0, 1e30, false, "a non-negative number (0 = no clipping)");
  c.warmup_steps = integer(s, "warmup_steps", 0, 0, "a non-negative integer");
  c.cosine_decay = boolean(s, "cosine_decay", true);
  c.batch_size = static_cast<std::size_t>(integer(s, "batch_size", 32, 1, "a positive integer"));
  c.steps = integer(s, "steps", 1000, 1, "a positive integer");
  c.eval_every = integer(s, "eval_every", 0, 0, "a non-negative integer (0 = only at the end)");
  c.eval_batch_size = static_cast<std::size_t>(integer(s, "eval_batch_size", 0, 0, "a non-negative integer"));
  c.checkpoint_every = integer(s, "checkpoint_every", 0, 0, "a non-negative integer");
  c.log_every = integer(s, "log_every", 0, 0, "a non-negative integer");
  if (s.contains("select")) {
    const json& v = s.at("select");
    if (!v.is_string() || v.get<std::string>().empty())
      fail("select", "a validation metric name (loss, accuracy, top5, <head>/<metric>)", v);
    c.select = v.get<std::string>();
  }
  c.patience = integer(s, "patience", 0, 0, "a non-negative integer (evaluations without improvement; 0 = never stop)");
  if (c.patience > 0 && c.eval_every == 0)
    throw ConfigError("train.patience: needs train.eval_every > 0 (early stopping compares evaluations)");
  c.shards = static_cast<std::size_t>(integer(s, "shards", 4, 1, "a positive integer"));
  if (c.shards > c.batch_size)
    throw ConfigError("train.shards: expected at most batch_size (" + std::to_string(c.batch_size) + "), got " +
                      std::to_string(c.shards));
  if (s.contains("seed")) {
    const json& v = s.at("seed");
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0))
      fail("seed", "a non-negative integer", v);
    c.seed = v.get<uint64_t>();
  }
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
