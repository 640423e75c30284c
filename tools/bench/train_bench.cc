// Training throughput of the multistream model at the size of the PyTorch peer
// (tools/peers/multistream.py): 4 field streams (vocabularies 16, 64, 128, 32),
// per stream embedding(64) + learned absolute position + 2-layer pre-LN Transformer
// (4 heads, ff 128, GELU, causal, final LayerNorm), cross-attention fusion with a
// learnable query + residual + LayerNorm, one head per field of the next event; batch 32,
// sequence 64, Adam lr 1e-3, 2 threads. Runs the real training loop (train::train_model
// with model::SequenceModel) on random events of those shapes — throughput does not
// depend on the values — and prints the median samples/s over steps 11..N.
//
//   bazel run -c opt //tools/bench:train_bench -- [--steps 60] [--threads 2] [--shards 2]
//       [--model-config models/multistream.json] [--peer PATH/multistream.py --peer-steps 60]
//
// With --peer it also runs the PyTorch script (/usr/bin/python3) in the same invocation,
// reads its final JSON line and prints both figures and the ratio.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include "trainer/data/dataset.h"
#include "trainer/model/sequence_model.h"
#include "trainer/train/loop.h"

namespace {
using nlohmann::json;
using namespace runnel;

constexpr std::size_t kSeq = 64;
const std::array<const char*, 4> kFields = {"event_type", "location", "cost_code", "job_code"};
const std::array<std::size_t, 4> kVocab = {16, 64, 128, 32};

// Random events with the peer's shapes: ids 1..V-1, every row full length.
class BenchDataset : public data::Dataset {
 public:
  BenchDataset() {
    for (std::size_t f = 0; f < 4; ++f) {
      data::FieldSchema fs;
      fs.name = kFields[f];
      fs.vocab.push_back("");
      for (std::size_t i = 1; i < kVocab[f]; ++i) fs.vocab.push_back(fs.name + std::to_string(i));
      schema_.fields.push_back(fs);
      data::TargetSchema t;
      t.name = std::string("next:") + kFields[f];
      t.categorical = true;
      t.classes = kVocab[f];
      schema_.targets.push_back(t);
    }
  }
  const data::DataSchema& schema() const override { return schema_; }
  std::size_t train_rows() const override { return 8192; }
  data::Batch train_batch(std::size_t step, std::size_t batch_size) const override { return make(step, batch_size); }
  std::vector<data::Batch> validation_batches(std::size_t batch_size) const override {
    return {make(1u << 30, batch_size)};
  }
  std::vector<data::RawStream> validation_streams() const override { return {}; }

