#include "trainer/config/object_reader.h"

namespace runnel::config {

std::string shown(const nlohmann::json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

void fail_at(const std::string& field, const std::string& what) { throw ConfigError(field + ": " + what); }

namespace {
thread_local EffectiveConfig* t_recording = nullptr;

// "model.streams[0].encoder" -> "/model/streams/0/encoder".
nlohmann::json::json_pointer pointer_of(const std::string& field) {
  std::string p;
  for (char c : field) {
    if (c == '.' || c == '[') p += '/';
    else if (c == '~') p += "~0";
    else if (c == '/') p += "~1";
    else if (c != ']') p += c;
  }
  return nlohmann::json::json_pointer("/" + p);
}

std::string listed(const std::set<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}
}  // namespace

EffectiveConfig::EffectiveConfig() : outer_(t_recording) { t_recording = this; }
EffectiveConfig::~EffectiveConfig() { t_recording = outer_; }

void EffectiveConfig::record(const std::string& field, const nlohmann::json& value) {
  if (t_recording) t_recording->fields_.emplace_back(field, value);
}

nlohmann::json EffectiveConfig::applied_to(nlohmann::json given) const {
  for (const auto& [field, value] : fields_) given[pointer_of(field)] = value;
  return given;
}

ObjectReader::ObjectReader(const nlohmann::json& j, std::string path, const std::set<std::string>& allowed)
    : j_(j), path_(std::move(path)) {
  if (!j_.is_object()) fail_at(path_, "expected an object, got " + shown(j_));
  for (auto it = j_.begin(); it != j_.end(); ++it)
    if (!allowed.count(it.key())) fail_at(at(it.key()), "unknown field (expected one of " + listed(allowed) + ")");
}

void ObjectReader::fail(const std::string& key, const std::string& expected) const {
  fail_at(at(key), "expected " + expected + (has(key) ? ", got " + shown(j_.at(key)) : ""));
}

void ObjectReader::missing(const std::string& key, const std::string& expected) const {
  fail_at(at(key), "missing (expected " + expected + ")");
}

std::size_t ObjectReader::uint(const std::string& key, std::size_t def, std::size_t min, std::size_t max,
                               const std::string& expected) const {
  if (!has(key)) return recorded(key, def);
  const auto& v = j_.at(key);
  const bool ok = v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0);
  const std::uint64_t x = ok ? v.get<std::uint64_t>() : 0;
  if (!ok || x < min || x > max) {
    if (!expected.empty()) fail(key, expected);
    fail(key, max == kNoMax ? "an integer >= " + std::to_string(min)
                            : "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return recorded(key, static_cast<std::size_t>(x));
}

std::size_t ObjectReader::required_uint(const std::string& key, std::size_t min, std::size_t max) const {
  if (!has(key)) missing(key, "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return uint(key, 0, min, max);
}

double ObjectReader::number(const std::string& key, double def, double min, double max,
                            const std::string& expected) const {
  if (!has(key)) return recorded(key, def);
  const auto& v = j_.at(key);
  if (!v.is_number() || !(v.get<double>() >= min && v.get<double>() <= max))
    fail(key, !expected.empty() ? expected
                                : "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return recorded(key, v.get<double>());
}

bool ObjectReader::boolean(const std::string& key, bool def) const {
  if (!has(key)) return recorded(key, def);
  if (!j_.at(key).is_boolean()) fail(key, "true or false");
  return recorded(key, j_.at(key).get<bool>());
}

std::string ObjectReader::string(const std::string& key, const std::string& def, bool nonempty) const {
  if (!has(key)) return recorded(key, def);
  const auto& v = j_.at(key);
  if (!v.is_string() || (nonempty && v.get<std::string>().empty())) fail(key, nonempty ? "a non-empty string" : "a string");
  return recorded(key, v.get<std::string>());
}

std::string ObjectReader::required_string(const std::string& key, bool nonempty) const {
  if (!has(key)) missing(key, "a string");
  return string(key, "", nonempty);
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

std::vector<std::string> ObjectReader::strings(const std::string& key, const std::vector<std::string>& def) const {
  if (!has(key)) return recorded(key, def);
  const auto& v = j_.at(key);
  if (!v.is_array()) fail(key, "a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get<std::string>().empty())
      fail_at(at(key) + "[" + std::to_string(i) + "]", "expected a non-empty string, got " + shown(v[i]));
    out.push_back(v[i].get<std::string>());
  }
  return recorded(key, out);
}

std::vector<std::size_t> ObjectReader::uints(const std::string& key) const {
  std::vector<std::size_t> out;
  if (!has(key)) return recorded(key, out);
  const auto& v = j_.at(key);
  if (!v.is_array()) fail(key, "an array of positive integers");
  for (const auto& s : v) {
    if (!s.is_number_integer() || s.get<long long>() < 1) fail(key, "an array of positive integers");
    out.push_back(s.get<std::size_t>());
  }
  return recorded(key, out);
}

}  // namespace runnel::config
