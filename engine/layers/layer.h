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
//
// Every layer is `struct layers::Name : LayerBase` (engine/model.h checks it per op), built
// by `static Name make(...)`; LayerBase supplies "no state, no scratch", which a layer that
// needs either redeclares. A layer whose hand-built parameters can contradict each other
// also offers `bool valid() const` (Model binds only records the reader has checked).
// Every step() begins with the same check: `has_inputs(a, n)` for its n inputs, and
// `a.t >= 0` when it indexes anything by event; a failed check returns kBadArgument.
// Buffer sizes are whole 64-byte lines (round_to_line, engine/cache_line.h).
#ifndef RUNNEL_ENGINE_LAYERS_LAYER_H_
#define RUNNEL_ENGINE_LAYERS_LAYER_H_

#include <cstddef>
#include <cstdint>

#include "engine/cache_line.h"
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

namespace layers {

// The base of every layer: the contract's defaults for a layer that keeps nothing between
// events and needs no scratch.
struct LayerBase {
  size_t state_floats() const { return 0; }
  size_t scratch_floats() const { return 0; }
  void reset(float* /*state*/) const {}
};

// The input check of every step(): at least n non-null inputs. A missing input is a
// wiring bug of the caller, reported as kBadArgument rather than dereferenced.
inline bool has_inputs(const StepArgs& a, int n) {
  if (n > 0 && (a.in == nullptr || a.n_in < n)) return false;
  for (int i = 0; i < n; ++i)
    if (a.in[i] == nullptr) return false;
  return true;
}

}  // namespace layers
}  // namespace runnel

#endif  // RUNNEL_ENGINE_LAYERS_LAYER_H_
