// Calls f(layer) with the concrete layer of a node: one case per op of RUNNEL_OP_LIST
// (rnl_spec.h), generated from it, so the dispatch never needs editing for a new op.
#ifndef RUNNEL_ENGINE_NODE_DISPATCH_H_
#define RUNNEL_ENGINE_NODE_DISPATCH_H_

#include "engine/model.h"
#include "engine/op_select.h"

namespace runnel {

template <class F>
auto visit_layer(const Node& node, F&& f) {
  switch (node.op) {
#define RUNNEL_LAYER_CASE(name, snake, code)                        \
  case rnl::Op::k##name:                                            \
    if constexpr (op_compiled(rnl::Op::k##name)) return f(node.layer.snake); \
    break;
    RUNNEL_OP_LIST(RUNNEL_LAYER_CASE)
#undef RUNNEL_LAYER_CASE
  }
  // Model::load binds only ops of the list that this build compiled (the reader rejects
  // other codes, bind_all the ops outside RUNNEL_OP_MASK), and every op of the list has its
  // case above.
  __builtin_unreachable();
}

}  // namespace runnel

#endif  // RUNNEL_ENGINE_NODE_DISPATCH_H_
