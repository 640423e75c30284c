// kEmbed: the sum of one embedding row per categorical field of the event.
//
// Field f reads id = event.ids[field[f]] and adds row id of table[f] ([vocab[f], d]).
// Id 0 is the unknown/padding id and has its own (learned) row. A table is f32 or int8 with
// one scale per row (kernels::Matrix), each table on its own. All ids are checked before
// anything is written: an id outside [0, vocab) gives kIdOutOfRange, a field index beyond
// the event's ids kBadArgument.
#ifndef RUNNEL_ENGINE_LAYERS_EMBED_H_
#define RUNNEL_ENGINE_LAYERS_EMBED_H_

#include "engine/kernels/kernels.h"
#include "engine/layers/support/layer_util.h"

namespace runnel::layers {

struct Embed : LayerBase {
  static constexpr int kMaxFields = static_cast<int>(rnl::kMaxEmbedFields);  // hp0's range

  kernels::Matrix table[kMaxFields];    // [vocab[f], d] each
  int vocab[kMaxFields] = {};
  int field[kMaxFields] = {};           // index into Event::ids
  int n_fields = 0;
  int d = 0;

  // n_fields is clamped to kMaxFields (the binder has already rejected larger values).
  static Embed make(const kernels::Matrix* tables, const int* vocab_sizes, const int* field_index,
                    int n_fields, int d);

  int out_width() const { return d; }
  Status step(const StepArgs& a, float* state, float* scratch, float* out) const;
};

}  // namespace runnel::layers

#endif  // RUNNEL_ENGINE_LAYERS_EMBED_H_
