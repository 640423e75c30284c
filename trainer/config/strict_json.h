// JSON as runnel reads the files a user writes (configs): comments allowed, and two
// mistakes that nlohmann::json lets through or reports without a place become errors
// naming the file and the field path:
//   a key given twice in one object ("x.json: train.lr: key given twice in one object";
//     plain parsing silently keeps the last value),
//   a number outside double's range ("x.json: train.lr: number out of range: 1e999
//     (line 3, column 11)"; plain parsing throws out_of_range without the file).
// Malformed JSON reads "x.json: malformed JSON at line L, column C: parse error ...".
#ifndef RUNNEL_TRAINER_CONFIG_STRICT_JSON_H_
#define RUNNEL_TRAINER_CONFIG_STRICT_JSON_H_

#include <string>

#include <nlohmann/json.hpp>

namespace runnel::config {

// Throws ConfigError prefixed with `name` (the file as the user named it).
nlohmann::json parse_strict_json(const std::string& text, const std::string& name);

}  // namespace runnel::config

#endif  // RUNNEL_TRAINER_CONFIG_STRICT_JSON_H_
