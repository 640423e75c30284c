// The training loop. Generic over the model and dataset types so it compiles against the
// contracts (model::SequenceModel, data::Dataset) and against small test doubles alike:
//
//   Model:  heads() -> [{name, categorical, weight, ...}], init_parameters(params, seed),
//           forward(params, batch, row_begin, row_end, training, dropout_seed) ->
//             {loss (ag::Var<float> scalar), heads (per-head stats: loss_sum, count,
//              correct, correct_top5, true_positive, predicted, actual)},
//           export_rnl(params) -> something with write_file(path) (atomic).
//   Data:   train_batch(step, batch_size) -> batch with .rows,
//           validation_batches(batch_size) -> vector of batches.
//
// Each step: batch = data.train_batch(step, batch_size); sharded_backward over `shards`
// fixed row ranges (ordered reduction: bit-identical on any thread count); NaN/Inf check
// of every head's loss and of the gradient norm; clipping; optimizer step with the
// scheduled learning rate. Evaluation (validation split only) every eval_every steps and
// at the end. The exported model.rnl is the evaluated checkpoint with the best
// train.select metric (kept in checkpoints/best/); with train.patience > 0 training
// stops after that many evaluations without improvement. summary.json names the step.
#ifndef RUNNEL_TRAINER_TRAIN_LOOP_H_
#define RUNNEL_TRAINER_TRAIN_LOOP_H_

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tbb/parallel_for.h>
#include <tbb/global_control.h>

#include "trainer/autograd/allocator.h"
#include "trainer/autograd/parameters.h"
#include "trainer/optim/optimizer.h"
#include "trainer/parallel/sharded.h"
#include "trainer/train/checkpoint.h"
#include "engine/version.h"
#include "trainer/io/atomic_file.h"
#include "trainer/random/mix64.h"
#include "trainer/train/memory_estimate.h"
#include "trainer/train/metrics.h"
#include "trainer/train/optimizer.h"
#include "trainer/train/progress.h"
#include "trainer/train/tensorboard.h"
#include "trainer/train/train_config.h"

namespace runnel::train {

// Loss or gradient became NaN/Inf; what() names the step and the head (or parameter).
class TrainingDiverged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TrainOptions {
  std::string out_dir;                 // created if missing
  bool resume = false;                 // continue from the newest checkpoint in out_dir/checkpoints
  std::atomic<bool>* stop = nullptr;   // set (e.g. by SIGINT): stop after the current step, checkpoint
  long stop_after_step = -1;           // >= 0: behave as if stop were set once this step is done (tests)
  nlohmann::json config;               // the whole config (as trained: defaults filled in),
                                       // stored in checkpoints and summary.json
  std::FILE* log = stderr;             // progress and messages; nullptr = silent
  int threads = 0;                     // reported in summary.json (the caller limits TBB)
  // Called before the first step, first with the parameters' share (after they are
  // created), then with the whole estimate; throws to refuse a size the machine cannot
  // hold (memory_estimate.h). Unset: no estimate is made.
  std::function<void(const MemoryEstimate&)> check_memory;
};

struct TrainResult {
  long steps_done = 0;
  bool interrupted = false;
  nlohmann::json summary;
};

template <class Model>
std::vector<HeadInfo> head_infos(const Model& model) {
  std::vector<HeadInfo> out;
  for (const auto& h : model.heads()) out.push_back(HeadInfo{h.name, h.categorical, h.weight});
  return out;
}

// Validation over every batch (batches in parallel, totals added in batch order).
template <class Model, class Data>
std::vector<HeadTotals> evaluate(const Model& model, const Data& data, const ag::ParameterSet<float>& params,
                                 std::size_t batch_size) {
  const auto batches = data.validation_batches(batch_size);
  const std::size_t n_heads = model.heads().size();
  std::vector<std::vector<HeadTotals>> per(batches.size(), std::vector<HeadTotals>(n_heads));
  tbb::parallel_for(std::size_t(0), batches.size(), [&](std::size_t b) {
    ag::NoGradGuard no_grad;
    const auto r = model.forward(params, batches[b], 0, batches[b].rows, false, 0);
    for (std::size_t h = 0; h < n_heads; ++h) per[b][h].add(r.heads[h]);
  });
  std::vector<HeadTotals> totals(n_heads);
  for (const auto& p : per)
    for (std::size_t h = 0; h < n_heads; ++h) totals[h].add(p[h]);
  return totals;
}

template <class Model, class Data>
TrainResult train_model(const Model& model, const Data& data, const TrainConfig& cfg, const TrainOptions& opt) {
  namespace fs = std::filesystem;
  using clock = std::chrono::steady_clock;
  const auto t_start = clock::now();
  ag::keep_large_arrays_in_heap();
  const std::string dir = opt.out_dir;
  const std::string ckpt_dir = dir + "/checkpoints";
  fs::create_directories(ckpt_dir);
  const std::vector<HeadInfo> heads = head_infos(model);
  const std::size_t n_heads = heads.size();
  const std::size_t eval_bs = cfg.eval_batch_size ? cfg.eval_batch_size : cfg.batch_size;
  const long ckpt_every = cfg.checkpoint_every ? cfg.checkpoint_every : cfg.eval_every;

  ag::ParameterSet<float> params;
  model.init_parameters(params, cfg.seed);
  TrainOptimizer optimizer(params, cfg);
  if (opt.check_memory) {
    MemoryEstimate need = parameter_share(params.element_count(), optimizer.slots().size(), cfg.batch_size);
    opt.check_memory(need);
    measure_row(model, data, params, &need);
    opt.check_memory(need);
  }
  try {
    selection_metric(heads, std::vector<HeadTotals>(n_heads), cfg.select);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(std::string("train.select: ") + e.what());
  }
  // Checkpoint selection: the best evaluation so far (its parameters in best_dir).
  const std::string best_dir = ckpt_dir + "/best";
  fs::create_directories(best_dir);
  // A run killed during a write (kill -9) leaves "<file>.tmp-<pid>": never read, removed here.
  for (const std::string& d : {dir, ckpt_dir, best_dir})
    for (const std::string& f : io::remove_stale_temp_files(d))
      if (opt.log) std::fprintf(opt.log, "removed %s: left by a run that was killed while writing it\n", f.c_str());
  long best_step = -1, evals_since_best = 0;
  double best_value = 0;
  nlohmann::json best_heads = nullptr;   // summary.json's per-head metrics of the best step
  double best_validation_loss = 0;
  auto heads_json = [&](const std::vector<HeadTotals>& totals) {
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t h = 0; h < n_heads && !totals.empty(); ++h) {
      nlohmann::json m = head_metrics(heads[h], totals[h], true);
      m["categorical"] = heads[h].categorical;
      m["weight"] = heads[h].weight;
      out[heads[h].name] = m;
    }
    return out;
  };
  bool stopped_early = false;

