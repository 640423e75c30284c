// Named parameters: the trainable leaves of a model, in a fixed order (the order the
// exporter writes and the optimizers and shard reduction walk).
#ifndef RUNNEL_TRAINER_AUTOGRAD_PARAMETERS_H_
#define RUNNEL_TRAINER_AUTOGRAD_PARAMETERS_H_

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "trainer/autograd/tensor.h"

namespace runnel::ag {

template <class T>
class ParameterSet {
 public:
  // Adds a leaf named `name` (unique, e.g. "encoder.gru.w_ih") holding `value`.
  const Var<T>& add(const std::string& name, Array<T> value) {
    if (index_.count(name)) throw std::invalid_argument("parameter '" + name + "' added twice");
    index_[name] = params_.size();
    params_.push_back(leaf<T>(std::move(value), name));
    return params_.back();
  }

  const Var<T>& operator[](const std::string& name) const {
    const auto it = index_.find(name);
    if (it == index_.end()) throw std::out_of_range("no parameter named '" + name + "'");
    return params_[it->second];
  }
  bool contains(const std::string& name) const { return index_.count(name) != 0; }

  const std::vector<Var<T>>& all() const { return params_; }
  std::size_t size() const { return params_.size(); }
  std::size_t element_count() const {
    std::size_t n = 0;
    for (const auto& p : params_) n += p.size();
    return n;
  }

  void zero_grad() {
    for (auto& p : params_) p.zero_grad();
  }

  // Fresh leaves with copies of the current values and the same names, without
  // gradients: what one training shard differentiates, so shards never share a buffer.
  ParameterSet shadow() const {
    ParameterSet s;
    for (const auto& p : params_) s.add(p.name(), p.value());
    return s;
  }

 private:
  std::vector<Var<T>> params_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace runnel::ag

#endif  // RUNNEL_TRAINER_AUTOGRAD_PARAMETERS_H_
