// Does an event log belong to a model? Counts, per categorical field, how many values of
// the log are in the model's vocabulary. A log in which no value of any field is known
// (a CSV of another model, a column of something else under the right name) would
// otherwise run "successfully" with every value mapped to unknown and 0 % accuracy.
//
//   check(): throws std::runtime_error when not one value of any field is known
//     ("events.csv: none of the 120 values of the model's fields is in its vocabularies
//     (field 'location', column 'loc': e.g. 'lib'): is this the model's data?");
//     returns a warning line per field none of whose values is known, when others are.
// Fields whose vocabulary holds only the unknown id can never match and are left out.
#ifndef RUNNEL_TOOLS_CLI_VOCAB_COVERAGE_H_
#define RUNNEL_TOOLS_CLI_VOCAB_COVERAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model.h"

namespace runnel::cli {

class VocabCoverage {
 public:
  // `columns[v]`: where model vocabulary v's values come from (a column name), "" for
  // vocabularies that are not read (output-only ones).
  VocabCoverage(const rnl::ModelFile& file, std::vector<std::string> columns);

  // Counts one value of vocabulary v and the id it mapped to (0 = unknown).
  void add(uint32_t v, const std::string& value, int32_t id);

  // `source`: the log as the user named it.
  std::vector<std::string> check(const std::string& source) const;

 private:
  struct Field {
    std::string name, column;
    bool can_match = false;
    std::size_t values = 0, known = 0;
    std::string example;   // the first unknown value
  };
  std::vector<Field> fields_;
};

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_VOCAB_COVERAGE_H_
