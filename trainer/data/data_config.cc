#include "trainer/data/data_config.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "trainer/config/config_error.h"
#include "trainer/data/event_log.h"
#include "trainer/data/synthetic_adding.h"
#include "trainer/data/synthetic_employees.h"
#include "trainer/data/synthetic_multitask.h"
#include "trainer/data/synthetic_posenc.h"
#include "trainer/data/synthetic_seq_tabular.h"

namespace runnel::data {
namespace {

using config::ConfigError;
using nlohmann::json;

std::string shown(const json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ConfigError(path + ": " + what);
}

void check_object(const json& j, const std::string& path) {
  if (!j.is_object()) fail(path, "expected an object, got " + shown(j));
}

void check_keys(const json& j, const std::string& path, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : j.items()) {
    (void)value;
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(path + "." + key, "unknown field (expected one of " + list + ")");
    }
  }
}

std::string get_string(const json& j, const std::string& key, const std::string& path,
                       const std::string* fallback) {
  if (!j.contains(key)) {
    if (fallback) return *fallback;
    fail(path + "." + key, "missing (expected a string)");
  }
  const json& v = j.at(key);
  if (!v.is_string() || v.get<std::string>().empty())
    fail(path + "." + key, "expected a non-empty string, got " + shown(v));
  return v.get<std::string>();
}

std::size_t get_size(const json& j, const std::string& key, const std::string& path,
                     std::size_t fallback, std::size_t min = 0, std::size_t max = SIZE_MAX) {
  if (!j.contains(key)) return fallback;
  const json& v = j.at(key);
  bool ok = v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0);
  std::size_t x = ok ? v.get<std::size_t>() : 0;
  if (!ok || x < min || x > max) {
    std::string range = max == SIZE_MAX ? "an integer >= " + std::to_string(min)
                                        : "an integer in [" + std::to_string(min) + ", " +
                                              std::to_string(max) + "]";
    fail(path + "." + key, "expected " + range + ", got " + shown(v));
  }
  return x;
}

double get_number(const json& j, const std::string& key, const std::string& path,
                  double fallback, double lo, double hi, const std::string& range) {
  if (!j.contains(key)) return fallback;
  const json& v = j.at(key);
  if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi))
    fail(path + "." + key, "expected " + range + ", got " + shown(v));
  return v.get<double>();
}

bool get_bool(const json& j, const std::string& key, const std::string& path, bool fallback) {
  if (!j.contains(key)) return fallback;
  if (!j.at(key).is_boolean()) fail(path + "." + key, "expected true or false, got " + shown(j.at(key)));
  return j.at(key).get<bool>();
}

std::vector<std::string> get_strings(const json& j, const std::string& key, const std::string& path,
                                     const std::vector<std::string>& fallback, bool required) {
  if (!j.contains(key)) {
    if (required) fail(path + "." + key, "missing (expected a list of column names)");
    return fallback;
  }
  const json& v = j.at(key);
  if (!v.is_array()) fail(path + "." + key, "expected a list of strings, got " + shown(v));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get<std::string>().empty())
      fail(path + "." + key + "[" + std::to_string(i) + "]",
           "expected a non-empty string, got " + shown(v[i]));
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::vector<NumericColumn> get_numeric(const json& j, const std::string& path) {
  std::vector<NumericColumn> out;
  if (!j.contains("numeric")) return out;
  const json& v = j.at("numeric");
  const std::string p = path + ".numeric";
  if (!v.is_array()) fail(p, "expected a list of column names or {column, transform} objects, got " + shown(v));
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string pi = p + "[" + std::to_string(i) + "]";
    NumericColumn c;
    if (v[i].is_string()) {
      c.column = v[i].get<std::string>();
      if (c.column.empty()) fail(pi, "expected a non-empty string");
    } else if (v[i].is_object()) {
      check_keys(v[i], pi, {"column", "transform"});
      c.column = get_string(v[i], "column", pi, nullptr);
      static const std::string none = "none";
      c.transform = get_string(v[i], "transform", pi, &none);
      if (c.transform != "none" && c.transform != "log1p")
        fail(pi + ".transform", "expected one of none, log1p, got '" + c.transform + "'");
    } else {
      fail(pi, "expected a column name or {column, transform}, got " + shown(v[i]));
    }
    out.push_back(c);
  }
  return out;
}

