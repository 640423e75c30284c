#include "trainer/model/config_reader.h"

namespace runnel::model {

using config::ConfigError;

namespace {
std::string shown(const nlohmann::json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}
}  // namespace

ObjectReader::ObjectReader(const nlohmann::json& j, std::string path, std::initializer_list<const char*> allowed)
    : j_(j), path_(std::move(path)) {
  if (!j_.is_object()) throw ConfigError(path_ + ": expected an object, got " + shown(j_));
  for (auto it = j_.begin(); it != j_.end(); ++it) {
    bool known = false;
    std::string list;
    for (const char* a : allowed) {
      known = known || it.key() == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    if (!known) throw ConfigError(path_ + "." + it.key() + ": unknown field (expected one of " + list + ")");
  }
}

void ObjectReader::fail(const std::string& key, const std::string& expected) const {
  throw ConfigError(at(key) + ": expected " + expected + (has(key) ? ", got " + shown(j_.at(key)) : ""));
}

std::size_t ObjectReader::uint(const std::string& key, std::size_t def, std::size_t min, std::size_t max) const {
  if (!has(key)) return def;
  const auto& v = j_.at(key);
  const std::string expected = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!v.is_number_integer()) fail(key, expected);
  const long long x = v.get<long long>();
  if (x < static_cast<long long>(min) || x > static_cast<long long>(max)) fail(key, expected);
  return static_cast<std::size_t>(x);
}

std::size_t ObjectReader::required_uint(const std::string& key, std::size_t min, std::size_t max) const {
  if (!has(key)) throw ConfigError(at(key) + ": missing (expected an integer in [" + std::to_string(min) + ", " +
                                   std::to_string(max) + "])");
  return uint(key, 0, min, max);
}

double ObjectReader::number(const std::string& key, double def, double min, double max) const {
  if (!has(key)) return def;
  const auto& v = j_.at(key);
  const std::string expected = "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!v.is_number()) fail(key, expected);
  const double x = v.get<double>();
  if (!(x >= min && x <= max)) fail(key, expected);
  return x;
}

bool ObjectReader::boolean(const std::string& key, bool def) const {
  if (!has(key)) return def;
  if (!j_.at(key).is_boolean()) fail(key, "true or false");
  return j_.at(key).get<bool>();
}

std::string ObjectReader::string(const std::string& key, const std::string& def) const {
  if (!has(key)) return def;
  if (!j_.at(key).is_string()) fail(key, "a string");
  return j_.at(key).get<std::string>();
}

std::string ObjectReader::choice(const std::string& key, const std::string& def,
                                 const std::vector<std::string>& choices) const {
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  if (has(key) && !j_.at(key).is_string()) fail(key, "one of " + list);
  const std::string v = string(key, def);
  for (const auto& c : choices)
    if (v == c) return v;
  fail(key, "one of " + list);
}

std::vector<std::string> ObjectReader::strings(const std::string& key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const auto& v = j_.at(key);
  if (!v.is_array()) fail(key, "an array of strings");
  for (const auto& s : v) {
    if (!s.is_string()) fail(key, "an array of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::vector<std::size_t> ObjectReader::uints(const std::string& key) const {
  std::vector<std::size_t> out;
  if (!has(key)) return out;
  const auto& v = j_.at(key);
  if (!v.is_array()) fail(key, "an array of positive integers");
  for (const auto& s : v) {
    if (!s.is_number_integer() || s.get<long long>() < 1) fail(key, "an array of positive integers");
    out.push_back(s.get<std::size_t>());
  }
  return out;
}

}  // namespace runnel::model
