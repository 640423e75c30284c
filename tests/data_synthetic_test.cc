#define BOOST_TEST_MODULE data_synthetic
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <set>

#include <xtensor/xmath.hpp>

#include "trainer/data/synthetic_adding.h"
#include "trainer/data/synthetic_multitask.h"
#include "trainer/data/synthetic_posenc.h"
#include "trainer/data/synthetic_seq_tabular.h"

using namespace runnel::data;

namespace {
SyntheticSplit small(std::size_t min_len = 16, std::size_t max_len = 24) {
  SyntheticSplit s;
  s.train = 100;
  s.validation = 20;
  s.seed = 3;
  s.min_length = min_len;
  s.max_length = max_len;
  return s;
}

void check_common(const SyntheticSequenceDataset& ds, std::size_t F, std::size_t N, std::size_t S) {
  Batch a = ds.train_batch(2, 8), b = ds.train_batch(2, 8), c = ds.train_batch(3, 8);
  BOOST_TEST(a.rows == 8u);
  BOOST_TEST(a.ids.shape()[0] == 8u);
  BOOST_TEST(a.ids.shape()[1] == a.steps);
  BOOST_TEST(a.ids.shape()[2] == F);
  BOOST_TEST(a.numeric.shape()[2] == N);
  BOOST_TEST(a.statics.shape()[1] == S);
  BOOST_TEST(a.dt.shape()[1] == a.steps);
  BOOST_TEST(a.ids == b.ids);
  BOOST_TEST(a.numeric == b.numeric);
  BOOST_TEST(a.numeric != c.numeric);
  for (const auto& t : ds.schema().targets) {
    BOOST_TEST(t.sequence_level);
    BOOST_REQUIRE(a.targets.count(t.name) == 1u);
    if (t.categorical) {
      BOOST_TEST(a.targets.at(t.name).classes.shape()[0] == 8u);
      BOOST_TEST(xt::amin(a.targets.at(t.name).classes)() >= 1);
      BOOST_TEST(static_cast<std::size_t>(xt::amax(a.targets.at(t.name).classes)()) < t.classes);
    } else {
      BOOST_TEST(a.targets.at(t.name).values.shape()[0] == 8u);
      BOOST_TEST(xt::sum(a.targets.at(t.name).mask)() == 8.f);
    }
  }
  // Padding beyond each row's length is zero.
  for (std::size_t r = 0; r < a.rows; ++r)
    for (std::size_t t = a.lengths[r]; t < a.steps; ++t) BOOST_TEST(a.ids(r, t, 0) == 0);
  // An epoch visits every train example once: steps 0..(100/10 - 1) with batch 10.
  std::set<float> firsts;
  for (std::size_t s = 0; s < 10; ++s) {
    Batch e = ds.train_batch(s, 10);
    for (std::size_t r = 0; r < 10; ++r) firsts.insert(e.numeric(r, 0, 0));
  }
  BOOST_TEST(firsts.size() == 100u);
  // Validation: 20 rows in batches of 8 -> 8, 8, 4; streams match.
  auto vb = ds.validation_batches(8);
  BOOST_REQUIRE(vb.size() == 3u);
  BOOST_TEST(vb[2].rows == 4u);
  auto vs = ds.validation_streams();
  BOOST_REQUIRE(vs.size() == 20u);
  BOOST_TEST(vs[0].events.size() == vb[0].lengths[0]);
  BOOST_TEST(vs[0].events[0].numeric[0] == vb[0].numeric(0, 0, 0));
  BOOST_TEST(vs[0].statics.size() == S);
  BOOST_TEST(ds.schema().fields[0].vocab.at(static_cast<std::size_t>(vb[0].ids(0, 0, 0))) ==
             vs[0].events[0].fields[0]);
}
}  // namespace

