// Streaming speed of runnel's sequence layers, batch 1, one thread, per event:
//   (a) a causal Transformer stack: d = 64, 4 heads, ff = 128, 2 layers, pre-LN
//       (x + attn(LN(x)); x + W2·gelu(W1·LN(x))), final LayerNorm, window 256, built from
//       SelfAttention plus the layer_norm / matvec / gelu kernels;
//   (b) a GRU cell 64 → 64;  (c) an LSTM cell 64 → 64.
// Each case runs on every instruction-set level this CPU runs (kernels/isa.h), the best
// first, down to the build's baseline (same weights, same inputs); and each with f32 weights and with the same weights quantised to int8 (one scale per
// row, trainer/export/quantize.h), side by side in one run.
// Each case streams 100 000 events from a fresh state; the steady-state figures cover the
// events after the K/V ring is full (t >= W + 200, as the peer does), and the medians of
// events 0–999 and 99 000–99 999 show whether the cost grows with the stream's length.
// Cases are repeated (interleaved) and, like the peer, the median over repeats is reported.
//
// --peer PATH runs PyTorch's stream_latency.py in the same invocation and prints both
// figures with the speed-up ratio (PyTorch median / runnel median).
//
// Usage: stream_bench [--events N] [--repeats R] [--peer PATH] [--peer-events N]
//                     [--python /usr/bin/python3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernels/isa.h"
#include "engine/kernels/kernels.h"
#include "engine/layers/gru.h"
#include "engine/layers/lstm.h"
#include "engine/layers/self_attention.h"
#include "trainer/export/quantize.h"

namespace runnel {
namespace {

using layers::Gru;
using layers::Lstm;
using layers::SelfAttention;

constexpr int kD = 64, kHeads = 4, kFF = 128, kLayers = 2, kWindow = 256;
constexpr float kLnEps = 1e-5f;

// Weights in a model file start at 64-byte boundaries (the engine reads them in place), so
// the bench's weights do too: with the allocator's 16-byte alignment, whether each
// AVX-512 load of a weight row straddles two cache lines would depend on chance (measured:
// the f32 LSTM's tiled step 1.57 vs 2.04 us on two allocations of the same weights).
template <class T>
struct Aligned64 {
  using value_type = T;
  Aligned64() = default;
  template <class U>
  Aligned64(const Aligned64<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64))); }
  void deallocate(T* p, size_t) { ::operator delete(p, std::align_val_t(64)); }
  template <class U>
  bool operator==(const Aligned64<U>&) const { return true; }
  template <class U>
  bool operator!=(const Aligned64<U>&) const { return false; }
};
using Vec = std::vector<float, Aligned64<float>>;

Vec uniform(std::mt19937& gen, size_t n, float bound) {
  std::uniform_real_distribution<float> u(-bound, bound);
  Vec v(n);
  for (float& x : v) x = u(gen);
  return v;
}
Vec fan_in_init(std::mt19937& gen, int rows, int cols) {  // PyTorch Linear's default range
  return uniform(gen, static_cast<size_t>(rows) * cols, 1.f / std::sqrt(static_cast<float>(cols)));
}

// A step function for one event: writes the case's output, returns it for the checksum.
using StepFn = std::function<const float*(int64_t t, const float* x)>;

enum class Weights { kF32, kInt8 };
const char* weights_name(Weights w) { return w == Weights::kInt8 ? "int8" : "f32"; }

// A weight matrix [rows, cols] the layers read as f32 or as its int8 quantisation.
class WeightMatrix {
 public:
  WeightMatrix(Vec w, int rows, int cols) : f32_(std::move(w)) {
    const quant::QuantizedRows q = quant::quantize_rows(std::vector<float>(f32_.begin(), f32_.end()), rows, cols);
    q8_.assign(q.q.begin(), q.q.end());
    scales_.assign(q.scales.begin(), q.scales.end());
  }
  kernels::Matrix view(Weights w) const {
    return w == Weights::kInt8 ? kernels::Matrix::int8(q8_.data(), scales_.data()) : kernels::Matrix(f32_.data());
  }

 private:
  Vec f32_;
  std::vector<int8_t, Aligned64<int8_t>> q8_;
  Vec scales_;
};

// --------------------------------------------------------------------------------------
// (a) Transformer stack

