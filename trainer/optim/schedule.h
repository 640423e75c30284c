// Learning rate: linear warm-up from 0 to `peak` over `warmup` steps, then cosine decay
// to `floor` at step `total` (and `floor` after it).
#ifndef RUNNEL_TRAINER_OPTIM_SCHEDULE_H_
#define RUNNEL_TRAINER_OPTIM_SCHEDULE_H_

#include <algorithm>
#include <cmath>

namespace runnel::optim {

struct WarmupCosine {
  double peak;
  long warmup;
  long total;
  double floor = 0.0;

  // step counts from 0; the first step trains with peak / warmup.
  double lr(long step) const {
    if (step < warmup) return peak * double(step + 1) / double(warmup);
    if (step >= total) return floor;
    const double progress = double(step - warmup) / double(std::max(1L, total - warmup));
    return floor + 0.5 * (peak - floor) * (1.0 + std::cos(3.141592653589793 * progress));
  }
};

}  // namespace runnel::optim

#endif  // RUNNEL_TRAINER_OPTIM_SCHEDULE_H_
