// Beam search: width 1 is greedy decoding, wider beams never end with a lower-scoring best
// sequence than greedy on the sample models, every reported score is the replayed sum of
// log-probabilities, the start session is untouched, and run() never allocates.
#define BOOST_TEST_MODULE beam_search
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "engine/beam_search.h"
#include "engine/model.h"
#include "engine/session.h"
#include "tests/alloc_counter.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"

namespace runnel {
namespace {

struct Block {
  explicit Block(size_t bytes) : storage(std::vector<uint8_t>(bytes + 64, 0)) {}
  uint8_t* data() { return storage.data(); }
  AlignedBytes storage;
};

struct Fixture {
  explicit Fixture(const rnl::RnlWriter& w)
      : file(w.bytes()), model(std::make_unique<Model>()) {
    BOOST_REQUIRE(model->load(file.data(), file.size()) == Status::kOk);
    scratch = std::make_unique<Block>(model->scratch_bytes());
  }
  std::unique_ptr<Block> session_block() const { return std::make_unique<Block>(model->session_bytes()); }
  Session new_session(Block& b) {
    Session s;
    BOOST_REQUIRE(s.init(*model, b.data(), model->session_bytes(), scratch->data(), model->scratch_bytes()) ==
                  Status::kOk);
    std::vector<float> statics(model->file().n_static(), 0.25f);
    BOOST_REQUIRE(s.set_static(statics.data(), static_cast<uint32_t>(statics.size())) == Status::kOk);
    return s;
  }
  AlignedBytes file;
  std::unique_ptr<Model> model;
  std::unique_ptr<Block> scratch;
};

// Random valid events (ids >= 1) and a template event for the search.
struct Events {
  Events(const Model& m, uint32_t seed) : model(m), rng(seed), ids(m.file().n_vocabs()), numeric(m.file().n_numeric()) {}
  const Event& next() {
    for (size_t f = 0; f < ids.size(); ++f)
      ids[f] = 1 + static_cast<int32_t>(rng() % (model.file().vocab(static_cast<uint32_t>(f)).size() - 1));
    for (float& x : numeric) x = static_cast<float>(rng() % 1000) / 250.f - 2.f;
    e.ids = ids.data(); e.n_ids = static_cast<int>(ids.size());
    e.numeric = numeric.data(); e.n_numeric = static_cast<int>(numeric.size());
    e.dt = 30.0;
    return e;
  }
  const Model& model;
  std::mt19937 rng;
  std::vector<int32_t> ids;
  std::vector<float> numeric;
  Event e;
};

int head_of(const Model& m, uint32_t field) {
  for (uint32_t k = 0; k < m.n_outputs(); ++k)
    if (m.output(k).kind == rnl::OutputKind::kCategorical && m.output(k).field == static_cast<int>(field))
      return static_cast<int>(k);
  return -1;
}

double log_prob(const Session& s, uint32_t k, int32_t id) {
  const float* x = s.output(k);
  const uint32_t v = s.model()->output(k).width;
  double m = x[0];
  for (uint32_t i = 1; i < v; ++i) m = std::max<double>(m, x[i]);
  double z = 0;
  for (uint32_t i = 0; i < v; ++i) z += std::exp(x[i] - m);
  return x[id] - m - std::log(z);
}

// Greedy decoding written independently: per field argmax over ids >= 1, lowest on ties.
double greedy(Fixture& fx, const Session& start, const Event& tmpl, int horizon, std::vector<int32_t>* seq) {
  auto block = fx.session_block();
  Session s = fx.new_session(*block);
  BOOST_REQUIRE(s.copy_from(start) == Status::kOk);
  const uint32_t nf = fx.model->file().n_vocabs();
  std::vector<int32_t> ids(nf);
  double score = 0;
  for (int step = 0; step < horizon; ++step) {
    for (uint32_t f = 0; f < nf; ++f) {
      const int k = head_of(*fx.model, f);
      if (k < 0) { ids[f] = tmpl.ids[f]; continue; }
      const float* x = s.output(static_cast<uint32_t>(k));
      int32_t best = 1;
      for (uint32_t i = 2; i < fx.model->output(static_cast<uint32_t>(k)).width; ++i)
        if (x[i] > x[best]) best = static_cast<int32_t>(i);
      ids[f] = best;
      score += log_prob(s, static_cast<uint32_t>(k), best);
    }
    seq->insert(seq->end(), ids.begin(), ids.end());
    Event e = tmpl;
    e.ids = ids.data();
    BOOST_REQUIRE(s.step(e) == Status::kOk);
  }
  return score;
}

// Replays a result's ids and sums their log-probabilities.
double replay(Fixture& fx, const Session& start, const Event& tmpl, const BeamSearch& beam, uint32_t r) {
  auto block = fx.session_block();
  Session s = fx.new_session(*block);
  BOOST_REQUIRE(s.copy_from(start) == Status::kOk);
  double score = 0;
  for (uint32_t step = 0; step < beam.horizon(); ++step) {
    const int32_t* ids = beam.ids(r, step);
    for (uint32_t f = 0; f < beam.n_fields(); ++f) {
      const int k = head_of(*fx.model, f);
      if (k >= 0) score += log_prob(s, static_cast<uint32_t>(k), ids[f]);
      else BOOST_CHECK_EQUAL(ids[f], tmpl.ids[f]);
    }
    Event e = tmpl;
    e.ids = ids;
    BOOST_REQUIRE(s.step(e) == Status::kOk);
  }
  return score;
}

struct Search {
  Search(Fixture& fx, uint32_t width, uint32_t horizon)
      : ws(BeamSearch::workspace_bytes(*fx.model, width, horizon)), beam(std::make_unique<BeamSearch>()) {
    BOOST_REQUIRE(BeamSearch::workspace_bytes(*fx.model, width, horizon) > 0u);
    BOOST_REQUIRE(beam->init(*fx.model, width, horizon, ws.data(), BeamSearch::workspace_bytes(*fx.model, width, horizon),
                             fx.scratch->data(), fx.model->scratch_bytes()) == Status::kOk);
  }
  Block ws;
  std::unique_ptr<BeamSearch> beam;
};

BOOST_AUTO_TEST_CASE(width_one_is_greedy_and_wider_is_never_worse) {
  int wider_better = 0, cases = 0;
  for (const auto& sample : testdata::sample_models()) {
    Fixture fx(sample.writer);
    bool has_head = false;
    for (uint32_t f = 0; f < fx.model->file().n_vocabs(); ++f) has_head |= head_of(*fx.model, f) >= 0;
    if (!has_head) continue;
    BOOST_TEST_CONTEXT(sample.name) {
      const int horizon = 5;
      for (uint32_t seed = 1; seed <= 20; ++seed) {
        auto block = fx.session_block();
        Session start = fx.new_session(*block);
        Events ev(*fx.model, seed);
        const int prefix = 1 + static_cast<int>(seed % 12);
        for (int t = 0; t < prefix; ++t) BOOST_REQUIRE(start.step(ev.next()) == Status::kOk);
        const Event& tmpl = ev.next();
        std::vector<int32_t> gseq;
        const double g = greedy(fx, start, tmpl, horizon, &gseq);

        Search one(fx, 1, horizon);
        BOOST_REQUIRE(one.beam->run(start, tmpl) == Status::kOk);
        BOOST_REQUIRE_EQUAL(one.beam->n_results(), 1u);
        std::vector<int32_t> bseq;
        for (int step = 0; step < horizon; ++step)
          bseq.insert(bseq.end(), one.beam->ids(0, step), one.beam->ids(0, step) + one.beam->n_fields());
        BOOST_TEST(bseq == gseq, boost::test_tools::per_element());
        BOOST_TEST(one.beam->score(0) == g, boost::test_tools::tolerance(1e-4));

        for (uint32_t width : {2u, 4u, 8u}) {
          Search wide(fx, width, horizon);
          BOOST_REQUIRE(wide.beam->run(start, tmpl) == Status::kOk);
          BOOST_REQUIRE(wide.beam->n_results() >= 1u);
          BOOST_TEST(wide.beam->score(0) >= g - 1e-4);
          ++cases;
          if (wide.beam->score(0) > g + 1e-4) ++wider_better;
          for (uint32_t r = 0; r < wide.beam->n_results(); ++r) {
            if (r > 0) BOOST_TEST(wide.beam->score(r) <= wide.beam->score(r - 1));
            BOOST_TEST(wide.beam->score(r) == replay(fx, start, tmpl, *wide.beam, r),
                       boost::test_tools::tolerance(1e-3));
          }
        }
      }
    }
  }
  BOOST_TEST(cases > 0);
  BOOST_TEST_MESSAGE("wider beam strictly better than greedy in " << wider_better << " of " << cases << " cases");
}

BOOST_AUTO_TEST_CASE(start_session_is_untouched_and_run_never_allocates) {
  for (const auto& sample : testdata::sample_models()) {
    Fixture fx(sample.writer);
    BOOST_TEST_CONTEXT(sample.name) {
      auto block = fx.session_block();
      Session start = fx.new_session(*block);
      Events ev(*fx.model, 5);
      for (int t = 0; t < 4; ++t) BOOST_REQUIRE(start.step(ev.next()) == Status::kOk);
      std::vector<float> before;
      for (uint32_t k = 0; k < fx.model->n_outputs(); ++k)
        before.insert(before.end(), start.output(k), start.output(k) + fx.model->output(k).width);
      Search s(fx, 6, 8);
      const Event& tmpl = ev.next();
      const long allocs = testing::allocation_count();
      for (int i = 0; i < 20; ++i) BOOST_REQUIRE(s.beam->run(start, tmpl) == Status::kOk);
      BOOST_TEST(testing::allocation_count() - allocs == 0);
      std::vector<float> after;
      for (uint32_t k = 0; k < fx.model->n_outputs(); ++k)
        after.insert(after.end(), start.output(k), start.output(k) + fx.model->output(k).width);
      BOOST_TEST(after == before, boost::test_tools::per_element());
      BOOST_TEST(start.events_seen() == 4);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_statuses) {
  Fixture fx(testdata::two_stream_model());
  BOOST_TEST(BeamSearch::workspace_bytes(*fx.model, 0, 4) == 0u);
  BOOST_TEST(BeamSearch::workspace_bytes(*fx.model, BeamSearch::kMaxWidth + 1, 4) == 0u);
  const size_t need = BeamSearch::workspace_bytes(*fx.model, 3, 4);
  Block ws(need);
  auto beam = std::make_unique<BeamSearch>();
  BOOST_TEST(status_name(beam->init(*fx.model, 3, 4, ws.data(), need - 1, fx.scratch->data(), fx.model->scratch_bytes())) ==
             "kBufferTooSmall");
  BOOST_TEST(status_name(beam->init(*fx.model, 3, 4, ws.data() + 4, need, fx.scratch->data(), fx.model->scratch_bytes())) ==
             "kBufferMisaligned");
  BOOST_REQUIRE(beam->init(*fx.model, 3, 4, ws.data(), need, fx.scratch->data(), fx.model->scratch_bytes()) == Status::kOk);
  auto block = fx.session_block();
  Session fresh = fx.new_session(*block);
  Events ev(*fx.model, 1);
  BOOST_TEST(status_name(beam->run(fresh, ev.next())) == "kBadArgument");   // no event seen yet
  // Past the learned positions' max_len: the step's status comes back.
  for (int64_t t = 0; t < fx.model->max_events() - 2; ++t) BOOST_REQUIRE(fresh.step(ev.next()) == Status::kOk);
  BOOST_TEST(status_name(beam->run(fresh, ev.next())) == "kPositionOutOfRange");
}

}  // namespace
}  // namespace runnel
