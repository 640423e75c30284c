#include "tools/cli/vocab_coverage.h"

#include <stdexcept>

namespace runnel::cli {

VocabCoverage::VocabCoverage(const rnl::ModelFile& file, std::vector<std::string> columns) {
  for (uint32_t v = 0; v < file.n_vocabs(); ++v) {
    Field f;
    f.name = std::string(file.vocab(v).field());
    f.column = v < columns.size() ? columns[v] : "";
    f.can_match = !f.column.empty() && file.vocab(v).size() > 1;
    fields_.push_back(std::move(f));
  }
}

void VocabCoverage::add(uint32_t v, const std::string& value, int32_t id) {
  Field& f = fields_.at(v);
  if (value.empty()) return;   // a missing value is unknown in any model
  ++f.values;
  if (id != 0) ++f.known;
  else if (f.example.empty()) f.example = value;
}

std::vector<std::string> VocabCoverage::check(const std::string& source) const {
  std::size_t values = 0, known = 0;
  std::string examples;
  std::vector<std::string> warnings;
  for (const Field& f : fields_) {
    if (!f.can_match || f.values == 0) continue;
    values += f.values;
    known += f.known;
    if (f.known > 0) continue;
    const std::string where = "field '" + f.name + "'" + (f.column != f.name ? ", column '" + f.column + "'" : "");
    examples += (examples.empty() ? "" : "; ") + where + ": e.g. '" + f.example + "'";
    warnings.push_back(source + ": warning: none of the " + std::to_string(f.values) + " values of " + where +
                       " is in the model's vocabulary (e.g. '" + f.example + "'): all read as unknown");
  }
  if (values > 0 && known == 0)
    throw std::runtime_error(source + ": none of the " + std::to_string(values) +
                             " values of the model's categorical fields is in its vocabularies (" + examples +
                             "): is this the data the model was trained on?");
  return warnings;
}

}  // namespace runnel::cli
