// The reference checker over the checked-in PyTorch files, and its handling of bad input.
#define BOOST_TEST_MODULE autograd_reference
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "trainer/gradcheck/reference.h"

namespace gc = runnel::gradcheck;
using nlohmann::json;

namespace {
json load(const std::string& path) {
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
  return json::parse(in);
}

void expect_all_pass(const std::string& path) {
  const auto results = gc::run_file(load(path), /*with_fd=*/false);
  BOOST_TEST(!results.empty());
  for (const auto& r : results) BOOST_TEST(r.ok, r.name << ": " << gc::to_json(r).dump());
}

json small_case() {
  return json::parse(R"({"name": "t", "op": "exp", "attrs": {}, "int_inputs": {},
    "inputs": {"x": {"shape": [2], "data": [0.0, 1.0]}},
    "output": {"shape": [2], "data": [1.0, 2.718281828459045]},
    "grad_output": {"shape": [2], "data": [1.0, 1.0]},
    "grads": {"x": {"shape": [2], "data": [1.0, 2.718281828459045]}}})");
}
}  // namespace

BOOST_AUTO_TEST_CASE(shared_reference_file_passes) { expect_all_pass("testdata/gradref.json"); }
BOOST_AUTO_TEST_CASE(generated_seed11_file_passes) { expect_all_pass("testdata/gradref_seed11.json"); }

BOOST_AUTO_TEST_CASE(a_well_formed_case_passes_with_finite_differences) {
  const auto r = gc::run_case(small_case(), 0, true);
  BOOST_TEST(r.ok, gc::to_json(r).dump());
  BOOST_TEST(r.fd.max_rel <= gc::kTolerance);
}

BOOST_AUTO_TEST_CASE(wrong_reference_values_fail) {
  json c = small_case();
  c["grads"]["x"]["data"][1] = 2.7;
  BOOST_TEST(!gc::run_case(c, 0, false).ok);
}

BOOST_AUTO_TEST_CASE(unknown_op_and_malformed_fields_name_the_case_and_field) {
  const std::vector<std::pair<std::function<void(json&)>, std::string>> breakages = {
      {[](json& c) { c["op"] = "frobnicate"; }, "unknown op 'frobnicate'"},
      {[](json& c) { c["inputs"]["x"]["data"].push_back(1.0); }, "inputs.x"},
      {[](json& c) { c.erase("grad_output"); }, "grad_output"},
      {[](json& c) { c["grads"].erase("x"); }, "grads"},
      {[](json& c) { c["inputs"]["x"]["data"][0] = "a"; }, "inputs.x"},
      {[](json& c) { c["op"] = "sum"; }, "attrs.axis"},
      {[](json& c) { c["op"] = "mse"; c["inputs"]["pred"] = c["inputs"]["x"]; c["attrs"]["target"] = 1; }, "attrs.target"},
      {[](json& c) { c["grad_output"]["shape"] = json::array({3}); c["grad_output"]["data"].push_back(0.0); }, "grad_output"},
  };
  for (const auto& [breakage, field] : breakages) {
    json c = small_case();
    breakage(c);
    const auto r = gc::run_case(c, 0, false);
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.error.find("case 't'") != std::string::npos, r.error);
    BOOST_TEST(r.error.find(field) != std::string::npos, r.error << " should mention " << field);
  }
}

BOOST_AUTO_TEST_CASE(malformed_file_is_rejected) {
  BOOST_CHECK_THROW(gc::run_file(json::parse(R"({"format": "other", "cases": []})"), false), std::runtime_error);
  BOOST_CHECK_THROW(gc::run_file(json::parse(R"({"format": "runnel-gradref-1", "dtype": "float64"})"), false),
                    std::runtime_error);
}
