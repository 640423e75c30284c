// EventStreamer (what `runnel run` and `runnel demo` score with): top-1 and top-k
// next-event accuracy and beam-search sequence accuracy against an independent
// reference (plain sessions, argmax / sorting, greedy decoding by hand), with a
// held-out split (only events from index `first_scored` of each entity are scored).
#define BOOST_TEST_MODULE run_stream
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/model.h"
#include "engine/session.h"
#include "tools/cli/session_pool.h"
#include "tools/testdata/hostile_models.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"

namespace runnel {
namespace {

struct Loaded {
  Loaded() : file(testdata::two_stream_model().bytes()), model(std::make_unique<Model>()) {
    BOOST_REQUIRE(model->load(file.data(), file.size()) == Status::kOk);
  }
  AlignedBytes file;
  std::unique_ptr<Model> model;
};

struct OwnSession {
  explicit OwnSession(const Model& m)
      : mem(std::vector<uint8_t>(m.session_bytes() + 64, 0)), scratch(std::vector<uint8_t>(m.scratch_bytes() + 64, 0)) {
    BOOST_REQUIRE(s.init(m, mem.data(), m.session_bytes(), scratch.data(), m.scratch_bytes()) == Status::kOk);
    std::vector<float> statics(m.file().n_static(), 0.f);
    BOOST_REQUIRE(s.set_static(statics.data(), static_cast<uint32_t>(statics.size())) == Status::kOk);
  }
  AlignedBytes mem, scratch;
  Session s;
};

struct Ev {
  std::vector<int32_t> ids;
  std::vector<float> numeric;
  double time;
};

// Ids of output k best first (ids >= 1; ties: lower id first).
std::vector<int32_t> ranked(const Model& m, const Session& s, uint32_t k) {
  const float* x = s.output(k);
  std::vector<int32_t> ids;
  for (uint32_t i = 1; i < m.output(k).width; ++i) ids.push_back(static_cast<int32_t>(i));
  std::stable_sort(ids.begin(), ids.end(), [&](int32_t a, int32_t b) { return x[a] > x[b]; });
  return ids;
}

Event as_event(const Ev& e, double dt) {
  Event out;
  out.ids = e.ids.data();
  out.n_ids = static_cast<int>(e.ids.size());
  out.numeric = e.numeric.data();
  out.n_numeric = static_cast<int>(e.numeric.size());
  out.dt = dt;
  return out;
}

BOOST_AUTO_TEST_CASE(topk_and_sequence_accuracy_match_a_reference) {
  Loaded L;
  const Model& m = *L.model;
  const uint32_t nv = m.file().n_vocabs();
  std::mt19937 rng(7);
  // Two entities with 14 and 11 events; the last ones are predictable (repeats) so that
  // some sequences are right.
  std::vector<std::vector<Ev>> streams(2);
  const size_t lengths[2] = {14, 11};
  for (size_t e = 0; e < 2; ++e)
    for (size_t i = 0; i < lengths[e]; ++i) {
      Ev ev;
      for (uint32_t f = 0; f < nv; ++f)
        ev.ids.push_back(1 + static_cast<int32_t>(rng() % (m.file().vocab(f).size() - 1)));
      for (uint32_t k = 0; k < m.file().n_numeric(); ++k) ev.numeric.push_back(static_cast<float>(rng() % 100) / 50.f - 1.f);
      ev.time = 1000.0 * static_cast<double>(i + 1) + static_cast<double>(e);
      streams[e].push_back(ev);
    }
  const size_t first_scored = 6;
  const int topk = 2;
  const uint32_t horizon = 3;

  cli::EventStreamer streamer(m, topk);
  streamer.enable_sequence_eval(1, horizon);
  std::vector<cli::FieldAccuracy> ref = streamer.accuracy();   // names, outputs; counts 0
  BOOST_REQUIRE(!ref.empty());
  size_t seq_total = 0, seq_correct = 0;
  std::vector<size_t> seq_field(ref.size(), 0), seq_steps(ref.size(), 0);

  std::vector<std::unique_ptr<OwnSession>> sessions;
  for (size_t e = 0; e < 2; ++e) sessions.push_back(std::make_unique<OwnSession>(m));
  // Interleave the entities as a log would.
  for (size_t i = 0; i < 14; ++i)
    for (size_t e = 0; e < 2; ++e) {
      if (i >= streams[e].size()) continue;
      const Ev& ev = streams[e][i];
      const double dt = i == 0 ? 0.0 : ev.time - streams[e][i - 1].time;
      // Reference top-1 / top-k: from the state before this event.
      Session& s = sessions[e]->s;
      if (i >= first_scored)
        for (auto& f : ref) {
          const std::vector<int32_t> r = ranked(m, s, static_cast<uint32_t>(f.output));
          ++f.total;
          f.correct += r[0] == ev.ids[static_cast<size_t>(f.field_index)];
          f.correct_topk += std::find(r.begin(), r.begin() + topk, ev.ids[static_cast<size_t>(f.field_index)]) !=
                            r.begin() + topk;
        }
      BOOST_REQUIRE(s.step(as_event(ev, dt)) == Status::kOk);
      // Reference greedy sequence from the state after event i, scored against events
      // i+1..i+horizon when i+1 is scored and they all exist.
      if (i + 1 >= first_scored && i + horizon < streams[e].size()) {
        OwnSession g(m);
        BOOST_REQUIRE(g.s.copy_from(s) == Status::kOk);
        bool all = true;
        std::vector<size_t> hits(ref.size(), 0);
        Ev pred = ev;   // the template: unpredicted fields and numeric values of event i
        for (uint32_t step = 0; step < horizon; ++step) {
          for (auto& f : ref) pred.ids[static_cast<size_t>(f.field_index)] = ranked(m, g.s, static_cast<uint32_t>(f.output))[0];
          const Ev& truth = streams[e][i + 1 + step];
          for (size_t k = 0; k < ref.size(); ++k)
            hits[k] += pred.ids[static_cast<size_t>(ref[k].field_index)] ==
                       truth.ids[static_cast<size_t>(ref[k].field_index)];
          BOOST_REQUIRE(g.s.step(as_event(pred, dt)) == Status::kOk);
        }
        ++seq_total;
        for (size_t k = 0; k < ref.size(); ++k) {
          seq_steps[k] += hits[k];
          seq_field[k] += hits[k] == horizon;
          all = all && hits[k] == horizon;
        }
        seq_correct += all;
      }
      BOOST_REQUIRE(streamer.push(e == 0 ? "a" : "b", ev.time, ev.ids.data(), ev.numeric.data(), nullptr,
                                  i >= first_scored, i + 1 >= first_scored) == Status::kOk);
    }

  const auto& got = streamer.accuracy();
  BOOST_REQUIRE(got.size() == ref.size());
  for (size_t k = 0; k < ref.size(); ++k) {
    BOOST_TEST_CONTEXT(ref[k].field) {
      BOOST_TEST(got[k].total == (14 - first_scored) + (11 - first_scored));
      BOOST_TEST(got[k].total == ref[k].total);
      BOOST_TEST(got[k].correct == ref[k].correct);
      BOOST_TEST(got[k].correct_topk == ref[k].correct_topk);
      BOOST_TEST(got[k].correct_topk >= got[k].correct);
    }
  }
  const cli::SequenceAccuracy& sq = streamer.sequence_accuracy();
  // Start positions first_scored..n-horizon of each entity.
  BOOST_TEST(seq_total == (14 - horizon - first_scored + 1) + (11 - horizon - first_scored + 1));
  BOOST_TEST(sq.total == seq_total);
  BOOST_TEST(sq.correct == seq_correct);
  for (size_t k = 0; k < ref.size(); ++k) {
    BOOST_TEST(sq.field_correct[k] == seq_field[k]);
    BOOST_TEST(sq.field_steps[k] == seq_steps[k]);
  }
}

// A top-k as wide as the vocabulary always contains the true (known) value.
BOOST_AUTO_TEST_CASE(topk_over_the_whole_vocabulary_is_always_right) {
  Loaded L;
  const Model& m = *L.model;
  cli::EventStreamer streamer(m, 1000);
  std::mt19937 rng(3);
  std::vector<int32_t> ids(m.file().n_vocabs());
  std::vector<float> numeric(m.file().n_numeric(), 0.f);
  for (int i = 0; i < 20; ++i) {
    for (uint32_t f = 0; f < ids.size(); ++f) ids[f] = 1 + static_cast<int32_t>(rng() % (m.file().vocab(f).size() - 1));
    BOOST_REQUIRE(streamer.push("x", i, ids.data(), numeric.data(), nullptr) == Status::kOk);
  }
  for (const auto& f : streamer.accuracy()) {
    BOOST_TEST(f.total == 19u);
    BOOST_TEST(f.correct_topk == 19u);
  }
}

// A field whose vocabulary is only the unknown id can predict nothing: every scored event
// is a miss (it once scored 100 %: the "prediction" id 0 matched every unknown target).
BOOST_AUTO_TEST_CASE(a_vocabulary_of_only_unknown_scores_nothing_right) {
  AlignedBytes file(testdata::unknown_only_model().bytes());
  auto model = std::make_unique<Model>();
  BOOST_REQUIRE(model->load(file.data(), file.size()) == Status::kOk);
  BOOST_REQUIRE(model->output(0).width == 1u);
  for (int topk : {1, 3}) {
    cli::EventStreamer streamer(*model, topk);
    const int32_t ids[1] = {0};
    for (int i = 0; i < 10; ++i) BOOST_REQUIRE(streamer.push("x", i, ids, nullptr, nullptr) == Status::kOk);
    BOOST_REQUIRE(streamer.accuracy().size() == 1u);
    BOOST_TEST(streamer.accuracy()[0].total == 9u);
    BOOST_TEST(streamer.accuracy()[0].correct == 0u);
    BOOST_TEST(streamer.accuracy()[0].correct_topk == 0u);
  }
}

}  // namespace
}  // namespace runnel
