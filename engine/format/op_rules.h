// The per-op validation rules of the graph section: for every op code, how many inputs it
// takes, which hyper-parameters are legal, which tensors it needs with which shapes, and
// the width of the vector it outputs. One table (op_rules.cc) is the only place these are
// written down in code; FORMAT.md mirrors it in prose.
#ifndef RUNNEL_ENGINE_FORMAT_OP_RULES_H_
#define RUNNEL_ENGINE_FORMAT_OP_RULES_H_

#include <cstdint>

#include "engine/format/rnl_spec.h"
#include "engine/status.h"

namespace runnel {
namespace rnl {

// What a record's check may look at: the already validated header, tensor table and
// vocabularies, and the output widths of the records before it.
struct GraphContext {
  const RnlHeader* header = nullptr;
  const RnlRecord* records = nullptr;
  const RnlTensor* tensors = nullptr;
  const RnlVocab* vocabs = nullptr;
  const uint32_t* widths = nullptr;   // widths[j] for every j < the record's index
};

// Validates record `index` against the rules of its op and yields its output width.
// Statuses: kUnknownOp, kBadGraph (arity, input or tensor references, unused slots),
// kBadHyperParameter, kShapeMismatch, kLimitExceeded (width).
Status check_record(const GraphContext& graph, uint32_t index, uint32_t* width);

// "kDense", ...; nullptr for unknown codes.
const char* find_op_name(uint32_t op);

// Bit k set when hp[k] of `op` holds float32 bits (eps, alpha); 0 for unknown codes.
uint32_t float_hp_mask(uint32_t op);

// What hp[k] of an op means, for printing (runnel inspect): its name and how to read
// its value.
enum class HpType : uint8_t {
  kInt,           // an integer (a width, a count, a window)
  kF32,           // float32 bits (eps, alpha, scale)
  kField,         // a vocabulary (categorical field) index
  kNumeric,       // an index into the event's numeric values
  kStatic,        // an index into the static features
  kActivation,    // Activation
  kReduce,        // Reduce
  kPositionBias,  // PositionBias
  kOutputKind,    // OutputKind
};
struct HpInfo {
  const char* name = nullptr;
  HpType type = HpType::kInt;
};
// nullptr for unknown ops and hyper-parameters the op does not use.
const HpInfo* hp_info(uint32_t op, uint32_t k);

}  // namespace rnl
}  // namespace runnel

#endif  // RUNNEL_ENGINE_FORMAT_OP_RULES_H_
