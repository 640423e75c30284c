#include "tools/cli/run_output.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "tools/cli/command.h"

namespace runnel::cli {

AtomicFile::AtomicFile(const std::string& shown_path)
    : shown_(shown_path), path_(resolve_user_path(shown_path)),
      tmp_(path_ + ".tmp." + std::to_string(static_cast<long>(::getpid()))) {
  const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
  }
  out_.open(tmp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error(shown_ + ": cannot write: " + std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (!done_) {
    out_.close();
    std::remove(tmp_.c_str());
  }
}

void AtomicFile::commit() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok) throw std::runtime_error(shown_ + ": write failed");
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(shown_ + ": cannot rename into place: " + std::strerror(errno));
  done_ = true;
}

void print_accuracy(const std::vector<FieldAccuracy>& fields, int topk) {
  if (fields.empty()) {
    std::printf("no categorical outputs: no next-event accuracy\n");
    return;
  }
  std::printf("next-event accuracy, top-1 and top-%d (scored when the entity's next event is known):\n", topk);
  for (const FieldAccuracy& f : fields)
    std::printf("  %-20s %6.2f%%  (%zu / %zu)  top-%d %6.2f%%  (%zu / %zu)\n", f.field.c_str(), 100.0 * f.accuracy(),
                f.correct, f.total, topk, 100.0 * f.accuracy_topk(), f.correct_topk, f.total);
}

void print_sequence_accuracy(const SequenceAccuracy& s) {
  std::printf("sequence accuracy, beam %u, horizon %u (best beam vs the next %u true events, %zu sequences):\n",
              s.width, s.horizon, s.horizon, s.total);
  std::printf("  all fields of all %u events  %6.2f%%  (%zu / %zu)\n", s.horizon, SequenceAccuracy::pct(s.correct, s.total),
              s.correct, s.total);
  for (size_t i = 0; i < s.fields.size(); ++i)
    std::printf("  %-20s all %u steps %6.2f%%  per step %6.2f%%\n", s.fields[i].c_str(), s.horizon,
                SequenceAccuracy::pct(s.field_correct[i], s.total),
                SequenceAccuracy::pct(s.field_steps[i], s.total * s.horizon));
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

void print_latency(const std::vector<double>& micros) {
  std::printf("latency per event (engine step): median %.2f us, p99 %.2f us over %zu events\n",
              percentile(micros, 0.5), percentile(micros, 0.99), micros.size());
}

}  // namespace runnel::cli
