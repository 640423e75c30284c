#include "trainer/parallel/sharded.h"

#include <stdexcept>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

namespace runnel::parallel {

ShardRange shard_range(std::size_t batch, std::size_t shards, std::size_t shard) {
  if (shards == 0 || shard >= shards) throw std::invalid_argument("shard_range: bad shard index");
  const std::size_t base = batch / shards, extra = batch % shards;
  const std::size_t begin = shard * base + std::min(shard, extra);
  return {begin, begin + base + (shard < extra ? 1 : 0)};
}

namespace {
template <class T>
struct ShardResult {
  double loss = 0;
  std::vector<ag::Array<T>> grads;  // one per parameter; empty array: no gradient
  std::vector<bool> has_grad;
};
}  // namespace

template <class T>
double sharded_backward(ag::ParameterSet<T>& params, std::size_t shards, const ShardLoss<T>& loss) {
  std::vector<ShardResult<T>> results(shards);
  // One shard per task (simple_partitioner, grain 1): which thread runs a shard may vary,
  // what the shard computes does not.
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, shards, 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t s = range.begin(); s != range.end(); ++s) {
          const ag::ParameterSet<T> local = params.shadow();
          const ag::Var<T> l = loss(s, local);
          // A shard whose rows count no target (every next value unknown, e.g. folded by
          // max_vocab) has a constant loss: it adds no gradient.
          if (l.requires_grad()) ag::backward(l);
          ShardResult<T>& r = results[s];
          r.loss = double(l.value()());
          for (const auto& p : local.all()) {
            r.has_grad.push_back(p.has_grad());
            r.grads.push_back(p.has_grad() ? p.grad() : ag::Array<T>());
          }
        }
      },
      tbb::simple_partitioner());
  double total = 0;
  for (const ShardResult<T>& r : results) {  // fixed order: shard 0 first
    total += r.loss;
    for (std::size_t i = 0; i < params.size(); ++i)
      if (r.has_grad[i]) params.all()[i].accumulate(r.grads[i]);
  }
  return total;
}

template double sharded_backward(ag::ParameterSet<float>&, std::size_t, const ShardLoss<float>&);
template double sharded_backward(ag::ParameterSet<double>&, std::size_t, const ShardLoss<double>&);

}  // namespace runnel::parallel
