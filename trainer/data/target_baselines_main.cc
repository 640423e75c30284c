// Trivial baselines for the sequence-level targets of a synthetic data config
// (seq_tabular, posenc, multitask, adding), measured on the validation split:
//   regression target:  constant = MSE of predicting the train mean;
//                       statics_ols = MSE of least squares on [1, statics] fitted on train
//                       (only when the source has static features);
//   categorical target: majority = accuracy and macro-F1 (as the trainer computes it:
//                       mean over classes >= 1 that occur or are predicted) of always
//                       predicting the most frequent train class.
// Prints one JSON object: {"<target>": {"constant_mse": ..., ...}, ...}.
//   bazel run //trainer/data:print_target_baselines -- models/seq_tabular_mean.json
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/data/data_config.h"
#include "trainer/data/synthetic_sequence.h"

namespace {

using runnel::data::SequenceExample;
using runnel::data::SyntheticSequenceDataset;

// Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting.
std::vector<double> solve(std::vector<double> A, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::fabs(A[r * n + c]) > std::fabs(A[piv * n + c])) piv = r;
    for (std::size_t k = 0; k < n; ++k) std::swap(A[c * n + k], A[piv * n + k]);
    std::swap(b[c], b[piv]);
    if (std::fabs(A[c * n + c]) < 1e-12) throw std::runtime_error("singular normal equations");
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = A[r * n + c] / A[c * n + c];
      for (std::size_t k = c; k < n; ++k) A[r * n + k] -= f * A[c * n + k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = b[i] / A[i * n + i];
  return x;
}

nlohmann::json baselines(const SyntheticSequenceDataset& ds) {
  const auto& split = ds.split();
  std::vector<SequenceExample> train, val;
  for (std::size_t i = 0; i < split.train; ++i) train.push_back(ds.example(false, i));
  for (std::size_t i = 0; i < split.validation; ++i) val.push_back(ds.example(true, i));
  nlohmann::json out = nlohmann::json::object();
  for (const auto& t : ds.schema().targets) {
    nlohmann::json r;
    if (!t.categorical) {
      double mean = 0;
      for (const auto& e : train) mean += e.values.at(t.name);
      mean /= double(train.size());
      double mse = 0;
      for (const auto& e : val) mse += std::pow(e.values.at(t.name) - mean, 2);
      r["constant_mse"] = mse / double(val.size());
      const std::size_t S = ds.schema().statics.size();
      if (S > 0) {
        const std::size_t n = S + 1;
        std::vector<double> A(n * n, 0.0), b(n, 0.0);
        for (const auto& e : train) {
          std::vector<double> x{1.0};
          for (float s : e.statics) x.push_back(s);
          for (std::size_t i = 0; i < n; ++i) {
            b[i] += x[i] * e.values.at(t.name);
            for (std::size_t j = 0; j < n; ++j) A[i * n + j] += x[i] * x[j];
          }
        }
        const std::vector<double> w = solve(A, b);
        double ols = 0;
        for (const auto& e : val) {
          double p = w[0];
          for (std::size_t i = 0; i < S; ++i) p += w[i + 1] * e.statics[i];
          ols += std::pow(e.values.at(t.name) - p, 2);
        }
        r["statics_ols_mse"] = ols / double(val.size());
      }
    } else {
      std::map<std::int64_t, std::size_t> counts, val_counts;
      for (const auto& e : train) ++counts[e.classes.at(t.name)];
      std::int64_t majority = 0;
      std::size_t best = 0;
      for (const auto& [c, k] : counts)
        if (k > best) best = k, majority = c;
      for (const auto& e : val) ++val_counts[e.classes.at(t.name)];
      const double n = double(val.size());
      const double tp = double(val_counts[majority]);
      r["majority_class"] = majority;
      r["majority_accuracy"] = tp / n;
      // Classes that occur in validation or are predicted; only the majority has tp > 0.
      std::size_t classes = val_counts.size() + (val_counts.count(majority) ? 0 : 1);
      r["majority_macro_f1"] = (2.0 * tp / (tp + n)) / double(classes);
    }
    out[t.name] = r;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: print_target_baselines CONFIG.json\n";
    return 2;
  }
  std::string path = argv[1];
  const char* wd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (wd && *wd && !path.empty() && path[0] != '/') path = std::string(wd) + "/" + path;
  try {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(std::string(argv[1]) + ": cannot open file");
    nlohmann::json config = nlohmann::json::parse(in);
    const nlohmann::json& data = config.contains("data") ? config.at("data") : config;
    auto dataset = runnel::data::make_dataset(data, ".");
    auto* synth = dynamic_cast<runnel::data::SyntheticSequenceDataset*>(dataset.get());
    if (!synth) throw std::runtime_error("data.kind: needs a sequence-level synthetic source");
    std::cout << baselines(*synth).dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