 private:
  data::Batch make(std::size_t stream, std::size_t rows) const {
    std::mt19937_64 rng(stream * 7919 + 1);
    data::Batch b;
    b.rows = rows;
    b.steps = kSeq;
    b.lengths.assign(rows, kSeq);
    b.ids = xt::xarray<int64_t>::from_shape({rows, kSeq, std::size_t(4)});
    b.numeric = xt::xarray<float>::from_shape({rows, kSeq, std::size_t(0)});
    b.dt = xt::zeros<float>({rows, kSeq});
    b.statics = xt::xarray<float>::from_shape({rows, std::size_t(0)});
    std::vector<xt::xarray<int64_t>> next(4, xt::xarray<int64_t>::from_shape({rows, kSeq}));
    for (std::size_t r = 0; r < rows; ++r) {
      std::array<int64_t, 4> prev{};
      for (std::size_t t = 0; t <= kSeq; ++t)
        for (std::size_t f = 0; f < 4; ++f) {
          const int64_t id = 1 + int64_t(rng() % (kVocab[f] - 1));
          if (t < kSeq) b.ids(r, t, f) = id;
          if (t > 0) next[f](r, t - 1) = id;
          prev[f] = id;
        }
    }
    for (std::size_t f = 0; f < 4; ++f) {
      data::Target tg;
      tg.classes = next[f];
      b.targets[std::string("next:") + kFields[f]] = tg;
    }
    return b;
  }
  data::DataSchema schema_;
};

// The multistream model section at the peer's size.
json peer_sized_model() {
  json streams = json::array();
  for (const char* f : kFields)
    streams.push_back({{"fields", {f}},
                       {"position", "learned"},
                       {"max_len", kSeq},
                       {"encoder", {{"kind", "transformer"}, {"layers", 2}, {"heads", 4}, {"ff", 128},
                                    {"window", kSeq}, {"activation", "gelu_erf"}}}});
  json heads = json::array();
  for (const char* f : kFields) heads.push_back({{"name", f}, {"target", std::string("next:") + f}});
  return {{"d", 64}, {"streams", streams}, {"fusion", {{"kind", "cross_attention"}, {"heads", 4}}}, {"heads", heads}};
}

double cpu_seconds(int who) {
  rusage u{};
  ::getrusage(who, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"training throughput of the peer-sized multistream model (runnel vs PyTorch)"};
  long steps = 60, peer_steps = 60;
  int threads = 2;
  // One shard per thread: bigger shards multiply bigger matrices (one thread, under load:
  // 83 ms CPU per step with 2 shards, 92 with 4, 104 with 16).
  std::size_t shards = 2, batch = 32;
  std::string model_config, peer;
  app.add_option("--steps", steps, "runnel training steps (median over steps 11..N)")->check(CLI::Range(12L, 100000L));
  app.add_option("--threads", threads, "threads for both runnel and the peer");
  app.add_option("--shards", shards, "runnel batch shards (results depend on shards, not on threads)");
  app.add_option("--batch", batch, "batch size");
  app.add_option("--model-config", model_config, "take the model section from this config file instead of the built-in one");
  app.add_option("--peer", peer, "PyTorch peer script (tools/peers/multistream.py) to run for comparison");
  app.add_option("--peer-steps", peer_steps, "steps for the peer");
  CLI11_PARSE(app, argc, argv);
  try {
    const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
    auto user_path = [&](const std::string& p) {
      return (p.empty() || p[0] == '/' || !cwd) ? p : std::string(cwd) + "/" + p;
    };
    json model_section = peer_sized_model();
    if (!model_config.empty()) model_section = json::parse(read_text(user_path(model_config)), nullptr, true, true)["model"];

    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    const BenchDataset data;
    const model::SequenceModel model(model_section, data.schema());
    train::TrainConfig cfg = train::parse_train_config(json{{"optimizer", "adam"},
                                                            {"lr", 1e-3},
                                                            {"cosine_decay", false},
                                                            {"batch_size", batch},
                                                            {"steps", steps},
                                                            {"shards", shards},
                                                            {"eval_batch_size", 32},
                                                            {"seed", 1}});
    char tmpl[] = "/tmp/runnel_train_bench_XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    train::TrainOptions o;
    o.out_dir = tmpl;
    o.log = nullptr;
    o.threads = threads;
    const double cpu0 = cpu_seconds(RUSAGE_SELF);
    const auto wall0 = std::chrono::steady_clock::now();
    const train::TrainResult r = train::train_model(model, data, cfg, o);
    const double runnel_cpu = cpu_seconds(RUSAGE_SELF) - cpu0;
    const double runnel_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

    std::vector<double> secs;
    {
      std::ifstream in(std::string(tmpl) + "/metrics.csv");
      std::string line;
      std::getline(in, line);
      while (std::getline(in, line)) {
        if (line.rfind("train,", 0) != 0) continue;
        std::vector<std::string> cells;
        std::stringstream ls(line);
        for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
        if (std::stol(cells[1]) > 10) secs.push_back(std::stod(cells[4]));
      }
    }
    std::filesystem::remove_all(tmpl);
    const double med = median(secs);
    const double runnel_rate = double(batch) / med;
    std::printf("runnel: multistream peer size, %zu parameters, batch %zu, seq %zu, %d threads, %zu shards, Adam\n",
                r.summary["parameters"].get<std::size_t>(), batch, kSeq, threads, shards);
    std::printf("runnel: whole run (init, %ld steps, final eval, export) %.1f s wall, %.1f s CPU: %.1f samples per CPU-second\n",
                steps, runnel_wall, runnel_cpu, double(batch * steps) / runnel_cpu);
    std::printf("runnel: %ld steps, median %.1f ms/step (steps 11..%ld), %.1f samples/s, %.0f events/s, final loss %.4f\n",
                steps, med * 1e3, steps, runnel_rate, runnel_rate * kSeq, r.summary["final_train_loss"].get<double>());

    if (!peer.empty()) {
      const std::string cmd = "/usr/bin/python3 " + shell_quote(user_path(peer)) + " --steps " +
                              std::to_string(peer_steps) + " --report-at --threads " + std::to_string(threads) +
                              " --batch " + std::to_string(batch) + " 2>/dev/null";
      std::fflush(stdout);
      std::FILE* p = ::popen(cmd.c_str(), "r");
      if (!p) throw std::runtime_error("cannot run " + cmd);
      std::string out, last;
      char buf[4096];
      while (std::fgets(buf, sizeof buf, p)) out += buf;
      const double child0 = cpu_seconds(RUSAGE_CHILDREN);
      const int rc = ::pclose(p);
      const double torch_cpu = cpu_seconds(RUSAGE_CHILDREN) - child0;
      std::stringstream ss(out);
      for (std::string line; std::getline(ss, line);)
        if (!line.empty() && line[0] == '{') last = line;
      if (rc != 0 || last.empty()) throw std::runtime_error("the peer failed (exit " + std::to_string(rc) + "): " + cmd);
      const json pj = json::parse(last);
      const double torch_rate = pj["samples_per_s_median"].get<double>();
      std::printf("torch:  %s, %ld parameters, %ld steps, median %.1f ms/step, %.1f samples/s (torch %s, %s)\n",
                  peer.c_str(), pj["params"].get<long>(), pj["steps"].get<long>(),
                  pj["sec_per_step_median"].get<double>() * 1e3, torch_rate,
                  pj["env"]["torch"].get<std::string>().c_str(), pj["env"]["blas"]["kind"].get<std::string>().c_str());
      std::printf("torch:  whole process (data generation, %ld steps, evaluations) %.1f s CPU\n", peer_steps, torch_cpu);
      std::printf("ratio runnel/torch: %.2fx samples/s (median step, wall clock; target >= 1.5x)\n", runnel_rate / torch_rate);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "train_bench: %s\n", e.what());
    return 1;
  }
}
