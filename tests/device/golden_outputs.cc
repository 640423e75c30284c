// Golden parity across targets: streams the same deterministic events through each model
// file and either writes every output value (on the host: the golden file) or compares
// them with a golden file written on the host (on a device target, under QEMU).
//
//   golden_outputs --write golden.txt  [--kernels NAME] model.rnl...
//   golden_outputs --check golden.txt  [--kernels NAME] model.rnl...
//
// It prints which kernels ran (kernels::backend_name(): the SIMD path, or "reference" for
// the plain loops); with --kernels it fails unless that path ran, so a build that silently
// fell back to scalar is caught. --check fails when any value differs by more than
// kTolerance (relative to max(1, |golden|)) and prints the largest difference per model.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "engine/kernels/kernels.h"
#include "engine/model.h"
#include "engine/session.h"
#include "tools/util/aligned_bytes.h"

namespace runnel {
namespace {

// FMA contraction and NEON's denormal flushing differ between targets (2.6e-6 measured).
constexpr double kTolerance = 1e-5;
constexpr int kEvents = 200;

// Events valid for `model` from a fixed linear congruential sequence (same on every target).
class Events {
 public:
  explicit Events(const Model& model) : model_(model) {
    ids_.resize(model.file().n_vocabs());
    numeric_.resize(model.file().n_numeric());
  }
  const Event& next() {
    for (uint32_t f = 0; f < ids_.size(); ++f) ids_[f] = static_cast<int32_t>(draw() % model_.file().vocab(f).size());
    for (float& x : numeric_) x = static_cast<float>(draw() % 1000) / 250.f - 2.f;
    event_ = Event{ids_.data(), static_cast<int>(ids_.size()), numeric_.data(), static_cast<int>(numeric_.size()),
                   static_cast<double>(draw() % 5000)};
    return event_;
  }

 private:
  uint32_t draw() { return state_ = state_ * 1664525u + 1013904223u, state_ >> 8; }
  const Model& model_;
  uint32_t state_ = 12345;
  std::vector<int32_t> ids_;
  std::vector<float> numeric_;
  Event event_;
};

bool read_file(const char* path, std::vector<uint8_t>* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// Every output value of every event, in order; false (with a message) on any engine error.
bool stream(const char* path, std::vector<float>* values) {
  std::vector<uint8_t> raw;
  if (!read_file(path, &raw)) return std::fprintf(stderr, "%s: cannot read\n", path), false;
  AlignedBytes file(raw);
  auto model = std::make_unique<Model>();
  Status s = model->load(file.data(), file.size());
  if (s != Status::kOk) return std::fprintf(stderr, "%s: load: %s\n", path, status_name(s)), false;
  AlignedBytes memory(std::vector<uint8_t>(model->session_bytes()));
  AlignedBytes scratch(std::vector<uint8_t>(model->scratch_bytes()));
  Session session;
  s = session.init(*model, memory.data(), memory.size(), scratch.data(), scratch.size());
  if (s != Status::kOk) return std::fprintf(stderr, "%s: init: %s\n", path, status_name(s)), false;
  std::vector<float> statics(model->file().n_static(), 0.5f);
  if (!statics.empty()) session.set_static(statics.data(), static_cast<uint32_t>(statics.size()));
  Events events(*model);
  const int n = model->max_events() >= 0 && model->max_events() < kEvents ? static_cast<int>(model->max_events()) : kEvents;
  for (int t = 0; t < n; ++t) {
    s = session.step(events.next());
    if (s != Status::kOk) return std::fprintf(stderr, "%s: event %d: %s\n", path, t, status_name(s)), false;
    for (uint32_t k = 0; k < model->n_outputs(); ++k)
      values->insert(values->end(), session.output(k), session.output(k) + model->output(k).width);
  }
  return true;
}

int run(int argc, char** argv) {
  if (argc < 4 || (std::strcmp(argv[1], "--write") != 0 && std::strcmp(argv[1], "--check") != 0)) {
    std::fprintf(stderr, "usage: golden_outputs --write|--check FILE [--kernels NAME] model.rnl...\n");
    return 2;
  }
  const bool write = std::strcmp(argv[1], "--write") == 0;
  const char* golden_path = argv[2];
  int first_model = 3;
  std::printf("kernels: %s\n", kernels::backend_name());
  if (argc > 4 && std::strcmp(argv[3], "--kernels") == 0) {
    if (std::strcmp(argv[4], kernels::backend_name()) != 0) {
      std::fprintf(stderr, "expected the %s kernels, this build runs %s\n", argv[4], kernels::backend_name());
      return 1;
    }
    first_model = 5;
  }
  std::FILE* golden = std::fopen(golden_path, write ? "w" : "r");
  if (golden == nullptr) return std::fprintf(stderr, "%s: cannot open\n", golden_path), 1;
  int failures = 0;
  for (int m = first_model; m < argc; ++m) {
    std::vector<float> values;
    if (!stream(argv[m], &values)) return 1;
    if (write) {
      std::fprintf(golden, "%zu\n", values.size());
      for (float v : values) std::fprintf(golden, "%.9g\n", v);
      continue;
    }
    size_t n = 0;
    if (std::fscanf(golden, "%zu", &n) != 1 || n != values.size()) {
      std::fprintf(stderr, "%s: %zu values, golden file has %zu\n", argv[m], values.size(), n);
      return 1;
    }
    double worst = 0.0;
    size_t worst_at = 0;
    bool nan = false;
    for (size_t i = 0; i < n; ++i) {
      float g = 0.f;
      if (std::fscanf(golden, "%g", &g) != 1) return std::fprintf(stderr, "%s: golden file ends early\n", golden_path), 1;
      const double d = std::fabs(static_cast<double>(values[i]) - g) / std::fmax(1.0, std::fabs(g));
      if (std::isnan(d)) nan = true;
      else if (d > worst) worst = d, worst_at = i;
    }
    const bool ok = !nan && worst <= kTolerance;
    std::printf("%s: %zu values, largest difference %.3g (value %zu)%s%s\n", argv[m], n, worst, worst_at,
                worst <= kTolerance ? "" : " > tolerance", nan ? ", NaN where the golden value is not" : "");
    failures += !ok;
  }
  std::fclose(golden);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace runnel

int main(int argc, char** argv) { return runnel::run(argc, argv); }
