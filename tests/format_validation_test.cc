// One test case per reader validation rule: a valid model with one defect (see
// tools/testdata/malformed_cases.cc) must give exactly its status; plus the rules about
// the caller's buffer itself.
#define BOOST_TEST_MODULE format_validation
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/format/rnl_reader.h"
#include "tests/printing.h"
#include "tools/testdata/malformed_cases.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"

namespace rnl = runnel::rnl;
using runnel::AlignedBytes;
using runnel::Status;
namespace bdata = boost::unit_test::data;

namespace {

const std::vector<runnel::testdata::MalformedCase>& cases() {
  static const auto all = runnel::testdata::malformed_cases();
  return all;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& c : cases()) names.push_back(c.name);
  return names;
}

Status open_bytes(const std::vector<uint8_t>& bytes, size_t misalign = 0) {
  const AlignedBytes buffer(bytes, misalign);
  auto model = std::make_unique<rnl::ModelFile>();
  return rnl::open(buffer.data(), buffer.size(), model.get());
}

}  // namespace

BOOST_DATA_TEST_CASE(malformed_file_gives_its_status, bdata::make(case_names()), name) {
  for (const auto& c : cases()) {
    if (c.name != name) continue;
    BOOST_TEST_INFO(c.what);
    BOOST_TEST(open_bytes(c.make()) == c.expected);
  }
}

BOOST_AUTO_TEST_CASE(case_names_are_unique_and_every_status_is_an_error) {
  std::set<std::string> names;
  for (const auto& c : cases()) {
    BOOST_TEST(names.insert(c.name).second, c.name);
    BOOST_TEST(c.expected != Status::kOk);
  }
}

BOOST_AUTO_TEST_CASE(every_file_status_is_exercised) {
  std::set<Status> seen;
  for (const auto& c : cases()) seen.insert(c.expected);
  for (Status s : {Status::kTruncated, Status::kBadMagic, Status::kBadVersion, Status::kBadEndianness,
                   Status::kBadHeader, Status::kCrcMismatch, Status::kOffsetOutOfBounds,
                   Status::kMisalignedTensor, Status::kShapeOverflow, Status::kShapeMismatch,
                   Status::kUnknownOp, Status::kUnknownDType, Status::kBadGraph,
                   Status::kBadHyperParameter, Status::kVocabOutOfBounds, Status::kLimitExceeded,
                   Status::kBadName, Status::kBadTensorEntry, Status::kBadSchema, Status::kNonFiniteWeight})
    BOOST_TEST(seen.count(s) == 1u, runnel::status_name(s));
}

BOOST_AUTO_TEST_CASE(misaligned_buffer_is_rejected_at_every_offset) {
  const std::vector<uint8_t> bytes = runnel::testdata::single_stream_model().bytes();
  BOOST_TEST(open_bytes(bytes, 0) == Status::kOk);
  for (size_t shift = 1; shift < 64; ++shift) BOOST_TEST(open_bytes(bytes, shift) == Status::kBufferMisaligned);
}

BOOST_AUTO_TEST_CASE(null_arguments_are_bad_arguments) {
  auto model = std::make_unique<rnl::ModelFile>();
  BOOST_TEST(rnl::open(nullptr, 100, model.get()) == Status::kBadArgument);
  const AlignedBytes buffer(runnel::testdata::single_stream_model().bytes());
  BOOST_TEST(rnl::open(buffer.data(), buffer.size(), nullptr) == Status::kBadArgument);
  BOOST_TEST(rnl::open(buffer.data(), 0, model.get()) == Status::kTruncated);
}

BOOST_AUTO_TEST_CASE(a_failed_open_leaves_the_model_empty) {
  auto model = std::make_unique<rnl::ModelFile>();
  const AlignedBytes good(runnel::testdata::two_stream_model().bytes());
  BOOST_REQUIRE(rnl::open(good.data(), good.size(), model.get()) == Status::kOk);
  BOOST_TEST(model->n_records() > 0u);
  BOOST_TEST(rnl::open(good.data(), good.size() - 1, model.get()) == Status::kTruncated);
  BOOST_TEST(model->n_records() == 0u);
  BOOST_TEST(model->n_tensors() == 0u);
  BOOST_TEST(model->n_vocabs() == 0u);
  BOOST_TEST(model->find_tensor("s0.embed") == -1);
}
