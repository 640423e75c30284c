// Progress of a long loop on stderr: a redrawn bar (step, loss, rate, ETA) when stderr
// is a terminal, plain periodic lines otherwise (logs, CI).
#ifndef RUNNEL_TRAINER_TRAIN_PROGRESS_H_
#define RUNNEL_TRAINER_TRAIN_PROGRESS_H_

#include <chrono>
#include <cstdio>
#include <string>

namespace runnel::train {

class Progress {
 public:
  // Steps first+1..total; `every` = plain-line period (0: about 20 lines).
  Progress(long first, long total, long every, std::FILE* out = stderr);
  Progress(long first, long total, long every, std::FILE* out, bool terminal);
  void update(long step, double loss, double samples_per_s);
  void message(const std::string& line);  // a line that does not break the bar
  void finish();

 private:
  long first_, total_, every_;
  std::FILE* out_;
  bool terminal_;
  bool bar_drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

std::string format_duration(double seconds);

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_PROGRESS_H_
