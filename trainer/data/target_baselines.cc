#include "trainer/data/target_baselines.h"

#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

namespace runnel::data {
namespace {

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

}  // namespace

nlohmann::json target_baselines(const SyntheticSequenceDataset& ds) {
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

}  // namespace runnel::data
