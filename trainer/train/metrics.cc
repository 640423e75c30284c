#include "trainer/train/metrics.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "trainer/io/atomic_file.h"

namespace runnel::train {

double HeadTotals::macro_f1() const {
  double sum = 0;
  std::size_t classes = 0;
  const std::size_t n = std::max(actual.size(), predicted.size());
  for (std::size_t c = 1; c < n; ++c) {
    const std::size_t a = c < actual.size() ? actual[c] : 0, p = c < predicted.size() ? predicted[c] : 0;
    if (a + p == 0) continue;
    const std::size_t tp = c < true_positive.size() ? true_positive[c] : 0;
    sum += 2.0 * double(tp) / double(a + p);
    ++classes;
  }
  return classes ? sum / double(classes) : 0.0;
}

std::map<std::string, double> head_metrics(const HeadInfo& head, const HeadTotals& t, bool full) {
  std::map<std::string, double> m{{"loss", t.mean_loss()}};
  if (head.categorical) {
    m["accuracy"] = t.accuracy();
    if (full) {
      m["top5"] = t.top5();
      m["macro_f1"] = t.macro_f1();
    }
  } else if (full) {
    m["mse"] = t.mean_loss();
  }
  return m;
}

double weighted_loss(const std::vector<HeadInfo>& heads, const std::vector<HeadTotals>& totals) {
  double num = 0, den = 0;
  for (std::size_t h = 0; h < heads.size(); ++h) {
    num += heads[h].weight * totals[h].mean_loss();
    den += heads[h].weight;
  }
  return den > 0 ? num / den : 0.0;
}

Selection selection_metric(const std::vector<HeadInfo>& heads, const std::vector<HeadTotals>& totals,
                           const std::string& name) {
  if (name == "loss") return {weighted_loss(heads, totals), false};
  if (name == "accuracy" || name == "top5") {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t h = 0; h < heads.size(); ++h)
      if (heads[h].categorical) {
        sum += name == "accuracy" ? totals[h].accuracy() : totals[h].top5();
        ++n;
      }
    if (n == 0) throw std::invalid_argument("'" + name + "' needs a categorical head");
    return {sum / double(n), true};
  }
  std::string choices = "loss, accuracy, top5";
  for (std::size_t h = 0; h < heads.size(); ++h)
    for (const auto& [key, v] : head_metrics(heads[h], totals[h], true)) {
      (void)v;
      const std::string full = heads[h].name + "/" + key;
      choices += ", " + full;
      if (full == name) return {head_metrics(heads[h], totals[h], true).at(key), key != "loss" && key != "mse"};
    }
  throw std::invalid_argument("expected one of " + choices + ", got '" + name + "'");
}

std::vector<std::string> MetricsCsv::columns(const std::vector<HeadInfo>& heads) {
  std::vector<std::string> c = {"kind", "step", "loss", "lr", "sec_per_step", "samples_per_s"};
  for (const auto& h : heads) {
    c.push_back(h.name + "/loss");
    if (h.categorical) {
      c.push_back(h.name + "/accuracy");
      c.push_back(h.name + "/top5");
      c.push_back(h.name + "/macro_f1");
    } else {
      c.push_back(h.name + "/mse");
    }
  }
  return c;
}

MetricsCsv::MetricsCsv(const std::string& path, const std::vector<HeadInfo>& heads, std::optional<long> resume_step)
    : heads_(heads), columns_(columns(heads)) {
  std::string header;
  for (std::size_t i = 0; i < columns_.size(); ++i) header += (i ? "," : "") + columns_[i];
  std::string kept = header + "\n";
  if (resume_step) {
    std::ifstream in(path);
    std::string line;
    if (in && std::getline(in, line)) {
      if (line != header) throw std::runtime_error(path + ": columns differ from this model's; cannot resume into it");
      while (std::getline(in, line)) {
        const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
        if (c1 == std::string::npos) continue;
        const long step = std::atol(line.substr(c1 + 1, c2 - c1 - 1).c_str());
        if (step <= *resume_step) kept += line + "\n";
      }
    }
  }
  io::write_file_atomically(path, kept);
  file_ = std::fopen(path.c_str(), "ab");
  if (!file_) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
}

MetricsCsv::~MetricsCsv() {
  if (file_) std::fclose(file_);
}

void MetricsCsv::row(const std::map<std::string, std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i) line += ',';
    const auto it = cells.find(columns_[i]);
    if (it != cells.end()) line += it->second;
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), file_);
}

namespace {
std::string num(double x) { return fmt::format("{:.9g}", x); }
}  // namespace

void MetricsCsv::train_row(long step, double loss, double lr, double sec_per_step, double samples_per_s,
                           const std::vector<HeadTotals>& heads) {
  std::map<std::string, std::string> cells = {{"kind", "train"},
                                              {"step", std::to_string(step)},
                                              {"loss", num(loss)},
                                              {"lr", num(lr)},
                                              {"sec_per_step", num(sec_per_step)},
                                              {"samples_per_s", num(samples_per_s)}};
  for (std::size_t h = 0; h < heads_.size(); ++h)
    for (const auto& [k, v] : head_metrics(heads_[h], heads[h], false)) cells[heads_[h].name + "/" + k] = num(v);
  row(cells);
}

void MetricsCsv::eval_row(long step, double loss, const std::vector<HeadTotals>& heads) {
  std::map<std::string, std::string> cells = {{"kind", "eval"}, {"step", std::to_string(step)}, {"loss", num(loss)}};
  for (std::size_t h = 0; h < heads_.size(); ++h)
    for (const auto& [k, v] : head_metrics(heads_[h], heads[h], true)) cells[heads_[h].name + "/" + k] = num(v);
  row(cells);
}

void MetricsCsv::flush() { std::fflush(file_); }

}  // namespace runnel::train
