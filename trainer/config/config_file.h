// A model config file: JSON with "data", "model" and "train" sections. load_config_file
// reads and parses it, checks the top-level shape and parses the "train" section; the
// "data" and "model" sections go to their own parsers (data::make_dataset, the
// model::SequenceModel constructor) through in_config_file(), so every error reads
// "<file>: <field path>: <what was expected>".
#ifndef RUNNEL_TRAINER_CONFIG_CONFIG_FILE_H_
#define RUNNEL_TRAINER_CONFIG_CONFIG_FILE_H_

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "trainer/config/config_error.h"
#include "trainer/train/train_config.h"

namespace runnel::config {

struct ConfigFile {
  std::string path;             // as given
  std::string name;             // "name" field, or the file's stem
  nlohmann::json root;          // the whole document
  nlohmann::json data, model;   // sections, handed to their parsers
  train::TrainConfig train;     // parsed
};

// Throws ConfigError prefixed with `path` for a missing/unreadable file, malformed JSON
// (with line and column), a missing or unknown top-level section, or a bad train field.
ConfigFile load_config_file(const std::string& path);

// Runs fn(); a ConfigError it throws comes back prefixed with "<path>: ".
template <class Fn>
auto in_config_file(const std::string& path, Fn&& fn) -> decltype(fn()) {
  try {
    return std::forward<Fn>(fn)();
  } catch (const ConfigError& e) {
    throw ConfigError(path + ": " + e.what());
  }
}

}  // namespace runnel::config

#endif  // RUNNEL_TRAINER_CONFIG_CONFIG_FILE_H_
