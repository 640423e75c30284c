// Checkpoints: everything --resume needs to continue bit-identically — the step, every
// parameter by name (raw float32 bits), the optimizer's kind, step count and state, and a
// JSON blob of run bookkeeping (config, elapsed time). Files are
// <dir>/step_<NNNNNNNN>.ckpt, written atomically (temp + fsync + rename), with a CRC-32C
// of the whole payload so a damaged file is rejected rather than half-loaded.
#ifndef RUNNEL_TRAINER_TRAIN_CHECKPOINT_H_
#define RUNNEL_TRAINER_TRAIN_CHECKPOINT_H_

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "trainer/autograd/parameters.h"
#include "trainer/train/optimizer.h"

namespace runnel::train {

struct CheckpointInfo {
  long step = 0;             // optimisation steps done
  nlohmann::json extra;      // bookkeeping (config, elapsed seconds, ...)
};

std::string checkpoint_path(const std::string& dir, long step);

// Writes dir/step_<step>.ckpt atomically, then removes all but the newest `keep` files.
std::string save_checkpoint(const std::string& dir, const CheckpointInfo& info,
                            const ag::ParameterSet<float>& params, const TrainOptimizer& optimizer,
                            int keep = 3);

// Reads a checkpoint into `params` (names and shapes must match) and `optimizer`
// (kind must match). Throws std::runtime_error naming the file and the mismatch.
CheckpointInfo load_checkpoint(const std::string& path, ag::ParameterSet<float>& params,
                               TrainOptimizer& optimizer);

// The newest step_*.ckpt in dir, if any.
std::optional<std::string> latest_checkpoint(const std::string& dir);

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_CHECKPOINT_H_