struct EncoderLayer {
  Vec ln1_gamma, ln1_beta;
  WeightMatrix wq;
  Vec bq;
  WeightMatrix wk;
  Vec bk;
  WeightMatrix wv;
  Vec bv;
  WeightMatrix wo;
  Vec bo, ln2_gamma, ln2_beta;
  WeightMatrix w1;
  Vec b1;
  WeightMatrix w2;
  Vec b2;
  SelfAttention attention;
  Vec kv_state;
  kernels::Matrix ffn1, ffn2;

  EncoderLayer(std::mt19937& gen, Weights weights)
      : ln1_gamma(kD, 1.f), ln1_beta(kD, 0.f), wq(fan_in_init(gen, kD, kD), kD, kD), bq(uniform(gen, kD, 0.1f)),
        wk(fan_in_init(gen, kD, kD), kD, kD), bk(uniform(gen, kD, 0.1f)), wv(fan_in_init(gen, kD, kD), kD, kD),
        bv(uniform(gen, kD, 0.1f)), wo(fan_in_init(gen, kD, kD), kD, kD), bo(uniform(gen, kD, 0.1f)),
        ln2_gamma(kD, 1.f), ln2_beta(kD, 0.f), w1(fan_in_init(gen, kFF, kD), kFF, kD), b1(uniform(gen, kFF, 0.1f)),
        w2(fan_in_init(gen, kD, kFF), kD, kFF), b2(uniform(gen, kD, 0.1f)) {
    MhaWeights m;
    m.wq = wq.view(weights); m.bq = bq.data(); m.wk = wk.view(weights); m.bk = bk.data();
    m.wv = wv.view(weights); m.bv = bv.data(); m.wo = wo.view(weights); m.bo = bo.data();
    m.d = kD;
    m.heads = kHeads;
    attention = SelfAttention::make(m, kWindow, rnl::PositionBias::kNone);
    kv_state.resize(attention.state_floats());
    attention.reset(kv_state.data());
    ffn1 = w1.view(weights);
    ffn2 = w2.view(weights);
  }
};

class TransformerStack {
 public:
  // The same seed gives the same f32 weights whatever `weights` is.
  TransformerStack(std::mt19937 gen, Weights weights) : final_gamma_(kD, 1.f), final_beta_(kD, 0.f) {
    layers_.reserve(kLayers);  // the layers' views point into their own vectors
    for (int l = 0; l < kLayers; ++l) layers_.emplace_back(gen, weights);
    scratch_.resize(layers_[0].attention.scratch_floats());
  }

  const float* step(int64_t t, const float* input) {
    std::memcpy(x_, input, sizeof(x_));
    for (EncoderLayer& l : layers_) {
      kernels::layer_norm(x_, l.ln1_gamma.data(), l.ln1_beta.data(), kLnEps, normed_, kD);
      StepArgs a;
      a.t = t;
      const float* in[] = {normed_};
      a.in = in;
      a.n_in = 1;
      l.attention.step(a, l.kv_state.data(), scratch_.data(), branch_);
      kernels::add(x_, branch_, x_, kD);
      kernels::layer_norm(x_, l.ln2_gamma.data(), l.ln2_beta.data(), kLnEps, normed_, kD);
      kernels::matvec(l.ffn1, normed_, l.b1.data(), kFF, kD, hidden_);
      kernels::gelu_erf(hidden_, kFF);
      kernels::matvec(l.ffn2, hidden_, l.b2.data(), kD, kFF, branch_);
      kernels::add(x_, branch_, x_, kD);
    }
    kernels::layer_norm(x_, final_gamma_.data(), final_beta_.data(), kLnEps, out_, kD);
    return out_;
  }

 private:
  std::vector<EncoderLayer> layers_;
  Vec final_gamma_, final_beta_, scratch_;
  alignas(64) float x_[kD];
  alignas(64) float normed_[kD];
  alignas(64) float branch_[kD];
  alignas(64) float hidden_[kFF];
  alignas(64) float out_[kD];
};

// --------------------------------------------------------------------------------------
// (b), (c) recurrent cells

