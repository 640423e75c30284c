// Data-parallel backward over batch shards with oneTBB. The batch is cut into a fixed
// number of shards (chosen by the caller, never by the thread count); each shard builds
// its own graph on private copies of the parameters (its own tape and gradient buffers);
// then shard gradients are added into the real parameters in shard order 0, 1, 2, ...
// Every floating-point sum therefore happens in the same order whatever the number of
// threads, and the same seed gives bit-identical weights on 1 or N threads.
#ifndef RUNNEL_TRAINER_PARALLEL_SHARDED_H_
#define RUNNEL_TRAINER_PARALLEL_SHARDED_H_

#include <functional>

#include "trainer/autograd/parameters.h"

namespace runnel::parallel {

// Rows [begin, end) of a batch of `batch` rows that shard `shard` of `shards` owns:
// contiguous, sizes differing by at most one.
struct ShardRange {
  std::size_t begin, end;
};
ShardRange shard_range(std::size_t batch, std::size_t shards, std::size_t shard);

// Builds shard `shard`'s loss from its private parameters. Scale it so the shard losses
// add up to the batch loss (e.g. sum over the shard's rows divided by the batch size).
template <class T>
using ShardLoss = std::function<ag::Var<T>(std::size_t shard, const ag::ParameterSet<T>& params)>;

// Runs every shard's forward and backward in parallel, adds the shard gradients into
// `params` in shard order, and returns the summed loss (also in shard order).
template <class T>
double sharded_backward(ag::ParameterSet<T>& params, std::size_t shards, const ShardLoss<T>& loss);

}  // namespace runnel::parallel

#endif  // RUNNEL_TRAINER_PARALLEL_SHARDED_H_
