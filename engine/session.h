// One entity's stream through a Model, on memory the caller hands in.
//
//   alignas(64) static unsigned char state[...];   // >= model.session_bytes()
//   alignas(64) static unsigned char scratch[...]; // >= model.scratch_bytes(), shareable
//   runnel::Session s;
//   s.init(model, state, sizeof state, scratch, sizeof scratch);
//   s.step(event);                                  // never allocates
//   const float* logits = s.output(0);              // width model.output(0).width
//
// All of the session's state lives in its memory block, so copy_from() is one memcpy
// (beam search forks sessions this way). Sessions sharing a scratch block must be stepped
// from one thread at a time.
//
// A session is bound to the model it was initialised with: its file CRC and the sizes of
// the blocks handed in are kept, and every call checks them again. If the Model object
// is loaded again (another file, or a failed load) while the session lives, every call
// returns kModelMismatch (reset() does nothing, output() is null) instead of running the
// new model's layout over memory planned for the old one. init() again to rebind.
#ifndef RUNNEL_ENGINE_SESSION_H_
#define RUNNEL_ENGINE_SESSION_H_

#include <cstddef>
#include <cstdint>

#include "engine/layers/layer.h"
#include "engine/model.h"
#include "engine/status.h"

namespace runnel {

class Session {
 public:
  // Both blocks must be 64-byte aligned and at least the model's session_bytes() /
  // scratch_bytes(). The session starts reset (no event seen, static features zero).
  Status init(const Model& model, void* memory, size_t memory_bytes, void* scratch, size_t scratch_bytes);

  // Back to "no event seen"; static features are kept.
  void reset();
  // The entity's static (tabular) features: exactly model.file().n_static() values, finite.
  Status set_static(const float* values, uint32_t n);

  // Runs one event. The event is checked first (ids inside each field's vocabulary,
  // numeric values and dt finite, dt >= 0, stream not past learned positions' max_len); on any
  // error nothing in the session changes. After the step every output is checked:
  // kNonFiniteOutput when one is NaN or infinite (an overflow inside the model; the event
  // was consumed and the state may hold it too: reset() before using the entity again).
  Status step(const Event& event);

  // Copies another session of the same model (state, counter, static features, outputs);
  // kModelMismatch for a session of another model.
  Status copy_from(const Session& other);

  int64_t events_seen() const;
  // Output k after the last step (model().output(k).width floats).
  const float* output(uint32_t k) const;
  const Model* model() const { return model_; }

 private:
  Status check_event(const Event& event) const;
  // kOk when the session is initialised and its model is still the one it was bound to.
  Status bound() const;
  float* states() const;

  const Model* model_ = nullptr;
  unsigned char* memory_ = nullptr;
  float* scratch_ = nullptr;
  size_t memory_bytes_ = 0;     // the blocks handed to init()
  size_t scratch_bytes_ = 0;
  uint32_t model_crc_ = 0;      // the model's file CRC at init()
};

}  // namespace runnel

#endif  // RUNNEL_ENGINE_SESSION_H_