template <class Cell>
class CellRunner {
 public:
  // The same seed gives the same f32 weights whatever `weights` is.
  CellRunner(std::mt19937 gen, int gates, Isa isa, Weights weights)
      : w_ih_(fan_in_init(gen, gates * kD, kD), gates * kD, kD), w_hh_(fan_in_init(gen, gates * kD, kD), gates * kD, kD),
        b_ih_(uniform(gen, gates * kD, 0.125f)), b_hh_(uniform(gen, gates * kD, 0.125f)),
        cell_(Cell::make(w_ih_.view(weights), w_hh_.view(weights), b_ih_.data(), b_hh_.data(), kD, kD, isa)),
        state_(cell_.state_floats()), scratch_(cell_.scratch_floats()), out_(kD) {
    cell_.reset(state_.data());
  }
  const float* step(int64_t t, const float* x) {
    StepArgs a;
    a.t = t;
    const float* in[] = {x};
    a.in = in;
    a.n_in = 1;
    cell_.step(a, state_.data(), scratch_.data(), out_.data());
    return out_.data();
  }

 private:
  WeightMatrix w_ih_, w_hh_;
  Vec b_ih_, b_hh_;
  Cell cell_;
  Vec state_, scratch_, out_;
};

// --------------------------------------------------------------------------------------
// measurement

struct Stats {
  double median_us = 0, p99_us = 0, mean_us = 0;
};

Stats stats_of(std::vector<double> us) {
  Stats s;
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  const size_t n = us.size();
  s.median_us = us[n / 2];
  s.p99_us = us[std::min(n - 1, static_cast<size_t>(0.99 * n))];
  double sum = 0;
  for (double v : us) sum += v;
  s.mean_us = sum / n;
  return s;
}

struct CaseRun {
  Stats steady, first_1000, last_1000;
};

double g_checksum = 0;  // consumed outputs, so no step can be optimised away

CaseRun time_stream(const StepFn& step, int64_t events, int64_t warm, const std::vector<Vec>& inputs) {
  std::vector<double> us(static_cast<size_t>(events));
  for (int64_t t = 0; t < events; ++t) {
    const float* x = inputs[static_cast<size_t>(t) % inputs.size()].data();
    const auto t0 = std::chrono::steady_clock::now();
    const float* y = step(t, x);
    const auto t1 = std::chrono::steady_clock::now();
    us[static_cast<size_t>(t)] = std::chrono::duration<double, std::micro>(t1 - t0).count();
    g_checksum += y[0];
  }
  CaseRun r;
  r.steady = stats_of(std::vector<double>(us.begin() + std::min(warm, events), us.end()));
  r.first_1000 = stats_of(std::vector<double>(us.begin(), us.begin() + std::min<int64_t>(1000, events)));
  r.last_1000 = stats_of(std::vector<double>(us.end() - std::min<int64_t>(1000, events), us.end()));
  return r;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

struct CaseSummary {
  const char* name;
  const char* peer_key;  // in the peer's "results"
  double median_us, p99_us, mean_us, first_1000_us, last_1000_us;
};

CaseSummary summarise(const char* name, const char* peer_key, const std::vector<CaseRun>& runs) {
  std::vector<double> med, p99, mean, first, last;
  for (const CaseRun& r : runs) {
    med.push_back(r.steady.median_us);
    p99.push_back(r.steady.p99_us);
    mean.push_back(r.steady.mean_us);
    first.push_back(r.first_1000.median_us);
    last.push_back(r.last_1000.median_us);
  }
  return {name, peer_key, median_of(med), median_of(p99), median_of(mean), median_of(first), median_of(last)};
}

// --------------------------------------------------------------------------------------
// the PyTorch peer

std::string resolve_user_path(const std::string& path) {
  // `bazel run` starts us in the runfiles tree; relative paths mean the user's directory.
  const char* user_dir = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || path[0] == '/' || !user_dir) return path;
  return std::string(user_dir) + "/" + path;
}