// data.split: {"train": a, "validation": b, "test": c}, fractions summing to 1;
// data.train_fraction f (older configs) is {f, 1 - f, 0}: no test part.
Split read_split_fractions(const json& j, const std::string& path) {
  Split s;
  if (j.contains("train_fraction")) {
    if (j.contains("split")) fail(path + ".train_fraction", "give either split or train_fraction, not both");
    s.train = get_number(j, "train_fraction", path, 0.8, 1e-9, 1.0, "a number in (0, 1]");
    s.validation = 1.0 - s.train;
    s.test = 0.0;
    return s;
  }
  if (!j.contains("split")) return s;
  const std::string p = path + ".split";
  const json& v = j.at("split");
  check_object(v, p);
  check_keys(v, p, {"train", "validation", "test"});
  s.train = get_number(v, "train", p, s.train, 1e-9, 1.0, "a number in (0, 1]");
  s.validation = get_number(v, "validation", p, s.validation, 0.0, 1.0, "a number in [0, 1]");
  s.test = get_number(v, "test", p, s.test, 0.0, 1.0, "a number in [0, 1]");
  const double sum = s.train + s.validation + s.test;
  if (std::abs(sum - 1.0) > 1e-6)
    fail(p, "expected train + validation + test = 1, got " + std::to_string(sum) +
                " (give all three when changing one)");
  return s;
}

// Split / vocab / window options shared by csv and synthetic_employees.
void read_log_options(const json& j, const std::string& path, EventLogOptions& o) {
  o.numeric_targets = get_bool(j, "numeric_targets", path, o.numeric_targets);
  o.split = read_split_fractions(j, path);
  o.max_vocab = get_size(j, "max_vocab", path, o.max_vocab);
  o.min_count = get_size(j, "min_count", path, o.min_count, 1);
  o.window = get_size(j, "window", path, o.window, 1, 1 << 20);
  o.validation_context = get_size(j, "validation_context", path, 0, 0, o.window - 1);
  o.seed = get_size(j, "seed", path, o.seed);
}

void read_columns(const json& j, const std::string& path, EventLogOptions& o, bool fields_required) {
  check_object(j, path);
  check_keys(j, path, {"entity", "time", "categorical", "numeric"});
  o.entity = get_string(j, "entity", path, &o.entity);
  o.time = get_string(j, "time", path, &o.time);
  o.fields = get_strings(j, "categorical", path, o.fields, fields_required);
  if (o.fields.empty()) fail(path + ".categorical", "expected at least one categorical column");
  o.numeric = get_numeric(j, path);
}

const std::set<std::string> kLogKeys = {"kind", "numeric_targets", "split", "train_fraction", "max_vocab",
                                        "min_count", "window", "validation_context", "seed"};

SyntheticSplit read_split(const json& j, const std::string& path, SyntheticSplit s) {
  s.train = get_size(j, "train", path, s.train, 1);
  s.validation = get_size(j, "validation", path, s.validation, 0);
  s.seed = get_size(j, "seed", path, s.seed);
  if (j.contains("length")) {
    s.min_length = s.max_length = get_size(j, "length", path, 0, 1, 1 << 20);
    if (j.contains("min_length") || j.contains("max_length"))
      fail(path + ".length", "give either length or min_length/max_length, not both");
  }
  s.min_length = get_size(j, "min_length", path, s.min_length, 1, 1 << 20);
  s.max_length = get_size(j, "max_length", path, std::max(s.max_length, s.min_length), 1, 1 << 20);
  if (s.max_length < s.min_length)
    fail(path + ".max_length", "expected an integer >= min_length (" + std::to_string(s.min_length) +
                                   "), got " + std::to_string(s.max_length));
  return s;
}

