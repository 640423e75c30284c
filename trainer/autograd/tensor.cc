#include "trainer/autograd/tensor.h"

#include <stdexcept>
#include <unordered_set>

#include <xtensor/xbuilder.hpp>

namespace runnel::ag {
namespace {
thread_local bool g_grad_enabled = true;
}  // namespace

bool grad_enabled() { return g_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }

namespace {
template <class T>
void check_grad_shape(const Node<T>& n, const Array<T>& g) {
  if (!std::equal(g.shape().begin(), g.shape().end(), n.value.shape().begin(), n.value.shape().end()))
    throw std::logic_error("gradient shape differs from value shape" +
                           (n.name.empty() ? std::string() : " for " + n.name));
}
}  // namespace

template <class T>
void Node<T>::accumulate(const Array<T>& g) {
  check_grad_shape(*this, g);
  if (has_grad) {
    grad += g;
  } else {
    grad = g;
    has_grad = true;
  }
}

template <class T>
void Node<T>::accumulate(Array<T>&& g) {
  check_grad_shape(*this, g);
  if (has_grad) {
    grad += g;
  } else {
    grad = std::move(g);
    has_grad = true;
  }
}

template <class T>
Array<T> Var<T>::grad() const {
  if (node_->has_grad) return node_->grad;
  return xt::zeros<T>(value().shape());
}

template <class T>
Var<T> constant(Array<T> value) {
  auto n = std::make_shared<Node<T>>();
  n->value = std::move(value);
  return Var<T>(std::move(n));
}

template <class T>
Var<T> leaf(Array<T> value, std::string name) {
  auto n = std::make_shared<Node<T>>();
  n->value = std::move(value);
  n->requires_grad = true;
  n->name = std::move(name);
  return Var<T>(std::move(n));
}

template <class T>
Var<T> record(Array<T> value, const std::vector<Var<T>>& inputs,
              typename Node<T>::BackwardFn backward) {
  auto n = std::make_shared<Node<T>>();
  n->value = std::move(value);
  if (!grad_enabled()) return Var<T>(std::move(n));
  for (const Var<T>& in : inputs)
    if (in.requires_grad()) n->requires_grad = true;
  if (n->requires_grad) {
    for (const Var<T>& in : inputs)
      if (in.requires_grad()) n->parents.push_back(in.node_ptr());
    n->backward = std::move(backward);
  }
  return Var<T>(std::move(n));
}

namespace {
// Post-order DFS without recursion: recurrent graphs can be thousands of nodes deep.
// Parents are visited in their recorded order, so the order (and therefore the order of
// floating-point accumulation) is the same on every run.
template <class T>
std::vector<Node<T>*> topological_order(Node<T>* root) {
  std::vector<Node<T>*> order;
  std::unordered_set<Node<T>*> seen{root};
  std::vector<std::pair<Node<T>*, std::size_t>> stack{{root, 0}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->parents.size()) {
      Node<T>* p = node->parents[next++].get();
      if (seen.insert(p).second) stack.emplace_back(p, 0);
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;  // inputs before the nodes that use them
}
}  // namespace

template <class T>
void backward(const Var<T>& root, const Array<T>& seed) {
  if (!root.requires_grad()) throw std::logic_error("backward: root does not require grad");
  root.node()->accumulate(seed);
  std::vector<Node<T>*> order = topological_order(root.node());
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node<T>* n = *it;
    if (n->backward && n->has_grad) n->backward(n->grad);
  }
}

template <class T>
void backward(const Var<T>& root) {
  if (root.size() != 1) throw std::logic_error("backward: root is not a scalar; pass a seed");
  backward(root, Array<T>(xt::ones<T>(root.value().shape())));
}

#define RUNNEL_INSTANTIATE(T)                                                            \
  template struct Node<T>;                                                               \
  template class Var<T>;                                                                 \
  template Var<T> constant(Array<T>);                                                    \
  template Var<T> leaf(Array<T>, std::string);                                           \
  template Var<T> record(Array<T>, const std::vector<Var<T>>&, Node<T>::BackwardFn);     \
  template void backward(const Var<T>&, const Array<T>&);                                \
  template void backward(const Var<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