bool run_peer(const std::string& python, const std::string& script, int events, nlohmann::json* results,
              std::string* command_out) {
  const std::string command = python + " '" + script + "' --threads 1 --events " + std::to_string(events);
  *command_out = command;
  std::printf("\n# running the PyTorch peer: %s\n", command.c_str());
  std::fflush(stdout);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return false;
  std::string last_json;
  char line[1 << 16];
  std::string current;
  while (std::fgets(line, sizeof(line), pipe)) {
    current += line;
    if (!current.empty() && current.back() == '\n') {
      if (current[0] == '{') last_json = current;
      current.clear();
    }
  }
  if (!current.empty() && current[0] == '{') last_json = current;
  const int rc = pclose(pipe);
  if (rc != 0 || last_json.empty()) {
    std::fprintf(stderr, "peer failed (exit status %d, %s JSON line)\n", rc, last_json.empty() ? "no" : "a");
    return false;
  }
  *results = nlohmann::json::parse(last_json, nullptr, /*allow_exceptions=*/false);
  return !results->is_discarded();
}

double peer_figure(const nlohmann::json& peer, const char* key, const char* field) {
  if (!peer.contains("results") || !peer["results"].contains(key)) return 0;
  const auto& r = peer["results"][key];
  return r.contains(field) && r[field].is_number() ? r[field].get<double>() : 0;
}

// --------------------------------------------------------------------------------------

