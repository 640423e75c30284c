// The checked-in golden files: every testdata/malformed/*.rnl gives the status its
// README.md lists, every testdata/models/*.rnl opens, and the files are what the current
// generator (tools/testdata) writes, so they cannot silently go stale.
#define BOOST_TEST_MODULE format_corpus
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/format/rnl_reader.h"
#include "tests/printing.h"
#include "tools/testdata/hostile_models.h"
#include "tools/testdata/malformed_cases.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"

namespace fs = std::filesystem;
namespace rnl = runnel::rnl;
using runnel::Status;

namespace {

fs::path testdata_dir() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  BOOST_REQUIRE_MESSAGE(srcdir && workspace, "run under bazel test (TEST_SRCDIR unset)");
  return fs::path(srcdir) / workspace / "testdata";
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Status open_file(const fs::path& path) {
  const runnel::AlignedBytes buffer(read_file(path));
  auto model = std::make_unique<rnl::ModelFile>();
  return rnl::open(buffer.data(), buffer.size(), model.get());
}

// "| name.rnl | kStatus | defect |" rows of malformed/README.md -> file -> status name.
std::map<std::string, std::string> expected_statuses() {
  std::ifstream in(testdata_dir() / "malformed" / "README.md");
  std::map<std::string, std::string> expected;
  for (std::string line; std::getline(in, line);) {
    std::istringstream row(line);
    std::string bar, file, status;
    if (row >> bar >> file >> bar >> status && file.size() > 4 && file.substr(file.size() - 4) == ".rnl")
      expected[file] = status;
  }
  return expected;
}

std::vector<fs::path> rnl_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".rnl") files.push_back(entry.path());
  return files;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_malformed_file_gives_its_listed_status) {
  const auto expected = expected_statuses();
  const auto files = rnl_files(testdata_dir() / "malformed");
  BOOST_TEST(files.size() >= 20u);
  BOOST_TEST(files.size() == expected.size());
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE(expected.count(name) == 1u);
      BOOST_TEST(runnel::status_name(open_file(file)) == expected.at(name));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_model_opens) {
  for (const char* dir : {"models", "hostile"}) {
    const auto files = rnl_files(testdata_dir() / dir);
    BOOST_TEST(files.size() >= 2u);
    for (const fs::path& file : files) BOOST_TEST(open_file(file) == Status::kOk, file);
  }
}

// The sample models are the fixtures every reader and engine test starts from: together they
// must use every op of RUNNEL_OP_LIST (a new op without a fixture fails here).
BOOST_AUTO_TEST_CASE(sample_models_cover_every_op) {
  bool used[rnl::kOpCount] = {};
  for (const fs::path& file : rnl_files(testdata_dir() / "models")) {
    const runnel::AlignedBytes buffer(read_file(file));
    auto model = std::make_unique<rnl::ModelFile>();
    BOOST_REQUIRE(rnl::open(buffer.data(), buffer.size(), model.get()) == Status::kOk);
    for (uint32_t i = 0; i < model->n_records(); ++i) used[rnl::op_index(model->record(i).op)] = true;
  }
  for (uint32_t k = 0; k < rnl::kOpCount; ++k)
    BOOST_TEST(used[k], rnl::kOpNames[k] << " is in no model of testdata/models/");
}

BOOST_AUTO_TEST_CASE(checked_in_files_match_the_generator) {
  for (const auto& m : runnel::testdata::sample_models())
    BOOST_TEST((read_file(testdata_dir() / "models" / (m.name + ".rnl")) == m.writer.bytes()),
               m.name << ": regenerate with bazel run //tools/testdata:make_testdata -- testdata");
  for (const auto& m : runnel::testdata::hostile_models())
    BOOST_TEST((read_file(testdata_dir() / "hostile" / (m.name + ".rnl")) == m.writer.bytes()),
               m.name << ": regenerate with bazel run //tools/testdata:make_testdata -- testdata");
  for (const auto& c : runnel::testdata::malformed_cases())
    BOOST_TEST((read_file(testdata_dir() / "malformed" / (c.name + ".rnl")) == c.make()),
               c.name << ": regenerate with bazel run //tools/testdata:make_testdata -- testdata");
}
