// Sharded data-parallel training: same seed, bit-identical weights on 1 and 2 threads.
#define BOOST_TEST_MODULE autograd_parallel
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include <tbb/global_control.h>

#include "trainer/autograd/ops.h"
#include "trainer/optim/init.h"
#include "trainer/optim/optimizer.h"
#include "trainer/optim/schedule.h"
#include "trainer/parallel/sharded.h"

namespace ag = runnel::ag;
namespace op = runnel::optim;
namespace par = runnel::parallel;
using F = ag::Var<float>;

namespace {
constexpr std::size_t kVocab = 11, kDim = 8, kHeads = 2, kBatch = 12, kTime = 7, kShards = 4;

ag::ParameterSet<float> make_model(std::uint64_t seed) {
  op::Rng rng(seed);
  ag::ParameterSet<float> p;
  p.add("embed", op::normal<float>({kVocab, kDim}, rng, 0.5));
  p.add("attn.wqkv", op::xavier_uniform<float>({3 * kDim, kDim}, rng));
  p.add("attn.rel_bias", op::uniform<float>({kHeads, 4}, rng, -0.1, 0.1));
  p.add("ln.gamma", xt::ones<float>({kDim}));
  p.add("ln.beta", xt::zeros<float>({kDim}));
  p.add("gru.w_ih", op::xavier_uniform<float>({3 * kDim, kDim}, rng));
  p.add("gru.w_hh", op::xavier_uniform<float>({3 * kDim, kDim}, rng));
  p.add("gru.b_ih", xt::zeros<float>({3 * kDim}));
  p.add("gru.b_hh", xt::zeros<float>({3 * kDim}));
  p.add("head.w", op::kaiming_uniform<float>({kVocab, kDim}, rng));
  p.add("head.b", xt::zeros<float>({kVocab}));
  return p;
}

// Token stream with a learnable pattern: next = (3·cur + row) mod V.
xt::xarray<std::int64_t> make_batch() {
  xt::xarray<std::int64_t> ids(ag::Shape{kBatch, kTime + 1});
  for (std::size_t b = 0; b < kBatch; ++b) {
    ids(b, 0) = static_cast<std::int64_t>(1 + b % (kVocab - 1));
    for (std::size_t t = 1; t <= kTime; ++t) ids(b, t) = (3 * ids(b, t - 1) + std::int64_t(b)) % std::int64_t(kVocab);
  }
  return ids;
}

// Mean next-token cross-entropy of rows [r.begin, r.end), scaled by rows / batch so the
// shard losses add up to the batch mean.
F shard_loss(const ag::ParameterSet<float>& p, const xt::xarray<std::int64_t>& ids, par::ShardRange r,
             std::uint64_t dropout_seed) {
  const std::size_t n = r.end - r.begin;
  xt::xarray<std::int64_t> in(ag::Shape{n, kTime});
  std::vector<std::int64_t> target;
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t t = 0; t < kTime; ++t) {
      in(b, t) = ids(r.begin + b, t);
      target.push_back(ids(r.begin + b, t + 1));
    }
  F x = ag::embedding(p["embed"], in);                                            // [n, T, D]
  F qkv = ag::linear(x, p["attn.wqkv"], F());                                     // [n, T, 3D]
  const auto heads = [&](std::size_t part) {                                      // [n, H, T, D/H]
    return ag::transpose(ag::reshape(ag::slice(qkv, 2, part * kDim, (part + 1) * kDim), {n, kTime, kHeads, kDim / kHeads}),
                         {0, 2, 1, 3});
  };
  F att = ag::causal_attention(heads(0), heads(1), heads(2), 4, 0.5f, p["attn.rel_bias"]);
  att = ag::reshape(ag::transpose(att, {0, 2, 1, 3}), {n, kTime, kDim});
  x = ag::layer_norm(ag::add(x, ag::dropout(att, 0.1f, dropout_seed, true)), p["ln.gamma"], p["ln.beta"], 1e-5f);
  x = ag::gru(x, p["gru.w_ih"], p["gru.w_hh"], p["gru.b_ih"], p["gru.b_hh"]);
  F logits = ag::reshape(ag::linear(x, p["head.w"], p["head.b"]), {n * kTime, kVocab});
  return ag::scale(ag::cross_entropy(logits, target, -1), float(n) / float(kBatch));
}

struct RunResult {
  ag::ParameterSet<float> params;
  std::vector<double> losses;
  std::set<std::thread::id> threads;  // which threads ran shards
};

