// runnel bench --model FILE.rnl: per-event latency of batch-1 streaming through the engine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/kernels/isa.h"
#include "engine/kernels/kernels.h"
#include "tools/cli/command.h"
#include "tools/cli/memory_budget.h"
#include "tools/cli/model_loader.h"

namespace runnel::cli {
namespace {

struct BenchOptions {
  std::string model;
  long events = 100000;
  long warmup = 1000;
  std::string isa = "best";  // "best" or "baseline"
  MemoryBudget memory;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

std::vector<double> slice(const std::vector<double>& v, size_t from, size_t to) {
  return std::vector<double>(v.begin() + static_cast<long>(std::min(from, v.size())),
                             v.begin() + static_cast<long>(std::min(to, v.size())));
}

int bench(const BenchOptions& o) {
  if (o.isa == "baseline") set_isa(Isa::kBaseline);  // before the model is loaded: layers keep it
  LoadedModel loaded = load_model(o.model);
  const Model& model = *loaded.model;
  require_sessions(o.memory, model, 1, "one", o.model);
  OwnedSession session(model);
  RandomEvents events(model, 42);
  long n = o.events;
  if (model.max_events() >= 0 && n > model.max_events()) {
    std::printf("note: learned positions cap the stream at %lld events\n", static_cast<long long>(model.max_events()));
    n = model.max_events();
  }
  // Warm-up on a separate stream so that caches and branch predictors settle; the timed
  // stream then starts from event 0, so its first events are the "short stream" figures.
  for (long i = 0; i < std::min(o.warmup, n); ++i) session.get().step(events.next());
  session.get().reset();

  std::vector<double> micros(static_cast<size_t>(n));
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  for (long i = 0; i < n; ++i) {
    const Event& e = events.next();
    const auto t0 = Clock::now();
    const Status s = session.get().step(e);
    const auto t1 = Clock::now();
    if (s != Status::kOk) throw std::runtime_error(std::string("step ") + std::to_string(i) + ": " + status_name(s));
    micros[static_cast<size_t>(i)] = std::chrono::duration<double, std::micro>(t1 - t0).count();
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::printf("model %s: %u records, %u outputs\n", o.model.c_str(), model.n_nodes(), model.n_outputs());
  std::printf("memory: %zu bytes per session, %zu bytes scratch (shared), model file %zu bytes\n",
              model.session_bytes(), model.scratch_bytes(), loaded.file->size());
  std::printf("events: %ld, batch 1, one thread; instruction set %s (kernels %s)\n", n, isa_name(best_isa()),
              kernels::backend_name());
  std::printf("latency per event: median %.2f us, p99 %.2f us, max %.2f us\n", percentile(micros, 0.5),
              percentile(micros, 0.99), percentile(micros, 1.0));
  std::printf("throughput: %.0f events/s (including timer overhead)\n", static_cast<double>(n) / seconds);
  const size_t late_from = static_cast<size_t>(std::max(0L, n - 1000));
  std::printf("median over events 0-999: %.2f us; over events %zu-%ld: %.2f us\n",
              percentile(slice(micros, 0, 1000), 0.5), late_from, n - 1, percentile(slice(micros, late_from, n), 0.5));
  return 0;
}

}  // namespace

CommandRunner setup_bench(CLI::App& sub) {
  auto o = std::make_shared<BenchOptions>();
  sub.add_option("--model", o->model, "model file (.rnl)")->required();
  sub.add_option("--events", o->events, "events to stream (default 100000)")->check(CLI::PositiveNumber);
  add_max_memory_option(sub, &o->memory);
  sub.add_option("--warmup", o->warmup, "events streamed before timing (default 1000)")->check(CLI::NonNegativeNumber);
  sub.add_option("--isa", o->isa, "instruction set: best (what this CPU runs, default) or baseline (the build's)")
      ->check(CLI::IsMember({"best", "baseline"}));
  return [o] { return bench(*o); };
}

}  // namespace runnel::cli