BOOST_AUTO_TEST_CASE(seq_tabular) {
  SeqTabularOptions o;
  o.split = small();
  SeqTabularDataset ds(o);
  check_common(ds, 1, 1, 3);
  // Seeds: same seed same data, other seed other data.
  SeqTabularDataset same(o);
  BOOST_TEST(ds.train_batch(0, 4).numeric == same.train_batch(0, 4).numeric);
  o.split.seed = 4;
  BOOST_TEST(ds.train_batch(0, 4).numeric != SeqTabularDataset(o).train_batch(0, 4).numeric);
  // The target is the documented function of sequence and statics (+ noise 0.05).
  double err = 0;
  for (std::size_t i = 0; i < 50; ++i) {
    auto ex = ds.example(false, i);
    err += std::abs(ex.values.at("value") - SeqTabularDataset::exact_value(ex));
  }
  BOOST_TEST(err / 50 < 0.08);
  BOOST_TEST(err / 50 > 0.0);
}

BOOST_AUTO_TEST_CASE(posenc) {
  PosencOptions o;
  o.split = small(32, 32);
  PosencDataset ds(o);
  check_common(ds, 1, 1, 0);
  auto ex = ds.example(true, 0);
  BOOST_TEST(ex.values.at("value") == ds.exact_value(ex));
  // Order matters: reversing the sequence changes the target.
  auto rev = ex;
  std::reverse(rev.numeric.begin(), rev.numeric.end());
  BOOST_TEST(std::abs(ds.exact_value(rev) - ds.exact_value(ex)) > 1e-4);
  o.first_index = 40;
  BOOST_CHECK_THROW(PosencDataset{o}, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(multitask) {
  MultitaskOptions o;
  o.split = small();
  MultitaskDataset ds(o);
  check_common(ds, 1, 1, 0);
  std::set<std::int64_t> classes;
  for (std::size_t i = 0; i < 60; ++i) {
    auto ex = ds.example(false, i);
    classes.insert(ex.classes.at("class"));
    BOOST_TEST(ex.classes.at("class") == MultitaskDataset::exact_class(ex));
    BOOST_TEST(ex.values.at("value") == MultitaskDataset::exact_value(ex));
  }
  BOOST_TEST(classes.size() == 3u);
  BOOST_TEST(ds.schema().targets[0].classes == 4u);
}

BOOST_AUTO_TEST_CASE(adding_problem) {
  AddingOptions o;
  o.split.train = 64;
  o.split.validation = 16;
  AddingDataset ds(o);
  Batch b = ds.train_batch(5, 32);
  BOOST_TEST(b.numeric.shape()[2] == 2u);
  double const_mse = 0;
  for (std::size_t r = 0; r < b.rows; ++r) {
    BOOST_TEST(b.lengths[r] >= 100u);
    BOOST_TEST(b.lengths[r] <= 400u);
    std::size_t markers = 0, first = 0, second = 0;
    for (std::size_t t = 0; t < b.lengths[r]; ++t)
      if (b.numeric(r, t, 1) == 1.f) {
        (markers == 0 ? first : second) = t;
        ++markers;
        BOOST_TEST(b.ids(r, t, 0) == 2);
      } else {
        BOOST_TEST(b.ids(r, t, 0) == 1);
      }
    BOOST_TEST(markers == 2u);
    BOOST_TEST(first < b.lengths[r] / 2);
    BOOST_TEST(second >= b.lengths[r] / 2);
    const float sum = b.targets.at("sum").values(r);
    BOOST_TEST(sum == adding_perfect_answer(b, r));
    BOOST_TEST(sum == b.numeric(r, first, 0) + b.numeric(r, second, 0));
    const_mse += (sum - 1.0) * (sum - 1.0);
  }
  BOOST_TEST(const_mse / b.rows < 0.4);
  AddingOptions fixed;
  fixed.split = {8, 4, 9, 400, 400};
  AddingDataset ds400(fixed);
  BOOST_TEST(ds400.train_batch(0, 4).steps == 400u);
  BOOST_TEST(ds400.validation_streams()[0].events.size() == 400u);
}
