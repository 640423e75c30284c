// A model ready to run: a validated .rnl file with every record bound to its streaming
// layer, and the memory plan that says how many bytes the caller must hand in.
//
//   runnel::Model model;                              // keep it static on a device
//   Status s = model.load(file_bytes, file_size);     // validates; 64-byte aligned bytes
//   model.scratch_bytes();  model.session_bytes();    // known before any event
//
// The file bytes are read in place and must outlive the Model. Nothing here allocates,
// throws or prints.
#ifndef RUNNEL_ENGINE_MODEL_H_
#define RUNNEL_ENGINE_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "engine/format/rnl_reader.h"
#include "engine/layers/activation.h"
#include "engine/layers/add.h"
#include "engine/layers/attention_pool.h"
#include "engine/layers/concat.h"
#include "engine/layers/conv1d.h"
#include "engine/layers/copy_head.h"
#include "engine/layers/cross_attention.h"
#include "engine/layers/cumulative.h"
#include "engine/layers/dense.h"
#include "engine/layers/embed.h"
#include "engine/layers/exp_decay.h"
#include "engine/layers/gru.h"
#include "engine/layers/l2_normalize.h"
#include "engine/layers/layer_norm.h"
#include "engine/layers/learned_pos_weights.h"
#include "engine/layers/linear_decay.h"
#include "engine/layers/lstm.h"
#include "engine/layers/numeric.h"
#include "engine/layers/output.h"
#include "engine/layers/pos_learned.h"
#include "engine/layers/pos_sinusoidal.h"
#include "engine/layers/self_attention.h"
#include "engine/layers/static_input.h"
#include "engine/layers/time_embed.h"
#include "engine/status.h"

// Records a Model can bind: sizeof(Model) is about RUNNEL_MAX_NODES * (sizeof(Node) + 4)
// bytes (220 + 4 on a 32-bit core). Set on the command line to bound it (the reader's
// widths table follows it: format/rnl_reader.h); firmware builds default to 64
// (engine/CMakeLists.txt, tools/toolchains/BUILD).
#ifndef RUNNEL_MAX_NODES
#define RUNNEL_MAX_NODES 256
#endif

namespace runnel {

// Declared here so that a missing layer is this static_assert's message, not an unknown name.
namespace layers {
#define RUNNEL_LAYER_DECLARE(name, snake, code) struct name;
RUNNEL_OP_LIST(RUNNEL_LAYER_DECLARE)
#undef RUNNEL_LAYER_DECLARE
}  // namespace layers

#define RUNNEL_LAYER_CHECK(name, snake, code)                                              \
  static_assert(rnl::is_complete<layers::name>::value,                                     \
                "op k" #name " needs its engine layer: struct layers::" #name " in engine/layers/" #snake \
                ".h, included by engine/model.h");                                          \
  static_assert(std::is_base_of<layers::LayerBase, layers::name>::value,                   \
                "layers::" #name " must derive from layers::LayerBase (engine/layers/layer.h)");
RUNNEL_OP_LIST(RUNNEL_LAYER_CHECK)
#undef RUNNEL_LAYER_CHECK

// One record bound to its layer, with where its output and state live.
struct Node {
  rnl::Op op = rnl::Op::kAdd;
  uint32_t n_in = 0;
  uint32_t in[rnl::kRecordInputs] = {};
  uint32_t width = 0;          // output floats
  size_t out_offset = 0;       // floats: into scratch (activations), or into the session
                               // output area for kOutput
  size_t state_offset = 0;     // floats into the session's state area
  // One member per op of RUNNEL_OP_LIST (rnl_spec.h): layers::Name named snake_name.
  union Layer {
    Layer() : none() {}
    char none;
#define RUNNEL_LAYER_MEMBER(name, snake, code) layers::name snake;
    RUNNEL_OP_LIST(RUNNEL_LAYER_MEMBER)
#undef RUNNEL_LAYER_MEMBER
  } layer;
};

// What a caller needs to read one output.
struct OutputInfo {
  uint32_t node = 0;
  rnl::OutputKind kind = rnl::OutputKind::kCategorical;
  int field = -1;              // categorical: field index (its vocabulary names the logits)
  int numeric = -1;            // regression: numeric index predicted, or -1
  uint32_t width = 0;
  size_t offset = 0;           // floats into the session's output area
};

class Model {
 public:
  static constexpr uint32_t kMaxNodes = RUNNEL_MAX_NODES;  // sizeof(Model) grows with it
  static_assert(kMaxNodes <= rnl::kMaxNodes, "RUNNEL_MAX_NODES above the format's node limit");
  static constexpr uint32_t kMaxOutputs = kMaxNodes < 64 ? kMaxNodes : 64;

  // Validates the file (see engine/format/FORMAT.md), binds every record and plans memory
  // (kLimitExceeded when a session or the scratch would not fit in size_t: the plan is
  // summed with checked 64-bit arithmetic). On failure the Model stays empty and the
  // status names the problem.
  Status load(const void* data, size_t size);
  bool loaded() const { return n_nodes_ > 0; }

  // Shared by every session stepped from one thread; overwritten on each step.
  size_t scratch_bytes() const { return scratch_floats_ * sizeof(float); }
  // One per entity: event counter, static features, layer states, outputs.
  size_t session_bytes() const { return session_bytes_; }

  const rnl::ModelFile& file() const { return file_; }
  uint32_t n_nodes() const { return n_nodes_; }
  const Node& node(uint32_t i) const { return nodes_[i]; }
  uint32_t n_outputs() const { return n_outputs_; }
  const OutputInfo& output(uint32_t i) const { return outputs_[i]; }
  // Events allowed per stream: the smallest max_len of learned positions, or -1 (unbounded).
  int64_t max_events() const { return max_events_; }

  // Layout of session memory, in bytes from its start (all 64-byte aligned).
  size_t statics_offset() const { return statics_offset_; }
  size_t state_offset() const { return state_offset_; }
  size_t outputs_offset() const { return outputs_offset_; }

 private:
  Status bind_all();
  Status plan_memory();

  rnl::ModelFile file_;
  Node nodes_[kMaxNodes];
  uint32_t n_nodes_ = 0;
  OutputInfo outputs_[kMaxOutputs];
  uint32_t n_outputs_ = 0;
  int64_t max_events_ = -1;
  size_t scratch_floats_ = 0;
  size_t layer_scratch_offset_ = 0;   // floats: where the layers' shared scratch starts
  size_t statics_offset_ = 0;
  size_t state_offset_ = 0;
  size_t outputs_offset_ = 0;
  size_t session_bytes_ = 0;

  friend class Session;
};

}  // namespace runnel

#endif  // RUNNEL_ENGINE_MODEL_H_
