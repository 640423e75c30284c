// Reading one JSON object of the "model" config section with errors that name the field
// path and what was expected (ConfigError), and rejecting unknown keys.
#ifndef RUNNEL_TRAINER_MODEL_CONFIG_READER_H_
#define RUNNEL_TRAINER_MODEL_CONFIG_READER_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/config/config_error.h"

namespace runnel::model {

class ObjectReader {
 public:
  // `path` is how the object is named in errors, e.g. "model.streams[1].encoder".
  ObjectReader(const nlohmann::json& j, std::string path, std::initializer_list<const char*> allowed);

  const std::string& path() const { return path_; }
  std::string at(const std::string& key) const { return path_ + "." + key; }
  bool has(const std::string& key) const { return j_.contains(key); }
  const nlohmann::json& raw(const std::string& key) const { return j_.at(key); }

  std::size_t uint(const std::string& key, std::size_t def, std::size_t min = 0, std::size_t max = 1u << 20) const;
  std::size_t required_uint(const std::string& key, std::size_t min = 0, std::size_t max = 1u << 20) const;
  double number(const std::string& key, double def, double min, double max) const;
  bool boolean(const std::string& key, bool def) const;
  std::string string(const std::string& key, const std::string& def) const;
  std::string choice(const std::string& key, const std::string& def, const std::vector<std::string>& choices) const;
  std::vector<std::string> strings(const std::string& key) const;   // absent: empty
  std::vector<std::size_t> uints(const std::string& key) const;     // absent: empty

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

 private:
  const nlohmann::json& j_;
  std::string path_;
};

}  // namespace runnel::model

#endif  // RUNNEL_TRAINER_MODEL_CONFIG_READER_H_