  long start = 0;
  double elapsed_before = 0;
  if (opt.resume) {
    const auto latest = latest_checkpoint(ckpt_dir);
    if (!latest) throw std::runtime_error("--resume: no checkpoint in " + ckpt_dir);
    const CheckpointInfo info = load_checkpoint(*latest, params, optimizer);
    start = info.step;
    elapsed_before = info.extra.value("elapsed_seconds", 0.0);
    if (info.extra.contains("train")) {
      nlohmann::json saved = info.extra["train"], now = cfg.to_json();
      for (const char* k : {"steps", "eval_every", "checkpoint_every", "log_every", "eval_batch_size", "patience"}) {
        saved.erase(k);
        now.erase(k);
      }
      if (saved != now)
        throw std::runtime_error("--resume: the train section differs from the checkpoint's (" + *latest +
                                 "); only steps, eval_every, checkpoint_every, log_every, patience may change");
    }
    if (info.extra.contains("selection")) {
      const nlohmann::json& sel = info.extra["selection"];
      best_step = sel.value("best_step", -1L);
      best_value = sel.value("best_value", 0.0);
      evals_since_best = sel.value("evals_since_best", 0L);
      if (sel.contains("best_heads")) best_heads = sel["best_heads"];
      best_validation_loss = sel.value("best_validation_loss", 0.0);
    }
    if (info.extra.contains("total_steps") && info.extra["total_steps"].get<long>() != cfg.steps && opt.log)
      std::fprintf(opt.log,
                   "warning: the checkpoint was written by a run of %ld steps, this one runs %ld: the cosine "
                   "schedule differs from an uninterrupted run\n",
                   info.extra["total_steps"].get<long>(), cfg.steps);
    if (opt.log) std::fprintf(opt.log, "resuming from %s (step %ld)\n", latest->c_str(), start);
  }

  MetricsCsv csv(dir + "/metrics.csv", heads, opt.resume ? std::optional<long>(start) : std::nullopt);
  TensorBoardWriter tb(dir);
  std::FILE* devnull = opt.log ? nullptr : std::fopen("/dev/null", "w");
  Progress progress(start, cfg.steps, cfg.log_every, opt.log ? opt.log : devnull);

  double seconds_in_run = 0;
  auto write_checkpoint = [&](long step) {
    CheckpointInfo info;
    info.step = step;
    info.extra = {{"train", cfg.to_json()},
                  {"total_steps", cfg.steps},
                  {"elapsed_seconds", elapsed_before + seconds_in_run},
                  {"selection", {{"best_step", best_step}, {"best_value", best_value},
                                 {"evals_since_best", evals_since_best}, {"best_heads", best_heads},
                                 {"best_validation_loss", best_validation_loss}}},
                  {"config", opt.config}};
    save_checkpoint(ckpt_dir, info, params, optimizer);
  };

