// Calls f(layer) with the concrete layer of a node: the switch generated from
// RUNNEL_LAYER_TABLE, so adding an op to the table is the only place to touch.
#ifndef RUNNEL_ENGINE_NODE_DISPATCH_H_
#define RUNNEL_ENGINE_NODE_DISPATCH_H_

#include "engine/model.h"

namespace runnel {

template <class F>
auto visit_layer(const Node& node, F&& f) {
  switch (node.op) {
#define RUNNEL_LAYER_CASE(op, type, member) \
  case rnl::Op::op:                         \
    return f(node.layer.member);
    RUNNEL_LAYER_TABLE(RUNNEL_LAYER_CASE)
#undef RUNNEL_LAYER_CASE
    default:
      break;
  }
  return f(node.layer.output);  // unreachable: load() binds only ops of the table
}

}  // namespace runnel

#endif  // RUNNEL_ENGINE_NODE_DISPATCH_H_