std::set<std::string> with(std::set<std::string> a, const std::set<std::string>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

const std::set<std::string> kSplitKeys = {"kind", "train", "validation", "seed", "length",
                                          "min_length", "max_length"};

std::string join_path(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  return base_dir.back() == '/' ? base_dir + path : base_dir + "/" + path;
}

}  // namespace

std::unique_ptr<Dataset> make_dataset(const json& data, const std::string& base_dir) {
  const std::string P = "data";
  check_object(data, P);
  if (!data.contains("kind")) fail(P + ".kind", "missing (expected one of csv, synthetic_employees, seq_tabular, posenc, multitask, adding)");
  const json& kv = data.at("kind");
  const std::string kind = kv.is_string() ? kv.get<std::string>() : "";

  if (kind == "csv") {
    check_keys(data, P, with(kLogKeys, {"path", "columns"}));
    EventLogOptions o;
    const std::string path = get_string(data, "path", P, nullptr);
    if (!data.contains("columns")) fail(P + ".columns", "missing (expected {entity, time, categorical, numeric})");
    read_columns(data.at("columns"), P + ".columns", o, true);
    read_log_options(data, P, o);
    const std::string full = join_path(base_dir, path);
    std::error_code ec;
    if (std::filesystem::is_directory(full, ec)) fail(P + ".path", "'" + path + "' is a directory, expected a CSV file");
    if (!std::ifstream(full)) fail(P + ".path", "cannot open '" + path + "' (relative paths resolve against the config's directory)");
    return std::make_unique<EventLogDataset>(read_event_log(full, o, path), o);
  }
  if (kind == "synthetic_employees") {
    check_keys(data, P, with(kLogKeys, {"employees", "days", "columns"}));
    EmployeeOptions g;
    g.employees = get_size(data, "employees", P, g.employees, 1, 100000);
    g.days = get_size(data, "days", P, g.days, 1, 100000);
    EventLogOptions o = employee_log_options();
    if (data.contains("columns")) read_columns(data.at("columns"), P + ".columns", o, false);
    read_log_options(data, P, o);
    g.seed = o.seed;
    return make_synthetic_employees(g, o);
  }
  if (kind == "seq_tabular") {
    check_keys(data, P, with(kSplitKeys, {"noise"}));
    SeqTabularOptions o;
    o.split = read_split(data, P, o.split);
    o.noise = static_cast<float>(get_number(data, "noise", P, o.noise, 0, 1e6, "a number >= 0"));
    return std::make_unique<SeqTabularDataset>(o);
  }
  if (kind == "posenc") {
    check_keys(data, P, with(kSplitKeys, {"first_index", "second_index"}));
    PosencOptions o;
    o.split = read_split(data, P, o.split);
    if (o.split.min_length < 2) fail(P + ".min_length", "expected an integer >= 2");
    const std::size_t hi = o.split.min_length - 1;
    o.first_index = get_size(data, "first_index", P, std::min(o.first_index, hi), 0, hi);
    o.second_index = get_size(data, "second_index", P, std::min(o.second_index, hi), 0, hi);
    return std::make_unique<PosencDataset>(o);
  }
  if (kind == "multitask") {
    check_keys(data, P, kSplitKeys);
    MultitaskOptions o;
    o.split = read_split(data, P, o.split);
    return std::make_unique<MultitaskDataset>(o);
  }
  if (kind == "adding") {
    check_keys(data, P, kSplitKeys);
    AddingOptions o;
    o.split = read_split(data, P, o.split);
    if (o.split.min_length < 2) fail(P + ".min_length", "expected an integer >= 2");
    return std::make_unique<AddingDataset>(o);
  }
  fail(P + ".kind", "expected one of csv, synthetic_employees, seq_tabular, posenc, multitask, adding, got " + shown(kv));
}

}  // namespace runnel::data
