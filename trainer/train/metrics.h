// Metrics of a run: per-head statistics reduced to numbers, and metrics.csv.
//
// metrics.csv has one header and two kinds of rows (column `kind`):
//   train — after each optimisation step: step (steps done, 1-based), loss (the weighted
//           batch loss), lr, sec_per_step, samples_per_s, and per head <head>/loss (and
//           <head>/accuracy for categorical heads, on the training batch);
//   eval  — after each evaluation over the validation split: step, loss (weighted mean of
//           the per-head validation losses), and per head <head>/loss, and
//           <head>/accuracy, <head>/top5, <head>/macro_f1 (categorical) or <head>/mse
//           (regression).
// Cells that do not apply to a row are empty.
#ifndef RUNNEL_TRAINER_TRAIN_METRICS_H_
#define RUNNEL_TRAINER_TRAIN_METRICS_H_

#include <cstddef>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace runnel::train {

struct HeadInfo {
  std::string name;
  bool categorical = false;
  double weight = 1.0;
};

// The sums a head accumulates (the fields of model::HeadStats).
struct HeadTotals {
  double loss_sum = 0;
  std::size_t count = 0, correct = 0, correct_top5 = 0;
  std::vector<std::size_t> true_positive, predicted, actual;

  template <class Stats>
  void add(const Stats& s) {
    loss_sum += s.loss_sum;
    count += s.count;
    correct += s.correct;
    correct_top5 += s.correct_top5;
    add_vec(true_positive, s.true_positive);
    add_vec(predicted, s.predicted);
    add_vec(actual, s.actual);
  }
  double mean_loss() const { return count ? loss_sum / double(count) : 0.0; }
  double accuracy() const { return count ? double(correct) / double(count) : 0.0; }
  double top5() const { return count ? double(correct_top5) / double(count) : 0.0; }
  // Mean F1 over classes >= 1 that occur in the targets or the predictions.
  double macro_f1() const;

 private:
  static void add_vec(std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    if (a.size() < b.size()) a.resize(b.size(), 0);
    for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
  }
};

// Numbers of one head: "loss", "accuracy", "top5", "macro_f1" (categorical) or "loss",
// "mse" (regression).
std::map<std::string, double> head_metrics(const HeadInfo& head, const HeadTotals& t, bool full);

// Weighted mean of per-head mean losses (the model's loss combination).
double weighted_loss(const std::vector<HeadInfo>& heads, const std::vector<HeadTotals>& totals);

// The validation metric that selects the exported checkpoint (train.select):
//   "loss"                weighted validation loss (lower is better);
//   "accuracy", "top5"    mean over the categorical heads (higher is better);
//   "<head>/<metric>"     one of head_metrics' keys of that head: loss, mse (lower is
//                         better), accuracy, top5, macro_f1 (higher is better).
// Throws std::invalid_argument naming the choices when `name` is none of these.
struct Selection {
  double value = 0;
  bool higher_is_better = false;
};
Selection selection_metric(const std::vector<HeadInfo>& heads, const std::vector<HeadTotals>& totals,
                           const std::string& name);

class MetricsCsv {
 public:
  // Opens dir/metrics.csv. With resume_step, keeps the existing rows with step <=
  // resume_step (and the header, which must match) and appends; otherwise truncates.
  MetricsCsv(const std::string& path, const std::vector<HeadInfo>& heads, std::optional<long> resume_step);
  ~MetricsCsv();
  MetricsCsv(const MetricsCsv&) = delete;
  MetricsCsv& operator=(const MetricsCsv&) = delete;

  void train_row(long step, double loss, double lr, double sec_per_step, double samples_per_s,
                 const std::vector<HeadTotals>& heads);
  void eval_row(long step, double loss, const std::vector<HeadTotals>& heads);
  void flush();
  static std::vector<std::string> columns(const std::vector<HeadInfo>& heads);

 private:
  void row(const std::map<std::string, std::string>& cells);
  std::vector<HeadInfo> heads_;
  std::vector<std::string> columns_;
  std::FILE* file_ = nullptr;
};

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_METRICS_H_
