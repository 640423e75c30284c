#include "trainer/train/progress.h"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

namespace runnel::train {

std::string format_duration(double s) {
  if (!(s >= 0) || s > 1e7) return "?";
  const long t = static_cast<long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
  return fmt::format("{:02}:{:02}", t / 60, t % 60);
}

Progress::Progress(long first, long total, long every, std::FILE* out)
    : Progress(first, total, every, out, ::isatty(::fileno(out)) != 0) {}

Progress::Progress(long first, long total, long every, std::FILE* out, bool terminal)
    : first_(first),
      total_(total),
      every_(every > 0 ? every : std::max(1L, (total - first) / 20)),
      out_(out),
      terminal_(terminal),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::update(long step, double loss, double samples_per_s) {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double per_step = step > first_ ? elapsed / double(step - first_) : 0.0;
  const double eta = per_step * double(total_ - step);
  if (terminal_) {
    if (step != total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const int width = 30;
    const int filled = total_ > 0 ? int(double(width) * double(step) / double(total_)) : width;
    std::string bar(std::size_t(filled), '#');
    bar.resize(width, '-');
    fmt::print(out_, "\r\033[K[{}] {}/{} loss {:.4f} {:.0f} samples/s ETA {}", bar, step, total_, loss,
               samples_per_s, format_duration(eta));
    bar_drawn_ = true;
    std::fflush(out_);
  } else if ((step - first_) % every_ == 0 || step == total_) {
    fmt::print(out_, "step {}/{} loss {:.4f} {:.0f} samples/s elapsed {} ETA {}\n", step, total_, loss,
               samples_per_s, format_duration(elapsed), format_duration(eta));
    std::fflush(out_);
  }
}

void Progress::message(const std::string& line) {
  if (terminal_ && bar_drawn_) fmt::print(out_, "\r\033[K");
  fmt::print(out_, "{}\n", line);
  bar_drawn_ = false;
  std::fflush(out_);
}

void Progress::finish() {
  if (terminal_ && bar_drawn_) fmt::print(out_, "\n");
  bar_drawn_ = false;
  std::fflush(out_);
}

}  // namespace runnel::train
