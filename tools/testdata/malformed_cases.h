// The malformed-file corpus: one crafted file per validation rule of the .rnl reader,
// each with the exact status the reader must return. make_testdata writes them to
// testdata/malformed/ (with a README generated from the same table); the validation
// test builds them in memory; the corpus test reads the checked-in files.
#ifndef RUNNEL_TOOLS_TESTDATA_MALFORMED_CASES_H_
#define RUNNEL_TOOLS_TESTDATA_MALFORMED_CASES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace runnel {
namespace testdata {

struct MalformedCase {
  std::string name;                              // file stem: testdata/malformed/<name>.rnl
  Status expected;                               // what rnl::open must return
  std::string what;                              // the defect, one line
  std::function<std::vector<uint8_t>()> make;    // the file's bytes
};

std::vector<MalformedCase> malformed_cases();

}  // namespace testdata
}  // namespace runnel

#endif  // RUNNEL_TOOLS_TESTDATA_MALFORMED_CASES_H_
