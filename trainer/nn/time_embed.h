// Sequence form of kTimeEmbed: a learned row per log2 bucket of the time since the previous event.
// Streaming form: engine/layers/time_embed.h; parity: tests/parity_layers_test.cc.
#ifndef RUNNEL_TRAINER_NN_TIME_EMBED_H_
#define RUNNEL_TRAINER_NN_TIME_EMBED_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer/nn/module.h"

namespace runnel::nn {

class TimeEmbed : public Module {
 public:
  TimeEmbed(std::string prefix, std::size_t n_buckets, std::size_t d)
      : Module(std::move(prefix)), n_buckets_(n_buckets), d_(d) {}
  // Same rule as the engine: 0 for dt < 1 (and NaN), else bit_width(floor(dt)), clipped.
  static int64_t bucket(double dt, std::size_t n_buckets);
  rnl::Op op() const override { return rnl::Op::kTimeEmbed; }
  std::size_t width() const override { return d_; }
  void init(Params& params, Rng& rng) const override { add_normal(params, name("table"), {n_buckets_, d_}, 0.5, rng); }
  // Position t = 0 uses bucket 0 whatever its dt.
  Var forward(const Context& ctx, const std::vector<Var>& in) const override;
  std::vector<int32_t> hp() const override { return {static_cast<int32_t>(n_buckets_), static_cast<int32_t>(d_)}; }
  std::vector<std::string> tensor_roles() const override { return {"table"}; }

 private:
  std::size_t n_buckets_, d_;
};

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_TIME_EMBED_H_
