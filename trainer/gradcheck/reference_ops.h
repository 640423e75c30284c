// The table from a reference file's "op" name to an autograd function of its inputs.
#ifndef RUNNEL_TRAINER_GRADCHECK_REFERENCE_OPS_H_
#define RUNNEL_TRAINER_GRADCHECK_REFERENCE_OPS_H_

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/gradcheck/compare.h"

namespace runnel::gradcheck {

// What an op builder may read from a case. Accessors throw CaseError naming the field.
class CaseContext {
 public:
  CaseContext(std::string name, const nlohmann::json& attrs, const nlohmann::json& int_inputs,
              std::vector<std::string> input_names);
  std::size_t input(const std::string& name) const;        // position among the VarFn's inputs
  bool has_input(const std::string& name) const;
  double attr_number(const std::string& key) const;
  double attr_number(const std::string& key, double fallback) const;
  const nlohmann::json& attr(const std::string& key) const;
  Array<double> attr_tensor(const std::string& key) const;  // {"shape", "data"} attribute
  xt::xarray<std::int64_t> int_input(const std::string& key) const;
  [[noreturn]] void fail(const std::string& field, const std::string& what) const;

 private:
  std::string name_;
  const nlohmann::json& attrs_;
  const nlohmann::json& int_inputs_;
  std::vector<std::string> input_names_;
};

struct CaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using OpBuilder = VarFn (*)(const CaseContext&);
const std::map<std::string, OpBuilder>& reference_ops();

// {"shape": [...], "data": [...]} -> array; `where` names the field in errors.
Array<double> parse_tensor(const nlohmann::json& j, const std::string& where);

}  // namespace runnel::gradcheck

#endif  // RUNNEL_TRAINER_GRADCHECK_REFERENCE_OPS_H_