RunResult train(int threads, int steps) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  RunResult run{make_model(42), {}};
  auto opt = op::adamw(run.params, 0.01f);
  const op::WarmupCosine schedule{0.02, 2, steps, 0.002};
  const auto ids = make_batch();
  std::mutex mu;
  for (int step = 0; step < steps; ++step) {
    run.params.zero_grad();
    const double loss = par::sharded_backward<float>(run.params, kShards, [&](std::size_t s, const auto& p) {
      {
        std::lock_guard<std::mutex> lock(mu);
        run.threads.insert(std::this_thread::get_id());
      }
      return shard_loss(p, ids, par::shard_range(kBatch, kShards, s), 1000 * step + s);
    });
    op::clip_grad_norm(run.params, 1.0);
    opt.step(float(schedule.lr(step)));
    run.losses.push_back(loss);
  }
  return run;
}
}  // namespace

BOOST_AUTO_TEST_CASE(shard_ranges_cover_the_batch) {
  std::size_t next = 0;
  for (std::size_t s = 0; s < 5; ++s) {
    const auto r = par::shard_range(13, 5, s);
    BOOST_TEST(r.begin == next);
    BOOST_TEST(r.end - r.begin >= 2);
    BOOST_TEST(r.end - r.begin <= 3);
    next = r.end;
  }
  BOOST_TEST(next == 13u);
}

BOOST_AUTO_TEST_CASE(same_seed_gives_bit_identical_weights_on_1_and_2_threads) {
  constexpr int kSteps = 12;
  const RunResult one = train(1, kSteps), two = train(2, kSteps);
  BOOST_TEST(one.losses.back() < one.losses.front());  // it does train
  BOOST_TEST(one.threads.size() == 1u);
  BOOST_TEST_MESSAGE("shards ran on " << two.threads.size() << " threads with a limit of 2; loss "
                                      << one.losses.front() << " -> " << one.losses.back());
  BOOST_TEST(one.losses == two.losses);
  for (std::size_t i = 0; i < one.params.size(); ++i) {
    const auto& a = one.params.all()[i].value();
    const auto& b = two.params.all()[i].value();
    BOOST_REQUIRE(a.size() == b.size());
    BOOST_TEST(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0, one.params.all()[i].name());
  }
}

// The shard reduction computes the same gradient as one graph over the whole batch
// (up to float rounding, since the summation order differs).
BOOST_AUTO_TEST_CASE(sharded_gradient_equals_whole_batch_gradient) {
  ag::ParameterSet<float> sharded = make_model(7), whole = make_model(7);
  const auto ids = make_batch();
  par::sharded_backward<float>(sharded, kShards, [&](std::size_t s, const auto& p) {
    return shard_loss(p, ids, par::shard_range(kBatch, kShards, s), 5);
  });
  // Same dropout masks require the same shard cuts, so compare without dropout noise:
  // the whole-batch graph is the sum of the shard graphs built on shared parameters.
  F total;
  for (std::size_t s = 0; s < kShards; ++s) {
    const F l = shard_loss(whole, ids, par::shard_range(kBatch, kShards, s), 5);
    total = total.defined() ? ag::add(total, l) : l;
  }
  ag::backward(total);
  for (std::size_t i = 0; i < whole.size(); ++i)
    BOOST_TEST(xt::amax(xt::abs(sharded.all()[i].grad() - whole.all()[i].grad()))() < 1e-5f, whole.all()[i].name());
}

// A shard without counted targets (every next value unknown) has a constant loss: it adds
// no gradient instead of failing the step with "root does not require grad" (issue 17).
BOOST_AUTO_TEST_CASE(a_shard_with_a_constant_loss_adds_no_gradient) {
  ag::ParameterSet<float> sharded = make_model(7), alone = make_model(7);
  const auto ids = make_batch();
  const double loss = par::sharded_backward<float>(sharded, 2, [&](std::size_t s, const auto& p) {
    return s == 0 ? shard_loss(p, ids, par::shard_range(kBatch, 2, 0), 5) : ag::constant<float>(xt::xarray<float>(0.5f));
  });
  const F l = shard_loss(alone, ids, par::shard_range(kBatch, 2, 0), 5);
  ag::backward(l);
  BOOST_TEST(loss == double(l.value()()) + 0.5, boost::test_tools::tolerance(1e-6));
  for (std::size_t i = 0; i < alone.size(); ++i)
    BOOST_TEST(xt::amax(xt::abs(sharded.all()[i].grad() - alone.all()[i].grad()))() == 0.f, alone.all()[i].name());
}
