#include "trainer/gradcheck/reference.h"

#include <cmath>
#include <stdexcept>

#include "trainer/gradcheck/reference_ops.h"

namespace runnel::gradcheck {
namespace {
using nlohmann::json;

const json& field(const json& c, const char* key, const std::string& where) {
  if (!c.is_object() || !c.contains(key)) throw CaseError(where + ": field '" + key + "' missing");
  return c.at(key);
}

// Parses and runs one case; throws CaseError on anything malformed.
CaseResult run_checked(const json& c, const std::string& name, bool with_fd) {
  CaseResult r;
  r.name = name;
  const std::string where = "case '" + name + "'";
  const json& op = field(c, "op", where);
  if (!op.is_string()) throw CaseError(where + ": field 'op': expected a string");
  r.op = op.get<std::string>();
  const auto& table = reference_ops();
  const auto builder = table.find(r.op);
  if (builder == table.end()) throw CaseError(where + ": field 'op': unknown op '" + r.op + "'");

  const json& inputs = field(c, "inputs", where);
  const json& grads = field(c, "grads", where);
  if (!inputs.is_object() || !grads.is_object()) throw CaseError(where + ": 'inputs' and 'grads' must be objects");
  std::vector<std::string> names;
  std::vector<Array<double>> values;
  for (const auto& [key, tensor] : inputs.items()) {
    names.push_back(key);
    values.push_back(parse_tensor(tensor, where + ": field 'inputs." + key + "'"));
  }
  static const json kEmpty = json::object();
  const CaseContext ctx(name, c.contains("attrs") ? c["attrs"] : kEmpty,
                        c.contains("int_inputs") ? c["int_inputs"] : kEmpty, names);
  const VarFn f = builder->second(ctx);
  const Array<double> want_out = parse_tensor(field(c, "output", where), where + ": field 'output'");
  const Array<double> grad_out = parse_tensor(field(c, "grad_output", where), where + ": field 'grad_output'");

  Array<double> got_out;
  std::vector<Array<double>> got;
  try {
    got = autograd_vjp(f, values, grad_out, &got_out);
  } catch (const std::invalid_argument& e) {  // shape errors from the ops
    throw CaseError(where + ": " + e.what());
  } catch (const std::logic_error& e) {
    throw CaseError(where + ": field 'grad_output': " + e.what());
  }
  r.output = compare(got_out, want_out);
  r.ok = r.output.shape_ok && r.output.max_rel <= kTolerance;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string gw = where + ": field 'grads." + names[k] + "'";
    const ErrorStats s = compare(got[k], parse_tensor(field(grads, names[k].c_str(), where + ": field 'grads'"), gw));
    r.grads.emplace_back(names[k], s);
    r.ok = r.ok && s.shape_ok && s.max_rel <= kTolerance;
  }
  if (with_fd) {
    r.has_fd = true;
    r.fd = check_finite_differences(f, values);
    r.ok = r.ok && r.fd.max_rel <= kTolerance;
  }
  return r;
}

json stats_json(const ErrorStats& s) {
  const auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  json j = {{"max_abs", num(s.max_abs)}, {"max_rel", num(s.max_rel)}};
  if (!s.shape_ok) j["shape_mismatch"] = true;
  return j;
}

}  // namespace

std::vector<std::string> known_ops() {
  std::vector<std::string> names;
  for (const auto& [name, builder] : reference_ops()) names.push_back(name);
  return names;
}

CaseResult run_case(const json& c, std::size_t index, bool with_fd) {
  std::string name = "#" + std::to_string(index);
  if (c.is_object() && c.contains("name") && c["name"].is_string()) name = c["name"].get<std::string>();
  try {
    return run_checked(c, name, with_fd);
  } catch (const std::exception& e) {  // CaseError, or a JSON type error deep in a field
    CaseResult r;
    r.name = name;
    if (c.is_object() && c.contains("op") && c["op"].is_string()) r.op = c["op"].get<std::string>();
    r.error = e.what();
    return r;
  }
}

std::vector<CaseResult> run_file(const json& file, bool with_fd) {
  if (!file.is_object()) throw std::runtime_error("reference file: top level must be an object");
  if (file.value("format", "") != "runnel-gradref-1")
    throw std::runtime_error("reference file: field 'format' must be \"runnel-gradref-1\"");
  if (file.value("dtype", "") != "float64") throw std::runtime_error("reference file: field 'dtype' must be \"float64\"");
  if (!file.contains("cases") || !file["cases"].is_array())
    throw std::runtime_error("reference file: field 'cases' must be an array");
  std::vector<CaseResult> results;
  for (std::size_t i = 0; i < file["cases"].size(); ++i) results.push_back(run_case(file["cases"][i], i, with_fd));
  return results;
}

json to_json(const CaseResult& r) {
  json j = {{"name", r.name}, {"op", r.op}, {"ok", r.ok}};
  if (!r.error.empty()) {
    j["error"] = r.error;
    return j;
  }
  j["output"] = stats_json(r.output);
  json g = json::object();
  for (const auto& [name, s] : r.grads) g[name] = stats_json(s);
  j["grads"] = g;
  if (r.has_fd) j["finite_diff"] = stats_json(r.fd);
  return j;
}

json summary_json(const std::vector<CaseResult>& results) {
  std::size_t passed = 0;
  double worst = 0;
  std::vector<std::string> failed;
  for (const CaseResult& r : results) {
    if (r.ok) ++passed;
    else failed.push_back(r.name);
    if (r.error.empty()) {
      worst = std::max(worst, r.output.max_rel);
      for (const auto& [name, s] : r.grads) worst = std::max(worst, s.max_rel);
    }
  }
  return {{"summary", true},   {"cases", results.size()}, {"passed", passed},
          {"failed", failed.size()}, {"failed_cases", failed}, {"worst_rel", worst},
          {"tolerance", kTolerance}, {"ok", failed.empty() && !results.empty()}};
}

}  // namespace runnel::gradcheck