  std::vector<HeadTotals> last_eval;
  double last_eval_loss = 0;
  long last_eval_step = -1;
  auto run_eval = [&](long step) {
    last_eval = evaluate(model, data, params, eval_bs);
    last_eval_loss = weighted_loss(heads, last_eval);
    last_eval_step = step;
    const Selection sel = selection_metric(heads, last_eval, cfg.select);
    const bool better = best_step < 0 || (sel.higher_is_better ? sel.value > best_value : sel.value < best_value);
    if (better) {
      best_step = step;
      best_value = sel.value;
      best_heads = heads_json(last_eval);
      best_validation_loss = last_eval_loss;
      evals_since_best = 0;
      CheckpointInfo info;
      info.step = step;
      info.extra = {{"selected_by", cfg.select}, {"value", sel.value}};
      save_checkpoint(best_dir, info, params, optimizer, 1);
    } else {
      ++evals_since_best;
    }
    csv.eval_row(step, last_eval_loss, last_eval);
    csv.flush();
    std::vector<std::pair<std::string, float>> sc = {{"eval/loss", float(last_eval_loss)}};
    for (std::size_t h = 0; h < n_heads; ++h)
      for (const auto& [k, v] : head_metrics(heads[h], last_eval[h], true))
        sc.emplace_back("eval/" + heads[h].name + "/" + k, float(v));
    tb.scalars(step, sc);
    tb.flush();
    std::string line = "eval step " + std::to_string(step) + ": loss " + std::to_string(last_eval_loss);
    for (std::size_t h = 0; h < n_heads; ++h) {
      line += "  " + heads[h].name + " loss " + std::to_string(last_eval[h].mean_loss());
      if (heads[h].categorical) line += " acc " + std::to_string(last_eval[h].accuracy());
    }
    line += "  [" + cfg.select + " " + std::to_string(sel.value) +
            (better ? ", best so far]" : ", best " + std::to_string(best_value) + " at step " + std::to_string(best_step) + "]");
    progress.message(line);
  };

  TrainResult result;
  double last_loss = 0, last_rate = 0;
  long step = start;
  bool diverged = false;
  try {
    while (step < cfg.steps) {
      const auto t0 = clock::now();
      const auto batch = data.train_batch(static_cast<std::size_t>(step), cfg.batch_size);
      const std::size_t shards = std::min<std::size_t>(cfg.shards, batch.rows);
      std::vector<std::vector<HeadTotals>> shard_stats(shards, std::vector<HeadTotals>(n_heads));
      params.zero_grad();
      const double loss = parallel::sharded_backward<float>(
          params, shards, [&](std::size_t s, const ag::ParameterSet<float>& sp) {
            const auto range = parallel::shard_range(batch.rows, shards, s);
            auto r = model.forward(sp, batch, range.begin, range.end, true,
                                   mix_seed(cfg.seed, static_cast<uint64_t>(step), s));
            for (std::size_t h = 0; h < n_heads; ++h) shard_stats[s][h].add(r.heads[h]);
            return r.loss;
          });
      std::vector<HeadTotals> totals(n_heads);
      for (const auto& s : shard_stats)
        for (std::size_t h = 0; h < n_heads; ++h) totals[h].add(s[h]);
      const long done = step + 1;
      for (std::size_t h = 0; h < n_heads; ++h)
        if (!std::isfinite(totals[h].loss_sum))
          throw TrainingDiverged("step " + std::to_string(done) + ": loss of head '" + heads[h].name + "' is " +
                                 (std::isnan(totals[h].loss_sum) ? "NaN" : "Inf"));
      if (!std::isfinite(loss))
        throw TrainingDiverged("step " + std::to_string(done) + ": the combined loss is " +
                               (std::isnan(loss) ? "NaN" : "Inf"));
      for (ag::Var<float> p : params.all()) {
        if (!p.has_grad()) continue;
        for (const float g : p.grad_buffer())
          if (!std::isfinite(g))
            throw TrainingDiverged("step " + std::to_string(done) + ": gradient of parameter '" + p.name() + "' is " +
                                   (std::isnan(g) ? "NaN" : "Inf") + " (loss " + std::to_string(loss) + ")");
      }
      if (cfg.clip_norm > 0) optim::clip_grad_norm(params, cfg.clip_norm);
      const double lr = cfg.learning_rate(step);
      optimizer.step(static_cast<float>(lr));
      for (const auto& p : params.all())
        for (const float v : p.value())
          if (!std::isfinite(v))
            throw TrainingDiverged("step " + std::to_string(done) + ": parameter '" + p.name() + "' became " +
                                   (std::isnan(v) ? "NaN" : "Inf") + " after the update (lr " + std::to_string(lr) +
                                   ")");
      step = done;

      const double sec = std::chrono::duration<double>(clock::now() - t0).count();
      seconds_in_run += sec;
      last_loss = loss;
      last_rate = sec > 0 ? double(batch.rows) / sec : 0.0;
      csv.train_row(step, loss, lr, sec, last_rate, totals);
      csv.flush();  // a killed run still leaves every finished step in metrics.csv
      std::vector<std::pair<std::string, float>> sc = {
          {"train/loss", float(loss)}, {"train/lr", float(lr)}, {"train/samples_per_s", float(last_rate)}};
      for (std::size_t h = 0; h < n_heads; ++h)
        for (const auto& [k, v] : head_metrics(heads[h], totals[h], false))
          sc.emplace_back("train/" + heads[h].name + "/" + k, float(v));
      tb.scalars(step, sc);
      progress.update(step, loss, last_rate);

      const bool stopping = (opt.stop && opt.stop->load()) || (opt.stop_after_step >= 0 && step >= opt.stop_after_step);
      if (cfg.eval_every > 0 && step % cfg.eval_every == 0 && step < cfg.steps) {
        run_eval(step);
        stopped_early = cfg.patience > 0 && evals_since_best >= cfg.patience;
      }
      if (stopped_early) {
        progress.message("early stop at step " + std::to_string(step) + ": " + std::to_string(evals_since_best) +
                         " evaluations without a better " + cfg.select + " (best at step " +
                         std::to_string(best_step) + ")");
        break;
      }
      if (stopping || (ckpt_every > 0 && step % ckpt_every == 0 && step < cfg.steps)) {
        csv.flush();
        tb.flush();
        write_checkpoint(step);
      }
      if (stopping && step < cfg.steps) {
        result.interrupted = true;
        break;
      }
    }
  } catch (const TrainingDiverged& e) {
    diverged = true;
    progress.finish();
    csv.flush();
    tb.flush();
    const auto latest = latest_checkpoint(ckpt_dir);
    throw TrainingDiverged(std::string(e.what()) + "; training stopped" +
                           (latest ? ", last good checkpoint: " + *latest : ", no checkpoint was written"));
  }
  (void)diverged;

