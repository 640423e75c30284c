#include "tools/cli/run_output.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "tools/cli/command.h"

namespace runnel::cli {

namespace {
std::string prepared(const std::string& shown_path) {
  if (io::AtomicFile::is_standard_output(shown_path)) return shown_path;
  const std::string path = resolve_user_path(shown_path);
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);   // a failure shows when the file is opened
  return path;
}
}  // namespace

OutputFile::OutputFile(const std::string& shown_path) : io::AtomicFile(prepared(shown_path), shown_path) {}

void print_accuracy(const std::vector<FieldAccuracy>& fields, int topk, std::FILE* out) {
  if (fields.empty()) {
    std::fprintf(out, "no categorical outputs: no next-event accuracy\n");
    return;
  }
  std::fprintf(out, "next-event accuracy, top-1 and top-%d (scored when the entity's next event is known):\n", topk);
  for (const FieldAccuracy& f : fields)
    std::fprintf(out, "  %-20s %6.2f%%  (%zu / %zu)  top-%d %6.2f%%  (%zu / %zu)\n", f.field.c_str(), 100.0 * f.accuracy(),
                f.correct, f.total, topk, 100.0 * f.accuracy_topk(), f.correct_topk, f.total);
}

void print_sequence_accuracy(const SequenceAccuracy& s, std::FILE* out) {
  std::fprintf(out, "sequence accuracy, beam %u, horizon %u (best beam vs the next %u true events, %zu sequences):\n",
              s.width, s.horizon, s.horizon, s.total);
  std::fprintf(out, "  all fields of all %u events  %6.2f%%  (%zu / %zu)\n", s.horizon, SequenceAccuracy::pct(s.correct, s.total),
              s.correct, s.total);
  for (size_t i = 0; i < s.fields.size(); ++i)
    std::fprintf(out, "  %-20s all %u steps %6.2f%%  per step %6.2f%%\n", s.fields[i].c_str(), s.horizon,
                SequenceAccuracy::pct(s.field_correct[i], s.total),
                SequenceAccuracy::pct(s.field_steps[i], s.total * s.horizon));
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

void print_latency(const std::vector<double>& micros, std::FILE* out) {
  std::fprintf(out, "latency per event (engine step): median %.2f us, p99 %.2f us over %zu events\n",
              percentile(micros, 0.5), percentile(micros, 0.99), micros.size());
}

}  // namespace runnel::cli
