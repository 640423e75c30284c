// The "data" section of a run config -> a Dataset. Every field is documented in
// models/DATA_CONFIG.md. Errors are config::ConfigError naming the field path and what
// was expected, e.g. "data.columns.time: expected a string, got 12"; errors in a CSV
// file are CsvError naming file:line:column.
#ifndef RUNNEL_TRAINER_DATA_DATA_CONFIG_H_
#define RUNNEL_TRAINER_DATA_DATA_CONFIG_H_

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "trainer/data/dataset.h"

namespace runnel::data {

// kind: "csv" | "synthetic_employees" | "seq_tabular" | "posenc" | "multitask" | "adding".
// A relative CSV path resolves against base_dir (the config file's directory).
std::unique_ptr<Dataset> make_dataset(const nlohmann::json& data_section,
                                      const std::string& base_dir);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_DATA_CONFIG_H_