  result.steps_done = step;
  std::vector<HeadTotals> final_eval;
  if (!result.interrupted) {
    if (last_eval_step != step) run_eval(step);
    final_eval = last_eval;
    write_checkpoint(step);
    if (best_step != step) {
      // Export the selected checkpoint's parameters (the optimizer state is not needed).
      const auto best = latest_checkpoint(best_dir);
      if (!best) throw std::runtime_error("no checkpoint of the selected step in " + best_dir);
      TrainOptimizer unused(params, cfg);
      load_checkpoint(*best, params, unused);
    }
    model.export_rnl(params).write_file(dir + "/model.rnl");
  }
  progress.finish();
  csv.flush();
  tb.flush();
  if (devnull) std::fclose(devnull);

  // The exported (selected) step's validation metrics.
  const nlohmann::json head_json = best_heads.is_null() ? nlohmann::json::object() : best_heads;
  const double total_seconds = std::chrono::duration<double>(clock::now() - t_start).count();
  result.summary = {{"steps", step},
                    {"total_steps", cfg.steps},
                    {"interrupted", result.interrupted},
                    {"resumed_from_step", opt.resume ? nlohmann::json(start) : nlohmann::json(nullptr)},
                    {"final_train_loss", last_loss},
                    {"train_samples_per_s", last_rate},
                    {"validation_loss", best_heads.is_null() ? nlohmann::json(nullptr) : nlohmann::json(best_validation_loss)},
                    {"heads", head_json},
                    {"selection", {{"metric", cfg.select},
                                   {"best_step", best_step >= 0 ? nlohmann::json(best_step) : nlohmann::json(nullptr)},
                                   {"best_value", best_step >= 0 ? nlohmann::json(best_value) : nlohmann::json(nullptr)},
                                   {"patience", cfg.patience},
                                   {"stopped_early", stopped_early},
                                   {"exported_step", result.interrupted ? nlohmann::json(nullptr) : nlohmann::json(best_step)}}},
                    {"final_step_heads", heads_json(final_eval)},
                    {"parameters", params.element_count()},
                    {"parameter_tensors", params.size()},
                    {"threads", opt.threads},
                    {"shards", cfg.shards},
                    {"seconds", total_seconds},
                    {"training_seconds", elapsed_before + seconds_in_run},
                    {"model", result.interrupted ? nlohmann::json(nullptr) : nlohmann::json("model.rnl")},
                    {"config", opt.config},
                    {"runnel_version", kVersion}};
  io::write_file_atomically(dir + "/summary.json", result.summary.dump(2) + "\n");
  return result;
}

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_LOOP_H_
