// Variables and the tape: a Var is a value (xtensor array) plus, when it takes part in
// differentiation, a node remembering its inputs and how to send a gradient back to them.
// backward() orders the recorded nodes topologically and runs each node's backward once.
#ifndef RUNNEL_TRAINER_AUTOGRAD_TENSOR_H_
#define RUNNEL_TRAINER_AUTOGRAD_TENSOR_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <utility>

#include <xtensor/xarray.hpp>

namespace runnel::ag {

template <class T>
using Array = xt::xarray<T>;
using Shape = std::vector<std::size_t>;

// Gradient recording is per thread, so a no-grad evaluation on one thread never
// changes what a training shard on another thread records.
bool grad_enabled();
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

template <class T>
struct Node {
  using BackwardFn = std::function<void(const Array<T>& grad_out)>;
  Array<T> value;
  Array<T> grad;  // meaningful once has_grad is set
  bool has_grad = false;
  bool requires_grad = false;
  std::string name;  // parameters only: the name the exporter writes
  std::vector<std::shared_ptr<Node>> parents;
  BackwardFn backward;  // empty for leaves

  void accumulate(const Array<T>& g);
  void accumulate(Array<T>&& g);  // takes the buffer over when it is the first gradient
};

template <class T>
class Var {
 public:
  Var() = default;
  explicit Var(std::shared_ptr<Node<T>> node) : node_(std::move(node)) {}

  bool defined() const { return node_ != nullptr; }
  const Array<T>& value() const { return node_->value; }
  Array<T>& mutable_value() { return node_->value; }  // optimizers update leaves in place
  // Zeros of the value's shape when no gradient has arrived.
  Array<T> grad() const;
  bool has_grad() const { return node_->has_grad; }
  Array<T>& grad_buffer() { return node_->grad; }
  bool requires_grad() const { return node_ && node_->requires_grad; }
  const std::string& name() const { return node_->name; }
  Shape shape() const { return Shape(value().shape().begin(), value().shape().end()); }
  std::size_t dim() const { return value().dimension(); }
  std::size_t size() const { return value().size(); }
  void zero_grad() { node_->grad = Array<T>(); node_->has_grad = false; }
  Node<T>* node() const { return node_.get(); }
  const std::shared_ptr<Node<T>>& node_ptr() const { return node_; }

  // Adds g to this variable's gradient if it wants one (the call every backward uses).
  void accumulate(const Array<T>& g) const {
    if (requires_grad()) node_->accumulate(g);
  }
  void accumulate(Array<T>&& g) const {
    if (requires_grad()) node_->accumulate(std::move(g));
  }

 private:
  std::shared_ptr<Node<T>> node_;
};

// A value that is never differentiated (inputs, targets, fixed biases).
template <class T>
Var<T> constant(Array<T> value);
// A differentiable leaf; `name` is what the exporter writes for parameters.
template <class T>
Var<T> leaf(Array<T> value, std::string name = "");

// Records an op result: if gradients are enabled and any input wants one, the result
// keeps its inputs and `backward`; otherwise it is a plain constant.
template <class T>
Var<T> record(Array<T> value, const std::vector<Var<T>>& inputs,
              typename Node<T>::BackwardFn backward);

// Reverse-mode pass from `root`, seeded with `seed` (same shape as root's value).
// Gradients add into leaves, so several backward calls accumulate.
template <class T>
void backward(const Var<T>& root, const Array<T>& seed);
// Scalar root: seed 1.
template <class T>
void backward(const Var<T>& root);

}  // namespace runnel::ag

#endif  // RUNNEL_TRAINER_AUTOGRAD_TENSOR_H_
