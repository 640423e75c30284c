// Checks autograd against a reference file of the `runnel-gradref-1` schema (PyTorch
// float64 outputs and vector–Jacobian products; see testdata/GRADREF.md):
// every case is run through the op table, and its output and every input gradient are
// compared with the file (and, optionally, with finite differences).
#ifndef RUNNEL_TRAINER_GRADCHECK_REFERENCE_H_
#define RUNNEL_TRAINER_GRADCHECK_REFERENCE_H_

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/gradcheck/compare.h"

namespace runnel::gradcheck {

struct CaseResult {
  std::string name;
  std::string op;
  bool ok = false;
  std::string error;  // set when the case could not be run (unknown op, malformed field)
  ErrorStats output;
  std::vector<std::pair<std::string, ErrorStats>> grads;  // in the file's input order
  bool has_fd = false;
  ErrorStats fd;  // autograd vs finite differences, when requested
};

// Ops the checker knows (the names a file may use in "op").
std::vector<std::string> known_ops();

// Runs one case; never throws: problems are reported in CaseResult::error.
CaseResult run_case(const nlohmann::json& c, std::size_t index, bool with_fd);
// Runs every case; throws std::runtime_error if the file itself is malformed.
std::vector<CaseResult> run_file(const nlohmann::json& file, bool with_fd);

nlohmann::json to_json(const CaseResult& r);
nlohmann::json summary_json(const std::vector<CaseResult>& results);

}  // namespace runnel::gradcheck

#endif  // RUNNEL_TRAINER_GRADCHECK_REFERENCE_H_
