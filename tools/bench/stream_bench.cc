// Streaming speed of runnel's sequence layers, batch 1, one thread, per event:
//   (a) a causal Transformer stack: d = 64, 4 heads, ff = 128, 2 layers, pre-LN
//       (x + attn(LN(x)); x + W2·gelu(W1·LN(x))), final LayerNorm, window 256, built from
//       SelfAttention plus the layer_norm / matvec / gelu kernels;
//   (b) a GRU cell 64 → 64;  (c) an LSTM cell 64 → 64.
// Each case runs with the best instruction set this CPU runs (kernels/isa.h) and, where that
// is not the build's baseline, also on the baseline kernels (same weights, same inputs).
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
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernels/isa.h"
#include "engine/kernels/kernels.h"
#include "engine/layers/gru.h"
#include "engine/layers/lstm.h"
#include "engine/layers/self_attention.h"

namespace runnel {
namespace {

using layers::Gru;
using layers::Lstm;
using layers::SelfAttention;

constexpr int kD = 64, kHeads = 4, kFF = 128, kLayers = 2, kWindow = 256;
constexpr float kLnEps = 1e-5f;

using Vec = std::vector<float>;

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

// --------------------------------------------------------------------------------------
// (a) Transformer stack

struct EncoderLayer {
  Vec ln1_gamma, ln1_beta, wq, bq, wk, bk, wv, bv, wo, bo, ln2_gamma, ln2_beta, w1, b1, w2, b2;
  SelfAttention attention;
  Vec kv_state;

  explicit EncoderLayer(std::mt19937& gen)
      : ln1_gamma(kD, 1.f), ln1_beta(kD, 0.f), wq(fan_in_init(gen, kD, kD)), bq(uniform(gen, kD, 0.1f)),
        wk(fan_in_init(gen, kD, kD)), bk(uniform(gen, kD, 0.1f)), wv(fan_in_init(gen, kD, kD)),
        bv(uniform(gen, kD, 0.1f)), wo(fan_in_init(gen, kD, kD)), bo(uniform(gen, kD, 0.1f)),
        ln2_gamma(kD, 1.f), ln2_beta(kD, 0.f), w1(fan_in_init(gen, kFF, kD)), b1(uniform(gen, kFF, 0.1f)),
        w2(fan_in_init(gen, kD, kFF)), b2(uniform(gen, kD, 0.1f)) {
    MhaWeights m;
    m.wq = wq.data(); m.bq = bq.data(); m.wk = wk.data(); m.bk = bk.data();
    m.wv = wv.data(); m.bv = bv.data(); m.wo = wo.data(); m.bo = bo.data();
    m.d = kD;
    m.heads = kHeads;
    attention = SelfAttention::make(m, kWindow, rnl::PositionBias::kNone);
    kv_state.resize(attention.state_floats());
    attention.reset(kv_state.data());
  }
};

class TransformerStack {
 public:
  explicit TransformerStack(std::mt19937& gen) : final_gamma_(kD, 1.f), final_beta_(kD, 0.f) {
    for (int l = 0; l < kLayers; ++l) layers_.emplace_back(gen);
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
      kernels::matvec(l.w1.data(), normed_, l.b1.data(), kFF, kD, hidden_);
      kernels::gelu_erf(hidden_, kFF);
      kernels::matvec(l.w2.data(), hidden_, l.b2.data(), kD, kFF, branch_);
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
  CellRunner(std::mt19937& gen, int gates, Isa isa)
      : w_ih_(fan_in_init(gen, gates * kD, kD)), w_hh_(fan_in_init(gen, gates * kD, kD)),
        b_ih_(uniform(gen, gates * kD, 0.125f)), b_hh_(uniform(gen, gates * kD, 0.125f)),
        cell_(Cell::make(w_ih_.data(), w_hh_.data(), b_ih_.data(), b_hh_.data(), kD, kD, isa)),
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
  Vec w_ih_, w_hh_, b_ih_, b_hh_;
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
  TransformerStack transformer(gen);
  // The cells run with the best instruction set this CPU has (kernels/isa.h); where that is
  // not the baseline, the baseline path is timed too, on the same weights (same seed).
  const Isa best = best_isa();
  std::mt19937 same_weights = gen;
  CellRunner<Gru> gru(gen, 3, best);
  CellRunner<Lstm> lstm(gen, 4, best);
  CellRunner<Gru> gru_baseline(same_weights, 3, Isa::kBaseline);
  CellRunner<Lstm> lstm_baseline(same_weights, 4, Isa::kBaseline);
  const std::string transformer_name = std::string("transformer 2x[d64 h4 ff128] W256 [") + isa_name(best) + "]";
  const std::string gru_name = std::string("GRU cell 64->64 [") + isa_name(best) + "]";
  const std::string lstm_name = std::string("LSTM cell 64->64 [") + isa_name(best) + "]";

  struct Case {
    const char* name;
    const char* peer_key;
    int64_t warm;
    StepFn step;
    Isa isa;  // the process runs this level while the case is timed (kernels dispatch on it)
    std::vector<CaseRun> runs;
  };
  std::vector<Case> cases = {
      {transformer_name.c_str(), "a_kv_cache", kWindow + 200,
       [&](int64_t t, const float* x) { return transformer.step(t, x); }, best, {}},
      {gru_name.c_str(), "c_gru_cell", 500, [&](int64_t t, const float* x) { return gru.step(t, x); }, best, {}},
      {lstm_name.c_str(), "d_lstm_cell", 500, [&](int64_t t, const float* x) { return lstm.step(t, x); }, best, {}},
  };
  if (best != Isa::kBaseline) {
    cases.push_back({"transformer 2x[d64 h4 ff128] W256 [baseline]", "a_kv_cache", kWindow + 200,
                     [&](int64_t t, const float* x) { return transformer.step(t, x); }, Isa::kBaseline, {}});
    cases.push_back({"GRU cell 64->64 [baseline]", "c_gru_cell", 500,
                     [&](int64_t t, const float* x) { return gru_baseline.step(t, x); }, Isa::kBaseline, {}});
    cases.push_back({"LSTM cell 64->64 [baseline]", "d_lstm_cell", 500,
                     [&](int64_t t, const float* x) { return lstm_baseline.step(t, x); }, Isa::kBaseline, {}});
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
  std::printf("instruction sets: %s (kernels %s) and, below it, the build's baseline\n", isa_name(best),
              kernels::backend_name());
  std::printf("%-46s %12s %12s %14s %16s %18s\n", "case", "median us", "p99 us", "events/s", "first 1000: us",
              "99000-99999: us");
  std::vector<CaseSummary> summaries;
  for (const Case& c : cases) {
    const CaseSummary s = summarise(c.name, c.peer_key, c.runs);
    summaries.push_back(s);
    std::printf("%-46s %12.3f %12.3f %14.0f %16.3f %18.3f\n", s.name, s.median_us, s.p99_us, 1e6 / s.mean_us,
                s.first_1000_us, s.last_1000_us);
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
