// Streaming tests of the event-input layers: embed, numeric, time_embed, static_input.
// Each reads the raw event (ids, numeric values, dt) or the entity's statics, validates it,
// and must fail with a status (writing nothing) on ids outside the vocabulary or
// non-finite values.
#define BOOST_TEST_MODULE layers_input
#include "tests/layer_test_util.h"

#include <cstdint>

#include "engine/layers/embed.h"
#include "engine/layers/numeric.h"
#include "engine/layers/static_input.h"
#include "engine/layers/time_embed.h"
#include "trainer/export/quantize.h"

using namespace runnel;
using namespace runnel::testing;
namespace L = runnel::layers;

namespace {

constexpr int kEvents = 23;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// A stream of events whose ids, numeric values and dt this object owns.
struct EventStream {
  std::vector<std::vector<int32_t>> ids;
  Stream numeric;
  std::vector<double> dt;
  std::vector<Event> events;
  const float* statics = nullptr;

  // Points the Event records at the data; call after filling or changing it.
  void link() {
    events.assign(ids.size(), Event{});
    for (size_t t = 0; t < ids.size(); ++t) {
      Event& e = events[t];
      e.ids = ids[t].data();
      e.n_ids = static_cast<int>(ids[t].size());
      if (t < numeric.size()) {
        e.numeric = numeric[t].data();
        e.n_numeric = static_cast<int>(numeric[t].size());
      }
      if (t < dt.size()) e.dt = dt[t];
    }
  }
  StepArgs operator()(int t) const {
    StepArgs a;
    a.t = t;
    a.event = &events[t];
    a.statics = statics;
    return a;
  }
};

EventStream empty_events(int n) {
  EventStream s;
  s.ids.assign(n, {});
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(embed)

struct EmbedFixture {
  static constexpr int kFields = 3, kD = 7;
  const int vocab[kFields] = {5, 1, 17};      // a field with only the unknown id, too
  const int field_index[kFields] = {2, 0, 3};  // events carry 4 ids; field 1 is unused
  std::vector<Vec> tables;
  runnel::kernels::Matrix table_ptrs[kFields];
  EventStream events;

  EmbedFixture() {
    std::mt19937 rng(21);
    for (int f = 0; f < kFields; ++f) {
      tables.push_back(random_vec(vocab[f] * kD, -1, 1, rng));
      table_ptrs[f] = tables.back().data();
    }
    for (int t = 0; t < kEvents; ++t) {
      std::vector<int32_t> ids(4, 999);  // id of the unused field: never read
      for (int f = 0; f < kFields; ++f) ids[field_index[f]] = static_cast<int32_t>(rng() % vocab[f]);
      events.ids.push_back(ids);
    }
    events.ids[3][2] = 0;  // unknown id: row 0 like any other
    events.link();
  }
  L::Embed layer() const { return L::Embed::make(table_ptrs, vocab, field_index, kFields, kD); }
};

BOOST_FIXTURE_TEST_CASE(sums_one_row_per_field, EmbedFixture) {
  Expected want(kEvents, DVec(kD));
  for (int t = 0; t < kEvents; ++t)
    for (int f = 0; f < kFields; ++f)
      for (int i = 0; i < kD; ++i) want[t][i] += tables[f][events.ids[t][field_index[f]] * kD + i];
  expect_stream_matches(layer(), kEvents, events, want);
}

// Int8 tables (one scale per row): each row is added as scale · q, so the result is the
// sum of the dequantised rows up to f32 rounding.
BOOST_FIXTURE_TEST_CASE(int8_tables_sum_dequantised_rows, EmbedFixture) {
  std::vector<quant::QuantizedRows> q;
  runnel::kernels::Matrix int8_tables[kFields];
  for (int f = 0; f < kFields; ++f) {
    q.push_back(quant::quantize_rows(tables[f], vocab[f], kD));
    tables[f] = quant::dequantize_rows(q.back(), vocab[f], kD);
  }
  for (int f = 0; f < kFields; ++f) int8_tables[f] = runnel::kernels::Matrix::int8(q[f].q.data(), q[f].scales.data());
  Expected want(kEvents, DVec(kD));
  for (int t = 0; t < kEvents; ++t)
    for (int f = 0; f < kFields; ++f)
      for (int i = 0; i < kD; ++i) want[t][i] += tables[f][events.ids[t][field_index[f]] * kD + i];
  expect_stream_matches(L::Embed::make(int8_tables, vocab, field_index, kFields, kD), kEvents, events, want);
}

BOOST_FIXTURE_TEST_CASE(id_out_of_range_writes_nothing, EmbedFixture) {
  const L::Embed e = layer();
  Session<L::Embed> s(e);
  BOOST_REQUIRE(s.step(events(0)) == Status::kOk);
  // Bad ids in the last field checked: the earlier fields must not have been summed yet.
  for (int32_t bad : {17, 18, -1, INT32_MIN, INT32_MAX}) {
    events.ids[1][3] = bad;
    events.link();
    BOOST_TEST_CONTEXT("id=" << bad) { expect_step_fails(s, events(1), Status::kIdOutOfRange); }
  }
  events.ids[1][3] = 0;
  events.ids[1][0] = 1;  // vocab of field 1 is {0}
  events.link();
  expect_step_fails(s, events(1), Status::kIdOutOfRange);
}

BOOST_FIXTURE_TEST_CASE(malformed_events_are_bad_arguments, EmbedFixture) {
  const L::Embed e = layer();
  Session<L::Embed> s(e);
  events.ids[0].resize(3);  // field index 3 missing
  events.link();
  expect_step_fails(s, events(0), Status::kBadArgument);
  StepArgs no_event;
  expect_step_fails(s, no_event, Status::kBadArgument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(numeric)

BOOST_AUTO_TEST_CASE(projects_the_selected_values) {
  const int first = 1, count = 3, d = 6, n_numeric = 5;
  std::mt19937 rng(22);
  const Vec w = random_vec(d * count, -1, 1, rng), b = random_vec(d, -1, 1, rng);
  EventStream events = empty_events(kEvents);
  events.numeric = random_stream(kEvents, n_numeric, -10, 10, 23);
  events.numeric[5][0] = kNaN;  // outside [first, first + count): never read
  events.numeric[6][4] = kInf;
  events.link();
  Expected want(kEvents, DVec(d));
  for (int t = 0; t < kEvents; ++t)
    for (int o = 0; o < d; ++o) {
      want[t][o] = b[o];
      for (int i = 0; i < count; ++i) want[t][o] += double(w[o * count + i]) * events.numeric[t][first + i];
    }
  expect_stream_matches(L::Numeric::make(w.data(), b.data(), first, count, d), kEvents, events, want);
}

BOOST_AUTO_TEST_CASE(int8_weights_project_the_selected_values) {
  const int first = 0, count = 4, d = 5;
  std::mt19937 rng(24);
  const Vec w = random_vec(d * count, -1, 1, rng), b = random_vec(d, -1, 1, rng);
  const quant::QuantizedRows q = quant::quantize_rows(w, d, count);
  const Vec dequantised = quant::dequantize_rows(q, d, count);
  EventStream events = empty_events(kEvents);
  events.numeric = random_stream(kEvents, count, -10, 10, 25);
  events.link();
  Expected want(kEvents, DVec(d));
  for (int t = 0; t < kEvents; ++t)
    for (int o = 0; o < d; ++o) {
      want[t][o] = b[o];
      for (int i = 0; i < count; ++i) want[t][o] += double(dequantised[o * count + i]) * events.numeric[t][i];
    }
  // |x| <= 10: the 16-bit rounding of x moves an output by at most 10 / 65534 · sum |w|.
  expect_stream_matches(L::Numeric::make(runnel::kernels::Matrix::int8(q.q.data(), q.scales.data()), b.data(), first,
                                         count, d),
                        kEvents, events, want, 1e-3);
}

BOOST_AUTO_TEST_CASE(non_finite_or_missing_values) {
  const Vec w(2 * 2, 0.5f), b(2, 0.f);
  const L::Numeric layer = L::Numeric::make(w.data(), b.data(), 1, 2, 2);
  Session<L::Numeric> s(layer);
  EventStream events = empty_events(1);
  for (float bad : {kNaN, kInf, -kInf}) {
    events.numeric = {{0.f, 1.f, bad}};
    events.link();
    BOOST_TEST_CONTEXT("value=" << bad) { expect_step_fails(s, events(0), Status::kNonFinite); }
  }
  events.numeric = {{0.f, 1.f}};  // needs indices 1 and 2
  events.link();
  expect_step_fails(s, events(0), Status::kBadArgument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(time_embed)

// bit_width(floor(max(dt, 0))), capped: the rule of rnl_spec.h, by repeated halving.
// dt is clamped to 2^62 first so the integer conversion is defined (buckets stay < 63).
int expected_bucket(double dt, int n_buckets) {
  uint64_t v = static_cast<uint64_t>(std::floor(std::clamp(dt, 0.0, std::ldexp(1.0, 62))));
  int width = 0;
  for (; v != 0; v >>= 1) ++width;
  return std::min(n_buckets - 1, width);
}

BOOST_AUTO_TEST_CASE(log_buckets_at_their_boundaries) {
  const int n_buckets = 6, d = 4;
  std::mt19937 rng(24);
  const Vec table = random_vec(n_buckets * d, -1, 1, rng);
  EventStream events = empty_events(kEvents);
  // t = 0 reads bucket 0 whatever dt says (even NaN: there is no previous event).
  events.dt = {kNaN, 0, 0.999, 1, 1.5, 2, 3.999, 4, 7.9, 8, 15.5, 16, 31.99, 32,
               1e12, -5, 0.5, 2.5, 5, 17, 63, 64, 1e300};
  events.link();
  Expected want(kEvents, DVec(d));
  for (int t = 0; t < kEvents; ++t) {
    const int bucket = t == 0 ? 0 : expected_bucket(events.dt[t], n_buckets);
    for (int i = 0; i < d; ++i) want[t][i] = table[bucket * d + i];
  }
  expect_stream_matches(L::TimeEmbed::make(table.data(), n_buckets, d), kEvents, events, want, 0.0);
}

BOOST_AUTO_TEST_CASE(bucket_rule_on_powers_of_two) {
  for (int e = 0; e < 60; ++e) {
    const double p = std::ldexp(1.0, e);
    BOOST_TEST_CONTEXT("dt=2^" << e) {
      BOOST_TEST(L::TimeEmbed::bucket(p, 100) == expected_bucket(p, 100));
      BOOST_TEST(L::TimeEmbed::bucket(std::nextafter(p, 0.0), 100) ==
                 expected_bucket(std::nextafter(p, 0.0), 100));
    }
  }
}

BOOST_AUTO_TEST_CASE(non_finite_dt_after_the_first_event) {
  const Vec table(3 * 2, 1.f);
  const L::TimeEmbed layer = L::TimeEmbed::make(table.data(), 3, 2);
  Session<L::TimeEmbed> s(layer);
  EventStream events = empty_events(2);
  for (double bad : {double(kNaN), double(kInf), -double(kInf)}) {
    events.dt = {0.0, bad};
    events.link();
    BOOST_TEST_CONTEXT("dt=" << bad) { expect_step_fails(s, events(1), Status::kNonFinite); }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(static_input)

BOOST_AUTO_TEST_CASE(copies_the_selected_features_every_event) {
  const Vec statics = {9.f, kNaN, 1.5f, -2.f, 3.25f, 0.f, kInf};  // NaN/Inf outside the slice
  EventStream events = empty_events(kEvents);
  events.statics = statics.data();
  events.link();
  Expected want(kEvents, DVec(statics.begin() + 2, statics.begin() + 6));
  expect_stream_matches(L::StaticInput::make(2, 4), kEvents, events, want, 0.0);
}

BOOST_AUTO_TEST_CASE(non_finite_or_missing_statics) {
  const L::StaticInput layer = L::StaticInput::make(1, 2);
  Session<L::StaticInput> s(layer);
  EventStream events = empty_events(1);
  events.link();
  expect_step_fails(s, events(0), Status::kBadArgument);  // no statics given
  const Vec bad = {0.f, 1.f, kNaN};
  events.statics = bad.data();
  expect_step_fails(s, events(0), Status::kNonFinite);
}

BOOST_AUTO_TEST_SUITE_END()
