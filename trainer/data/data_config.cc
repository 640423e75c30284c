#include "trainer/data/data_config.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "trainer/config/object_reader.h"
#include "trainer/data/event_log.h"
#include "trainer/data/synthetic_adding.h"
#include "trainer/data/synthetic_employees.h"
#include "trainer/data/synthetic_multitask.h"
#include "trainer/data/synthetic_posenc.h"
#include "trainer/data/synthetic_seq_tabular.h"

namespace runnel::data {
namespace {

using config::fail_at;
using config::ObjectReader;
using config::shown;
using nlohmann::json;
constexpr std::size_t kNoMax = ObjectReader::kNoMax;

std::vector<NumericColumn> read_numeric(const ObjectReader& r) {
  std::vector<NumericColumn> out;
  if (!r.has("numeric")) return out;
  const json& v = r.raw("numeric");
  const std::string p = r.at("numeric");
  if (!v.is_array()) r.fail("numeric", "a list of column names or {column, transform} objects");
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string pi = p + "[" + std::to_string(i) + "]";
    NumericColumn c;
    if (v[i].is_string()) {
      c.column = v[i].get<std::string>();
      if (c.column.empty()) fail_at(pi, "expected a non-empty string");
    } else if (v[i].is_object()) {
      const ObjectReader col(v[i], pi, {"column", "transform"});
      c.column = col.required_string("column", true);
      c.transform = col.choice("transform", "none", {"none", "log1p"});
    } else {
      fail_at(pi, "expected a column name or {column, transform}, got " + shown(v[i]));
    }
    out.push_back(c);
  }
  return out;
}

// data.split: {"train": a, "validation": b, "test": c}, fractions summing to 1;
// data.train_fraction f (older configs) is {f, 1 - f, 0}: no test part.
Split read_split_fractions(const ObjectReader& r) {
  Split s;
  if (r.has("train_fraction")) {
    if (r.has("split")) fail_at(r.at("train_fraction"), "give either split or train_fraction, not both");
    s.train = r.number("train_fraction", 0.8, 1e-9, 1.0, "a number in (0, 1]");
    s.validation = 1.0 - s.train;
    s.test = 0.0;
    return s;
  }
  if (!r.has("split")) return s;
  const ObjectReader v(r.raw("split"), r.at("split"), {"train", "validation", "test"});
  s.train = v.number("train", s.train, 1e-9, 1.0, "a number in (0, 1]");
  s.validation = v.number("validation", s.validation, 0.0, 1.0, "a number in [0, 1]");
  s.test = v.number("test", s.test, 0.0, 1.0, "a number in [0, 1]");
  const double sum = s.train + s.validation + s.test;
  if (std::abs(sum - 1.0) > 1e-6)
    fail_at(v.path(), "expected train + validation + test = 1, got " + std::to_string(sum) +
                          " (give all three when changing one)");
  return s;
}

// Split / vocab / window options shared by csv and synthetic_employees.
void read_log_options(const ObjectReader& r, EventLogOptions& o) {
  o.numeric_targets = r.boolean("numeric_targets", o.numeric_targets);
  o.split = read_split_fractions(r);
  o.max_vocab = r.uint("max_vocab", o.max_vocab, 0, kNoMax);
  o.min_count = r.uint("min_count", o.min_count, 1, kNoMax);
  o.window = r.uint("window", o.window, 1, 1 << 20);
  o.validation_context = r.uint("validation_context", 0, 0, o.window - 1);
  o.seed = r.uint("seed", o.seed, 0, kNoMax);
}

void read_columns(const ObjectReader& data, EventLogOptions& o, bool fields_required) {
  if (!data.has("columns")) {
    if (fields_required) data.missing("columns", "{entity, time, categorical, numeric}");
    return;
  }
  const ObjectReader r(data.raw("columns"), data.at("columns"), {"entity", "time", "categorical", "numeric"});
  o.entity = r.string("entity", o.entity, true);
  o.time = r.string("time", o.time, true);
  if (fields_required && !r.has("categorical")) r.missing("categorical", "a list of column names");
  o.fields = r.strings("categorical", o.fields);
  if (o.fields.empty()) fail_at(r.at("categorical"), "expected at least one categorical column");
  o.numeric = read_numeric(r);
}

const std::set<std::string> kLogKeys = {"kind", "numeric_targets", "split", "train_fraction", "max_vocab",
                                        "min_count", "window", "validation_context", "seed"};

SyntheticSplit read_split(const ObjectReader& r, SyntheticSplit s) {
  s.train = r.uint("train", s.train, 1, kNoMax);
  s.validation = r.uint("validation", s.validation, 0, kNoMax);
  s.seed = r.uint("seed", s.seed, 0, kNoMax);
  if (r.has("length")) {
    s.min_length = s.max_length = r.uint("length", 0, 1, 1 << 20);
    if (r.has("min_length") || r.has("max_length"))
      fail_at(r.at("length"), "give either length or min_length/max_length, not both");
  }
  s.min_length = r.uint("min_length", s.min_length, 1, 1 << 20);
  s.max_length = r.uint("max_length", std::max(s.max_length, s.min_length), 1, 1 << 20);
  if (s.max_length < s.min_length)
    fail_at(r.at("max_length"), "expected an integer >= min_length (" + std::to_string(s.min_length) +
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
  const char* kinds = "one of csv, synthetic_employees, seq_tabular, posenc, multitask, adding";
  if (!data.is_object()) fail_at(P, "expected an object, got " + shown(data));
  if (!data.contains("kind")) fail_at(P + ".kind", std::string("missing (expected ") + kinds + ")");
  const json& kv = data.at("kind");
  const std::string kind = kv.is_string() ? kv.get<std::string>() : "";

  if (kind == "csv") {
    const ObjectReader r(data, P, with(kLogKeys, {"path", "columns"}));
    EventLogOptions o;
    const std::string path = r.required_string("path", true);
    read_columns(r, o, true);
    read_log_options(r, o);
    const std::string full = join_path(base_dir, path);
    std::error_code ec;
    if (std::filesystem::is_directory(full, ec)) fail_at(r.at("path"), "'" + path + "' is a directory, expected a CSV file");
    if (!std::ifstream(full)) fail_at(r.at("path"), "cannot open '" + path + "' (relative paths resolve against the config's directory)");
    return std::make_unique<EventLogDataset>(read_event_log(full, o, path), o);
  }
  if (kind == "synthetic_employees") {
    const ObjectReader r(data, P, with(kLogKeys, {"employees", "days", "columns"}));
    EmployeeOptions g;
    g.employees = r.uint("employees", g.employees, 1, 100000);
    g.days = r.uint("days", g.days, 1, 100000);
    EventLogOptions o = employee_log_options();
    read_columns(r, o, false);
    read_log_options(r, o);
    g.seed = o.seed;
    return make_synthetic_employees(g, o);
  }
  if (kind == "seq_tabular") {
    const ObjectReader r(data, P, with(kSplitKeys, {"noise"}));
    SeqTabularOptions o;
    o.split = read_split(r, o.split);
    o.noise = static_cast<float>(r.number("noise", o.noise, 0, 1e6, "a number >= 0"));
    return std::make_unique<SeqTabularDataset>(o);
  }
  if (kind == "posenc") {
    const ObjectReader r(data, P, with(kSplitKeys, {"first_index", "second_index"}));
    PosencOptions o;
    o.split = read_split(r, o.split);
    if (o.split.min_length < 2) fail_at(r.at("min_length"), "expected an integer >= 2");
    const std::size_t hi = o.split.min_length - 1;
    o.first_index = r.uint("first_index", std::min(o.first_index, hi), 0, hi);
    o.second_index = r.uint("second_index", std::min(o.second_index, hi), 0, hi);
    return std::make_unique<PosencDataset>(o);
  }
  if (kind == "multitask") {
    const ObjectReader r(data, P, kSplitKeys);
    MultitaskOptions o;
    o.split = read_split(r, o.split);
    return std::make_unique<MultitaskDataset>(o);
  }
  if (kind == "adding") {
    const ObjectReader r(data, P, kSplitKeys);
    AddingOptions o;
    o.split = read_split(r, o.split);
    if (o.split.min_length < 2) fail_at(r.at("min_length"), "expected an integer >= 2");
    return std::make_unique<AddingDataset>(o);
  }
  fail_at(P + ".kind", std::string("expected ") + kinds + ", got " + shown(kv));
}

}  // namespace runnel::data
