// Model + Session: memory plan known up front, streaming over caller memory, no
// allocation after set-up, forks (copy_from), resets, and bad events that change nothing.
#define BOOST_TEST_MODULE engine_session
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "engine/model.h"
#include "engine/session.h"
#include "tests/alloc_counter.h"
#include "tools/testdata/hostile_models.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"

namespace runnel {
namespace {

// A loaded sample model with its own aligned session and scratch blocks.
struct Loaded {
  explicit Loaded(const rnl::RnlWriter& writer) : file(writer.bytes()) {
    BOOST_REQUIRE_EQUAL(status_name(model->load(file.data(), file.size())), "kOk");
  }
  AlignedBytes file;
  std::unique_ptr<Model> model = std::make_unique<Model>();   // large: keep off the stack
};

struct Block {
  explicit Block(size_t bytes) : storage(std::vector<uint8_t>(bytes + 64, 0)) {}
  uint8_t* data() { return storage.data(); }
  AlignedBytes storage;
};

// Random events valid for `model`: ids inside each vocabulary (0 = unknown included).
class EventSource {
 public:
  EventSource(const Model& model, uint32_t seed) : model_(model), rng_(seed) {
    ids_.resize(model.file().n_vocabs());
    numeric_.resize(model.file().n_numeric());
  }
  const Event& next() {
    for (uint32_t f = 0; f < ids_.size(); ++f)
      ids_[f] = static_cast<int32_t>(rng_() % model_.file().vocab(f).size());
    for (float& x : numeric_) x = static_cast<float>(rng_() % 1000) / 250.f - 2.f;
    event_.ids = ids_.data();
    event_.n_ids = static_cast<int>(ids_.size());
    event_.numeric = numeric_.data();
    event_.n_numeric = static_cast<int>(numeric_.size());
    event_.dt = static_cast<double>(rng_() % 100000);
    return event_;
  }

