// Which ops this build of the engine can run.
//
// A firmware that ships one model can compile only the ops that model uses, the way
// TensorFlow Lite Micro's op resolver does, but at compile time: `runnel embed` prints the
// model's mask (and writes it into the C array's header comment), the build passes
// -DRUNNEL_OP_MASK=<mask>. Bit `code` set = op with that code compiled in. Layers outside
// the mask are never referenced by the dispatch (node_dispatch.h, Model's binding), so the
// linker drops their code; Model::load refuses a file that needs one with kOpNotCompiled.
// Every other build keeps all ops.
#ifndef RUNNEL_ENGINE_OP_SELECT_H_
#define RUNNEL_ENGINE_OP_SELECT_H_

#include <cstdint>

#include "engine/format/rnl_spec.h"

#ifndef RUNNEL_OP_MASK
#define RUNNEL_OP_MASK 0xFFFFFFFFFFFFFFFFull
#endif

namespace runnel {

constexpr uint64_t kCompiledOps = static_cast<uint64_t>(RUNNEL_OP_MASK);

constexpr bool op_codes_fit_mask() {
  for (rnl::Op op : rnl::kOps)
    if (static_cast<uint32_t>(op) >= 64) return false;
  return true;
}
static_assert(op_codes_fit_mask(), "RUNNEL_OP_MASK has one bit per op code: every code must be below 64");

constexpr uint64_t op_bit(rnl::Op op) { return uint64_t{1} << static_cast<uint32_t>(op); }
constexpr bool op_compiled(rnl::Op op) { return (kCompiledOps & op_bit(op)) != 0; }

}  // namespace runnel

#endif  // RUNNEL_ENGINE_OP_SELECT_H_