int main_impl(int argc, char** argv) {
  int64_t events = 100000;
  int repeats = 3, peer_events = 3000;
  std::string peer_script, python = "/usr/bin/python3";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--events" && has_value) events = std::atoll(argv[++i]);
    else if (arg == "--repeats" && has_value) repeats = std::atoi(argv[++i]);
    else if (arg == "--peer" && has_value) peer_script = resolve_user_path(argv[++i]);
    else if (arg == "--peer-events" && has_value) peer_events = std::atoi(argv[++i]);
    else if (arg == "--python" && has_value) python = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--events N] [--repeats R] [--peer PATH] [--peer-events N] [--python PY]\n", argv[0]);
      return 2;
    }
  }
  if (events < 100000) std::printf("# note: --events %lld < 100000: the last-1000 column covers the stream's end\n",
                                   static_cast<long long>(events));

  std::mt19937 gen(1234);
  std::vector<Vec> inputs;
  for (int i = 0; i < 1024; ++i) inputs.push_back(uniform(gen, kD, 1.f));
  // Each model is built from its own seed, so its f32 and int8 forms (and the copies per
  // instruction set) start from the same f32 weights.
  const std::mt19937 transformer_seed(gen()), gru_seed(gen()), lstm_seed(gen());
  const Isa best = best_isa();
  std::vector<Isa> levels = {best};  // then every other level this CPU runs, down to the baseline
  for (int i = static_cast<int>(std::size(kAllIsas)) - 1; i >= 0; --i)
    if (kAllIsas[i] != best && isa_runs(kAllIsas[i])) levels.push_back(kAllIsas[i]);

  struct Case {
    std::string name;
    const char* peer_key;
    int64_t warm;
    StepFn step;
    Isa isa;  // the process runs this level while the case is timed (kernels dispatch on it)
    std::vector<CaseRun> runs;
  };
  std::vector<Case> cases;
  // The models outlive the cases' step functions; the transformer's K/V rings are restarted
  // by each stream (t = 0), so one per weight type serves every level.
  std::vector<std::unique_ptr<TransformerStack>> transformers;
  std::vector<std::unique_ptr<CellRunner<Gru>>> grus;
  std::vector<std::unique_ptr<CellRunner<Lstm>>> lstms;
  for (const Weights weights : {Weights::kF32, Weights::kInt8})
    transformers.push_back(std::make_unique<TransformerStack>(transformer_seed, weights));
  for (const Isa isa : levels) {
    const std::string level = std::string(" [") + isa_name(isa) + "]";
    for (const Weights weights : {Weights::kF32, Weights::kInt8}) {
      const std::string suffix = std::string(" ") + weights_name(weights) + level;
      TransformerStack* transformer = transformers[weights == Weights::kInt8].get();
      cases.push_back({"transformer 2x[d64 h4 ff128] W256" + suffix, "a_kv_cache", kWindow + 200,
                       [transformer](int64_t t, const float* x) { return transformer->step(t, x); }, isa, {}});
    }
    for (const Weights weights : {Weights::kF32, Weights::kInt8}) {
      const std::string suffix = std::string(" ") + weights_name(weights) + level;
      grus.push_back(std::make_unique<CellRunner<Gru>>(gru_seed, 3, isa, weights));
      CellRunner<Gru>* gru = grus.back().get();
      cases.push_back({"GRU cell 64->64" + suffix, "c_gru_cell", 500,
                       [gru](int64_t t, const float* x) { return gru->step(t, x); }, isa, {}});
    }
    for (const Weights weights : {Weights::kF32, Weights::kInt8}) {
      const std::string suffix = std::string(" ") + weights_name(weights) + level;
      lstms.push_back(std::make_unique<CellRunner<Lstm>>(lstm_seed, 4, isa, weights));
      CellRunner<Lstm>* lstm = lstms.back().get();
      cases.push_back({"LSTM cell 64->64" + suffix, "d_lstm_cell", 500,
                       [lstm](int64_t t, const float* x) { return lstm->step(t, x); }, isa, {}});
    }
  }
  // Each repeat restarts the stream at t = 0 (the ring fills again: its slots are simply
  // overwritten, which is what a fresh session after reset() sees too).
  for (int r = 0; r < repeats; ++r)
    for (Case& c : cases) {
      set_isa(c.isa);
      c.runs.push_back(time_stream(c.step, events, c.warm, inputs));
    }
  set_isa(best);

  std::printf("runnel stream_bench: batch 1, 1 thread, %lld events per stream, %d repeats (median over repeats)\n",
              static_cast<long long>(events), repeats);
  std::printf("instruction sets: %s (kernels %s) first, then each level below it down to the build's baseline\n",
              isa_name(best), kernels::backend_name());
  std::printf("%-46s %12s %12s %14s %16s %18s\n", "case", "median us", "p99 us", "events/s", "first 1000: us",
              "99000-99999: us");
  std::vector<CaseSummary> summaries;
  for (const Case& c : cases) {
    const CaseSummary s = summarise(c.name.c_str(), c.peer_key, c.runs);
    summaries.push_back(s);
    std::printf("%-46s %12.3f %12.3f %14.0f %16.3f %18.3f\n", s.name, s.median_us, s.p99_us, 1e6 / s.mean_us,
                s.first_1000_us, s.last_1000_us);
  }
  std::printf("\nint8 weights vs f32 (same weights before quantisation, same run; median us per event)\n");
  std::printf("%-46s %10s %10s %10s\n", "case", "f32", "int8", "f32/int8");
  for (size_t i = 0; i + 1 < summaries.size(); i += 2) {  // cases come in f32, int8 pairs
    std::string name = summaries[i].name;
    const size_t at = name.find(" f32");
    if (at != std::string::npos) name.erase(at, 4);
    std::printf("%-46s %10.3f %10.3f %9.2fx\n", name.c_str(), summaries[i].median_us, summaries[i + 1].median_us,
                summaries[i + 1].median_us > 0 ? summaries[i].median_us / summaries[i + 1].median_us : 0);
  }
  std::printf("# steady state = events after warm-up (transformer: t >= W+200 = %d, K/V ring full; cells: t >= 500)\n",
              kWindow + 200);
  std::printf("# checksum %.6g\n", g_checksum);

  if (peer_script.empty()) return 0;
  nlohmann::json peer;
  std::string command;
  if (!run_peer(python, peer_script, peer_events, &peer, &command)) return 1;
  std::printf("\nrunnel vs PyTorch %s (same machine, same invocation; median / p99 us per event)\n",
              peer.value("env", nlohmann::json::object()).value("torch", "?").c_str());
  std::printf("%-46s %10s %10s %12s %12s %10s\n", "case", "runnel", "r. p99", "PyTorch", "PyT. p99", "speed-up");
  for (const CaseSummary& s : summaries) {
    const double pm = peer_figure(peer, s.peer_key, "median_us"), pp = peer_figure(peer, s.peer_key, "p99_us");
    std::printf("%-46s %10.3f %10.3f %12.1f %12.1f %9.1fx\n", s.name, s.median_us, s.p99_us, pm, pp,
                s.median_us > 0 ? pm / s.median_us : 0);
  }
  const double ts = peer_figure(peer, "a_kv_cache_torchscript", "median_us");
  if (ts > 0)
    std::printf("%-46s %10.3f %10s %12.1f %12s %9.1fx\n", "  (transformer vs TorchScript K/V step)",
                summaries[0].median_us, "", ts, "", ts / summaries[0].median_us);
  return 0;
}

}  // namespace
}  // namespace runnel

int main(int argc, char** argv) { return runnel::main_impl(argc, argv); }