 private:
  const Model& model_;
  std::mt19937 rng_;
  std::vector<int32_t> ids_;
  std::vector<float> numeric_;
  Event event_;
};

// n, or fewer when learned positions cap the stream.
int stream_length(const Model& m, int n) {
  return m.max_events() >= 0 && m.max_events() < n ? static_cast<int>(m.max_events()) : n;
}

std::vector<float> outputs_of(const Session& s) {
  std::vector<float> all;
  for (uint32_t k = 0; k < s.model()->n_outputs(); ++k) {
    const float* o = s.output(k);
    all.insert(all.end(), o, o + s.model()->output(k).width);
  }
  return all;
}

struct Running {
  explicit Running(const rnl::RnlWriter& w)
      : loaded(w), memory(loaded.model->session_bytes()), scratch(loaded.model->scratch_bytes()) {
    BOOST_REQUIRE_EQUAL(status_name(session.init(*loaded.model, memory.data(), loaded.model->session_bytes(),
                                                 scratch.data(), loaded.model->scratch_bytes())), "kOk");
    std::vector<float> statics(loaded.model->file().n_static(), 0.5f);
    BOOST_REQUIRE(session.set_static(statics.data(), static_cast<uint32_t>(statics.size())) == Status::kOk);
  }
  Loaded loaded;
  Block memory, scratch;
  Session session;
};

BOOST_AUTO_TEST_CASE(memory_plan_is_known_before_any_event) {
  for (const auto& sample : testdata::sample_models()) {
    Loaded l(sample.writer);
    BOOST_TEST_CONTEXT(sample.name) {
      BOOST_TEST(l.model->session_bytes() > 64u);
      BOOST_TEST(l.model->scratch_bytes() > 0u);
      BOOST_TEST(l.model->session_bytes() % 64 == 0u);
      BOOST_TEST(l.model->n_outputs() >= 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_sample_model_streams_finite_outputs) {
  for (const auto& sample : testdata::sample_models()) {
    Running r(sample.writer);
    EventSource events(*r.loaded.model, 1);
    const int n = stream_length(*r.loaded.model, 600);
    for (int t = 0; t < n; ++t) BOOST_REQUIRE_EQUAL(status_name(r.session.step(events.next())), "kOk");
    BOOST_TEST(r.session.events_seen() == n);
    for (float x : outputs_of(r.session)) BOOST_REQUIRE(std::isfinite(x));
  }
}

BOOST_AUTO_TEST_CASE(no_allocation_after_setup_over_100k_events) {
  std::vector<std::unique_ptr<Running>> models;
  for (const auto& sample : testdata::sample_models()) models.push_back(std::make_unique<Running>(sample.writer));
  std::vector<std::unique_ptr<EventSource>> sources;
  for (auto& m : models) sources.push_back(std::make_unique<EventSource>(*m->loaded.model, 7));
  const long before = testing::allocation_count();
  long steps = 0;
  for (int i = 0; i < 100000; ++i) {
    const size_t k = static_cast<size_t>(i) % models.size();
    const Status s = models[k]->session.step(sources[k]->next());
    if (s == Status::kPositionOutOfRange) { models[k]->session.reset(); continue; }
    BOOST_REQUIRE(s == Status::kOk);
    ++steps;
  }
  BOOST_TEST(steps > 90000);
  BOOST_TEST(testing::allocation_count() - before == 0);
}

BOOST_AUTO_TEST_CASE(copy_from_forks_identical_streams) {
  for (const auto& sample : testdata::sample_models()) {
    Running a(sample.writer), b(sample.writer);
    EventSource events(*a.loaded.model, 3);
    const int n = stream_length(*a.loaded.model, 60);
    for (int t = 0; t < n / 2; ++t) BOOST_REQUIRE(a.session.step(events.next()) == Status::kOk);
    BOOST_REQUIRE(b.session.copy_from(a.session) == Status::kOk);
    BOOST_TEST(b.session.events_seen() == n / 2);
    for (int t = n / 2; t < n; ++t) {
      const Event& e = events.next();
      BOOST_REQUIRE(a.session.step(e) == Status::kOk);
      BOOST_REQUIRE(b.session.step(e) == Status::kOk);
      BOOST_REQUIRE(outputs_of(a.session) == outputs_of(b.session));
    }
  }
}

BOOST_AUTO_TEST_CASE(copy_across_models_is_refused) {
  auto samples = testdata::sample_models();
  Running a(samples[0].writer), b(samples[1].writer);
  BOOST_TEST(status_name(b.session.copy_from(a.session)) == "kModelMismatch");
}

BOOST_AUTO_TEST_CASE(reset_replays_the_same_outputs) {
  Running r(testdata::sample_models()[1].writer);
  std::vector<std::vector<float>> first;
  EventSource e1(*r.loaded.model, 5);
  for (int t = 0; t < 30; ++t) { BOOST_REQUIRE(r.session.step(e1.next()) == Status::kOk); first.push_back(outputs_of(r.session)); }
  r.session.reset();
  BOOST_TEST(r.session.events_seen() == 0);
  EventSource e2(*r.loaded.model, 5);
  for (int t = 0; t < 30; ++t) { BOOST_REQUIRE(r.session.step(e2.next()) == Status::kOk); BOOST_REQUIRE(outputs_of(r.session) == first[t]); }
}

// A rejected event must leave the session exactly as it was.
BOOST_AUTO_TEST_CASE(bad_events_change_nothing) {
  auto samples = testdata::sample_models();
  Running a(samples[1].writer), b(samples[1].writer);
  EventSource events(*a.loaded.model, 9);
  const uint32_t n_ids = a.loaded.model->file().n_vocabs();
  BOOST_REQUIRE(n_ids > 0);
  for (int t = 0; t < 10; ++t) {
    const Event& e = events.next();
    BOOST_REQUIRE(a.session.step(e) == Status::kOk);
    BOOST_REQUIRE(b.session.step(e) == Status::kOk);
  }
  Event bad = events.next();
  std::vector<int32_t> ids(bad.ids, bad.ids + bad.n_ids);
  ids[0] = static_cast<int32_t>(a.loaded.model->file().vocab(0).size());
  bad.ids = ids.data();
  BOOST_TEST(status_name(a.session.step(bad)) == "kIdOutOfRange");
  ids[0] = -1;
  BOOST_TEST(status_name(a.session.step(bad)) == "kIdOutOfRange");
  ids[0] = 0;
  bad.dt = std::nan("");
  BOOST_TEST(status_name(a.session.step(bad)) == "kNonFinite");
  for (const double dt : {-1.0, -4.9e-324, -1e300}) {  // time running backwards (issue 17)
    bad.dt = dt;
    BOOST_TEST(status_name(a.session.step(bad)) == "kNegativeDt");
  }
  bad.dt = 1.0;
  if (bad.n_numeric > 0) {
    std::vector<float> numeric(bad.numeric, bad.numeric + bad.n_numeric);
    numeric[0] = INFINITY;
    bad.numeric = numeric.data();
    BOOST_TEST(status_name(a.session.step(bad)) == "kNonFinite");
  }
  bad.n_ids = 0;
  BOOST_TEST(status_name(a.session.step(bad)) == "kBadArgument");
  BOOST_TEST(a.session.events_seen() == 10);
  const Event& e = events.next();
  BOOST_REQUIRE(a.session.step(e) == Status::kOk);
  BOOST_REQUIRE(b.session.step(e) == Status::kOk);
  BOOST_TEST(outputs_of(a.session) == outputs_of(b.session));
}

BOOST_AUTO_TEST_CASE(learned_positions_stop_at_max_len) {
  // two_stream uses learned absolute positions; past max_len the step is refused.
  Running r(testdata::sample_models()[1].writer);
  const int64_t max_len = r.loaded.model->max_events();
  BOOST_REQUIRE(max_len > 0);
  EventSource events(*r.loaded.model, 2);
  for (int64_t t = 0; t < max_len; ++t) BOOST_REQUIRE(r.session.step(events.next()) == Status::kOk);
  BOOST_TEST(status_name(r.session.step(events.next())) == "kPositionOutOfRange");
  BOOST_TEST(r.session.events_seen() == max_len);
}

BOOST_AUTO_TEST_CASE(buffers_are_checked) {
  Loaded l(testdata::sample_models()[0].writer);
  Block memory(l.model->session_bytes() + 64), scratch(l.model->scratch_bytes() + 64);
  Session s;
  BOOST_TEST(status_name(s.init(*l.model, memory.data() + 4, l.model->session_bytes(), scratch.data(),
                                l.model->scratch_bytes())) == "kBufferMisaligned");
  BOOST_TEST(status_name(s.init(*l.model, memory.data(), l.model->session_bytes() - 1, scratch.data(),
                                l.model->scratch_bytes())) == "kBufferTooSmall");
  BOOST_TEST(status_name(s.init(*l.model, memory.data(), l.model->session_bytes(), scratch.data(),
                                l.model->scratch_bytes() - 1)) == "kBufferTooSmall");
  Model empty;
  BOOST_TEST(status_name(s.init(empty, memory.data(), 1 << 20, scratch.data(), 1 << 20)) == "kBadArgument");
}

// Item 1 of issue 17: the memory plan of a 35 TB session is exact on a 64-bit host (and
// refused on a 32-bit one), never wrapped into a small number.
BOOST_AUTO_TEST_CASE(huge_sessions_are_planned_without_wrapping) {
  AlignedBytes file(testdata::huge_session_model().bytes());
  auto model = std::make_unique<Model>();
  const Status s = model->load(file.data(), file.size());
  if (sizeof(size_t) >= 8) {
    BOOST_TEST(status_name(s) == "kOk");
    BOOST_TEST(uint64_t{model->session_bytes()} == testdata::huge_session_bytes());
    BOOST_TEST(model->scratch_bytes() > (size_t{128} << 22));   // 128 activations of 2^20 floats
  } else {
    BOOST_TEST(status_name(s) == "kLimitExceeded");
    BOOST_TEST(!model->loaded());
  }
}

// A session stays bound to its model: the same Model object loaded again with another
// file (bigger sessions) makes every call of the old session refuse.
BOOST_AUTO_TEST_CASE(a_session_refuses_a_reloaded_model) {
  AlignedBytes small(testdata::single_stream_model().bytes()), big(testdata::two_stream_model().bytes());
  auto model = std::make_unique<Model>();
  BOOST_REQUIRE(model->load(small.data(), small.size()) == Status::kOk);
  Block memory(model->session_bytes()), scratch(model->scratch_bytes());
  Session s;
  BOOST_REQUIRE(s.init(*model, memory.data(), model->session_bytes(), scratch.data(), model->scratch_bytes()) ==
                Status::kOk);
  EventSource small_events(*model, 3);
  BOOST_REQUIRE(s.step(small_events.next()) == Status::kOk);
  BOOST_REQUIRE(model->load(big.data(), big.size()) == Status::kOk);
  EventSource big_events(*model, 4);
  BOOST_TEST(status_name(s.step(big_events.next())) == "kModelMismatch");
  std::vector<float> statics(model->file().n_static(), 0.f);
  BOOST_TEST(status_name(s.set_static(statics.data(), static_cast<uint32_t>(statics.size()))) == "kModelMismatch");
  BOOST_TEST(s.output(0) == nullptr);
  BOOST_TEST(s.events_seen() == 0);
  s.reset();   // a no-op, not a write past the block
  // Loaded back with the first file: the same model, so the session works again.
  BOOST_REQUIRE(model->load(small.data(), small.size()) == Status::kOk);
  BOOST_TEST(s.events_seen() == 1);
  BOOST_TEST(status_name(s.step(small_events.next())) == "kOk");
  // A failed load leaves the object empty: refused too.
  const Event& valid = small_events.next();   // drawn while the model still has its vocabularies
  std::vector<uint8_t> broken = testdata::single_stream_model().bytes();
  broken[0] ^= 0xFF;
  AlignedBytes broken_file(broken);
  BOOST_REQUIRE(model->load(broken_file.data(), broken_file.size()) == Status::kBadMagic);
  BOOST_TEST(status_name(s.step(valid)) == "kModelMismatch");
}

// Finite weights and finite inputs that overflow: the step says so instead of handing
// out an infinite prediction.
BOOST_AUTO_TEST_CASE(non_finite_outputs_are_reported) {
  Loaded l(testdata::overflowing_model());
  Block memory(l.model->session_bytes()), scratch(l.model->scratch_bytes());
  Session s;
  BOOST_REQUIRE(s.init(*l.model, memory.data(), l.model->session_bytes(), scratch.data(), l.model->scratch_bytes()) ==
                Status::kOk);
  const int32_t ids[1] = {1};
  Event e;
  e.ids = ids;
  e.n_ids = 1;
  const float small = 2.0f, large = 1e10f;
  BOOST_REQUIRE(s.set_static(&small, 1) == Status::kOk);
  BOOST_TEST(status_name(s.step(e)) == "kOk");
  BOOST_TEST(s.output(1)[0] == 2e30f);
  BOOST_REQUIRE(s.set_static(&large, 1) == Status::kOk);
  BOOST_TEST(status_name(s.step(e)) == "kNonFiniteOutput");
  BOOST_TEST(!std::isfinite(s.output(1)[0]));
}

BOOST_AUTO_TEST_CASE(malformed_files_do_not_load) {
  std::vector<uint8_t> bytes = testdata::sample_models()[0].writer.bytes();
  bytes[0] ^= 0xFF;
  AlignedBytes file(bytes);
  auto model = std::make_unique<Model>();
  BOOST_TEST(status_name(model->load(file.data(), file.size())) == "kBadMagic");
  BOOST_TEST(!model->loaded());
}

}  // namespace
}  // namespace runnel
