// Forward and backward time of the main autograd ops at model sizes (float32, one
// thread, batch 32). A program that prints figures, not a test:
//   bazel run //tools/bench:autograd_bench -- [--reps N] [--dims 32,64,128] [--times 64,200,400]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "trainer/autograd/ops.h"
#include "trainer/optim/init.h"

namespace ag = runnel::ag;
namespace op = runnel::optim;
using F = ag::Var<float>;

namespace {
constexpr std::size_t kBatch = 32, kHeads = 4, kVocab = 64, kKernel = 3;

struct Size {
  std::size_t d, t;
};

// One benchmark: the input shapes for a size, and the op applied to leaves of those shapes
// (input creation is not timed).
struct Bench {
  const char* name;
  std::function<std::vector<ag::Shape>(const Size&)> shapes;
  std::function<F(const std::vector<F>&, const Size&)> run;
};

ag::Shape seq(const Size& s) { return {kBatch, s.t, s.d}; }
ag::Shape heads(const Size& s) { return {kBatch, kHeads, s.t, s.d / kHeads}; }
float head_scale(const Size& s) { return 1.0f / std::sqrt(float(s.d / kHeads)); }

std::vector<ag::Shape> recurrent_shapes(const Size& s, std::size_t gates) {
  return {seq(s), {gates * s.d, s.d}, {gates * s.d, s.d}, {gates * s.d}, {gates * s.d}};
}

std::vector<std::int64_t> targets(const Size& s) {
  std::vector<std::int64_t> t(kBatch * s.t);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = std::int64_t(i % kVocab);
  return t;
}

const std::vector<Bench>& benchmarks() {
  static const std::vector<Bench> table = {
      {"matmul [B,T,d]x[d,d]", [](const Size& s) { return std::vector<ag::Shape>{seq(s), {s.d, s.d}}; },
       [](const auto& v, const Size&) { return ag::matmul(v[0], v[1]); }},
      {"attention H=4 W=T", [](const Size& s) { return std::vector<ag::Shape>{heads(s), heads(s), heads(s)}; },
       [](const auto& v, const Size& s) { return ag::causal_attention(v[0], v[1], v[2], s.t, head_scale(s)); }},
      {"attention H=4 W=64", [](const Size& s) { return std::vector<ag::Shape>{heads(s), heads(s), heads(s)}; },
       [](const auto& v, const Size& s) { return ag::causal_attention(v[0], v[1], v[2], 64, head_scale(s)); }},
      {"gru d->d", [](const Size& s) { return recurrent_shapes(s, 3); },
       [](const auto& v, const Size&) { return ag::gru(v[0], v[1], v[2], v[3], v[4]); }},
      {"lstm d->d", [](const Size& s) { return recurrent_shapes(s, 4); },
       [](const auto& v, const Size&) { return ag::lstm(v[0], v[1], v[2], v[3], v[4]); }},
      {"conv1d K=3 dil=2 d->d", [](const Size& s) { return std::vector<ag::Shape>{seq(s), {s.d, s.d, kKernel}, {s.d}}; },
       [](const auto& v, const Size&) { return ag::causal_conv1d(v[0], v[1], v[2], 2); }},
      {"layer_norm", [](const Size& s) { return std::vector<ag::Shape>{seq(s), {s.d}, {s.d}}; },
       [](const auto& v, const Size&) { return ag::layer_norm(v[0], v[1], v[2], 1e-5f); }},
      {"cross_entropy V=64", [](const Size& s) { return std::vector<ag::Shape>{{kBatch * s.t, kVocab}}; },
       [](const auto& v, const Size& s) { return ag::cross_entropy(v[0], targets(s), -1); }},
  };
  return table;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<std::size_t> parse_list(const std::string& s) {
  std::vector<std::size_t> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t comma = s.find(',', pos);
    out.push_back(std::stoul(s.substr(pos, comma - pos)));
    pos = comma == std::string::npos ? s.size() : comma + 1;
  }
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"autograd forward/backward timings (float32, one thread, batch 32)"};
  int reps = 3;
  std::string dims = "32,64,128", times = "64,200,400";
  app.add_option("--reps", reps, "repetitions per measurement (median is printed)");
  app.add_option("--dims", dims, "model widths d, comma separated");
  app.add_option("--times", times, "sequence lengths T, comma separated");
  CLI11_PARSE(app, argc, argv);

  fmt::print("{:<24} {:>4} {:>4} {:>11} {:>12} {:>10}\n", "op", "d", "T", "forward ms", "backward ms", "events/s");
  for (const Bench& bench : benchmarks())
    for (std::size_t d : parse_list(dims))
      for (std::size_t t : parse_list(times)) {
        std::vector<double> fwd, bwd;
        for (int r = 0; r < reps; ++r) {
          op::Rng rng(1);
          std::vector<F> inputs;
          for (const ag::Shape& shape : bench.shapes({d, t}))
            inputs.push_back(ag::leaf<float>(op::uniform<float>(shape, rng, -0.5, 0.5)));
          auto t0 = std::chrono::steady_clock::now();
          const F y = bench.run(inputs, {d, t});
          fwd.push_back(ms_since(t0));
          const ag::Array<float> seed = xt::ones<float>(y.value().shape());
          t0 = std::chrono::steady_clock::now();
          ag::backward(y, seed);
          bwd.push_back(ms_since(t0));
        }
        const double f = median(fwd), b = median(bwd);
        fmt::print("{:<24} {:>4} {:>4} {:>11.2f} {:>12.2f} {:>10.0f}\n", bench.name, d, t, f, b,
                   double(kBatch * t) / ((f + b) / 1000.0));
      }
  return 0;
}
