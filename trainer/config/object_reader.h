// The one reader of config JSON: every section ("data", "model", "train", the top level)
// reads its fields through it, so every error has one shape:
//   "<path>.<field>: expected <what>, got <value>"    a wrong value
//   "<path>.<field>: missing (expected <what>)"        a required field left out
//   "<path>.<field>: unknown field (expected one of <allowed, sorted>)"
// and config_file.h prefixes the file name.
#ifndef RUNNEL_TRAINER_CONFIG_OBJECT_READER_H_
#define RUNNEL_TRAINER_CONFIG_OBJECT_READER_H_

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/config/config_error.h"

namespace runnel::config {

// A value as errors show it: its JSON text, cut to 60 characters.
std::string shown(const nlohmann::json& v);

// Throws ConfigError("<field>: <what>").
[[noreturn]] void fail_at(const std::string& field, const std::string& what);

// While one is alive on a thread, every field an ObjectReader on that thread reads is
// recorded with its effective value (as given, or the default it fell back to), so the
// effective configuration can be written beside a run (summary.json).
class EffectiveConfig {
 public:
  EffectiveConfig();
  ~EffectiveConfig();
  EffectiveConfig(const EffectiveConfig&) = delete;
  EffectiveConfig& operator=(const EffectiveConfig&) = delete;

  // `given` with every recorded field set to the value it had.
  nlohmann::json applied_to(nlohmann::json given) const;
  // Called by ObjectReader: `field` is a path such as "model.streams[0].encoder.kind".
  static void record(const std::string& field, const nlohmann::json& value);

 private:
  EffectiveConfig* outer_;
  std::vector<std::pair<std::string, nlohmann::json>> fields_;
};

class ObjectReader {
 public:
  static constexpr std::size_t kNoMax = SIZE_MAX;

  // `path` is how the object is named in errors, e.g. "model.streams[1].encoder" ("" for
  // the top level). Throws unless `j` is an object whose keys are all in `allowed`.
  ObjectReader(const nlohmann::json& j, std::string path, const std::set<std::string>& allowed);

  const std::string& path() const { return path_; }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  bool has(const std::string& key) const { return j_.contains(key); }
  const nlohmann::json& raw(const std::string& key) const { return j_.at(key); }

  // Absent: `def`. `expected` names the accepted values in errors; empty means "an integer
  // in [min, max]" ("an integer >= min" when max is kNoMax) or "a number in [min, max]".
  std::size_t uint(const std::string& key, std::size_t def, std::size_t min = 0, std::size_t max = 1u << 20,
                   const std::string& expected = "") const;
  std::size_t required_uint(const std::string& key, std::size_t min = 0, std::size_t max = 1u << 20) const;
  double number(const std::string& key, double def, double min, double max, const std::string& expected = "") const;
  bool boolean(const std::string& key, bool def) const;
  // nonempty: "" is refused ("a non-empty string").
  std::string string(const std::string& key, const std::string& def, bool nonempty = false) const;
  std::string required_string(const std::string& key, bool nonempty = false) const;
  std::string choice(const std::string& key, const std::string& def, const std::vector<std::string>& choices) const;
  // Absent: `def`. Each element a non-empty string; errors name the element ("fields[1]").
  std::vector<std::string> strings(const std::string& key, const std::vector<std::string>& def = {}) const;
  std::vector<std::size_t> uints(const std::string& key) const;     // absent: empty

  // "<path>.<key>: expected <expected>[, got <value>]".
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;
  // "<path>.<key>: missing (expected <expected>)".
  [[noreturn]] void missing(const std::string& key, const std::string& expected) const;

 private:
  template <class T>
  const T& recorded(const std::string& key, const T& value) const {
    EffectiveConfig::record(at(key), value);
    return value;
  }

  const nlohmann::json& j_;
  std::string path_;
};

}  // namespace runnel::config

#endif  // RUNNEL_TRAINER_CONFIG_OBJECT_READER_H_
