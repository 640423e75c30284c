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
  // numeric values and dt finite, stream not past learned positions' max_len); on any
  // error nothing in the session changes.
  Status step(const Event& event);

  // Copies another session of the same model (state, counter, static features, outputs).
  Status copy_from(const Session& other);

  int64_t events_seen() const;
  // Output k after the last step (model().output(k).width floats).
  const float* output(uint32_t k) const;
  const Model* model() const { return model_; }

 private:
  Status check_event(const Event& event) const;
  float* states() const;

  const Model* model_ = nullptr;
  unsigned char* memory_ = nullptr;
  float* scratch_ = nullptr;
};

}  // namespace runnel

#endif  // RUNNEL_ENGINE_SESSION_H_
