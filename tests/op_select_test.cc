// An engine built with only some ops (engine/op_select.h: RUNNEL_OP_MASK, here the ops of
// the sample single_stream model, set by //engine:engine_single_stream_ops) runs a model
// made of those ops and refuses, with kOpNotCompiled, a model that needs another.
#define BOOST_TEST_MODULE op_select
#include <boost/test/unit_test.hpp>

#include <memory>
#include <vector>

#include "engine/format/rnl_reader.h"
#include "engine/model.h"
#include "engine/op_select.h"
#include "engine/session.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"

namespace runnel {
namespace {

// The ops a file's records use, read by the reader alone (which knows every op).
uint64_t ops_of(const AlignedBytes& file) {
  rnl::ModelFile f;
  BOOST_REQUIRE(rnl::open(file.data(), file.size(), &f) == Status::kOk);
  uint64_t mask = 0;
  for (uint32_t i = 0; i < f.n_records(); ++i) mask |= op_bit(f.op(i));
  return mask;
}

BOOST_AUTO_TEST_CASE(build_holds_exactly_the_single_stream_ops) {
  const AlignedBytes single(testdata::single_stream_model().bytes());
  BOOST_TEST(kCompiledOps == ops_of(single));
  BOOST_TEST(kCompiledOps != ~uint64_t{0});
}

BOOST_AUTO_TEST_CASE(model_of_compiled_ops_loads_and_steps) {
  const AlignedBytes single(testdata::single_stream_model().bytes());
  auto model = std::make_unique<Model>();
  BOOST_REQUIRE(status_name(model->load(single.data(), single.size())) == "kOk");
  AlignedBytes memory(std::vector<uint8_t>(model->session_bytes() + 64));
  AlignedBytes scratch(std::vector<uint8_t>(model->scratch_bytes() + 64));
  Session session;
  BOOST_REQUIRE(status_name(session.init(*model, memory.data(), model->session_bytes(), scratch.data(),
                                         model->scratch_bytes())) == "kOk");
  std::vector<int32_t> ids(model->file().n_vocabs(), 1);
  std::vector<float> numeric(model->file().n_numeric(), 0.5f);
  Event e;
  e.ids = ids.data();
  e.n_ids = static_cast<int>(ids.size());
  e.numeric = numeric.data();
  e.n_numeric = static_cast<int>(numeric.size());
  e.dt = 1.0;
  for (int t = 0; t < 5; ++t) BOOST_TEST(status_name(session.step(e)) == "kOk");
}

BOOST_AUTO_TEST_CASE(model_needing_another_op_is_refused) {
  const AlignedBytes all(testdata::all_encoders_model().bytes());
  BOOST_REQUIRE((ops_of(all) & ~kCompiledOps) != 0);  // the sample needs ops left out
  auto model = std::make_unique<Model>();
  BOOST_TEST(status_name(model->load(all.data(), all.size())) == "kOpNotCompiled");
  BOOST_TEST(!model->loaded());
}

}  // namespace
}  // namespace runnel
