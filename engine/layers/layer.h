// What every streaming layer of the engine looks like.
//
// A layer is a small struct of weight views (pointers into the model file, never owned)
// and integer sizes, built once from a validated record. It never allocates: the model's
// memory plan gives it `state_floats()` floats of per-session state (kept between events)
// and `scratch_floats()` floats of scratch shared by all layers and sessions (overwritten
// on every step). Per event it runs
//
//     Status step(const StepArgs& args, float* state, float* scratch, float* out) const;
//
// writing `out_width()` floats. `reset(state)` puts the state back to "no event seen".
// The event index t within the stream is passed in, so ring-buffer positions and counts
// are derived from it rather than stored.
#ifndef RUNNEL_ENGINE_LAYERS_LAYER_H_
#define RUNNEL_ENGINE_LAYERS_LAYER_H_

#include <cstddef>
#include <cstdint>

#include "engine/format/rnl_spec.h"
#include "engine/status.h"

namespace runnel {

// One event as the engine sees it: ids already mapped through the vocabularies.
struct Event {
  const int32_t* ids = nullptr;      // one id per categorical field (0 = unknown)
  int n_ids = 0;
  const float* numeric = nullptr;    // numeric values
  int n_numeric = 0;
  double dt = 0.0;                   // seconds since the entity's previous event
};

struct StepArgs {
  int64_t t = 0;                     // index of this event in the stream (0-based)
  const Event* event = nullptr;      // for the input ops
  const float* const* in = nullptr;  // outputs of the record's inputs, in order
  int n_in = 0;
  const float* statics = nullptr;    // the entity's static features (kStaticInput)
};

}  // namespace runnel

#endif  // RUNNEL_ENGINE_LAYERS_LAYER_H_
