// Beam search over the next events of one entity, on memory the caller hands in.
//
//   size_t bytes = runnel::BeamSearch::workspace_bytes(model, width, horizon);
//   alignas(64) static unsigned char ws[...];          // >= bytes
//   runnel::BeamSearch beam;
//   beam.init(model, width, horizon, ws, sizeof ws, scratch, scratch_bytes);
//   beam.run(session, template_event);                   // never allocates
//   for (r < beam.n_results()) beam.score(r), beam.ids(r, step)[field]
//
// A joint event is one value per categorical field. At each step every beam is expanded by
// the best joint events under its categorical outputs (fields are independent given the
// state, so the k best joint events come from the per-field top-k lists, exactly); a
// candidate's score is the beam's score plus the sum over fields of log-softmax of the
// chosen ids. The best `width` candidates over all beams survive; each is forked from its
// parent with Session::copy_from (one memcpy) and stepped with its joint event. Id 0
// (unknown/padding) is never proposed.
//
// Fields that no categorical output predicts keep the template event's id; numeric values
// and dt of predicted events are the template's (the CLI passes the entity's last event).
//
// Memory: 2·width session blocks (this generation and the next) plus small bookkeeping,
// all inside the workspace; the scratch block is the model's shared scratch. Ties are
// broken deterministically (earlier parent, then lower ids), so width 1 is exactly greedy
// decoding (per field argmax, lowest id on ties).
#ifndef RUNNEL_ENGINE_BEAM_SEARCH_H_
#define RUNNEL_ENGINE_BEAM_SEARCH_H_

#include <cstddef>
#include <cstdint>

#include "engine/model.h"
#include "engine/session.h"
#include "engine/status.h"

namespace runnel {

class BeamSearch {
 public:
  static constexpr uint32_t kMaxWidth = 64;
  static constexpr uint32_t kMaxHorizon = 1024;

  // Bytes of workspace for `width` beams over `horizon` events (0 if out of range).
  static size_t workspace_bytes(const Model& model, uint32_t width, uint32_t horizon);

  // workspace: 64-byte aligned, >= workspace_bytes(); scratch: the model's scratch block
  // (may be shared with other sessions stepped from the same thread).
  Status init(const Model& model, uint32_t width, uint32_t horizon, void* workspace, size_t workspace_bytes,
              void* scratch, size_t scratch_bytes);

  // Searches from `start` (which must have seen at least one event; it is not changed).
  // `tmpl` supplies ids of unpredicted fields, numeric values and dt for predicted events.
  Status run(const Session& start, const Event& tmpl);

  // Results of the last run, best first.
  uint32_t n_results() const { return n_results_; }
  float score(uint32_t r) const;
  // The ids (one per categorical field of the model) of predicted event `step` (0-based,
  // < horizon) of result r.
  const int32_t* ids(uint32_t r, uint32_t step) const;
  uint32_t width() const { return width_; }
  uint32_t horizon() const { return horizon_; }
  uint32_t n_fields() const { return n_fields_; }

 private:
  struct Layout;
  static bool plan(const Model& model, uint32_t width, uint32_t horizon, Layout* out);

  const Model* model_ = nullptr;
  uint32_t width_ = 0, horizon_ = 0, n_fields_ = 0;
  uint32_t n_results_ = 0;
  int cur_ = 0;                           // which generation holds the live beams
  Session sessions_[2][kMaxWidth];
  float* scores_[2] = {nullptr, nullptr};         // width each
  int32_t* hist_[2] = {nullptr, nullptr};         // width * horizon * n_fields each
  int32_t* top_ids_ = nullptr;                    // n_fields * width
  float* top_logp_ = nullptr;                     // n_fields * width
  int32_t* combo_ids_[2] = {nullptr, nullptr};    // width * n_fields: per-beam k-best joint events
  float* combo_score_[2] = {nullptr, nullptr};    // width
  int32_t* cand_ids_ = nullptr;                   // width * n_fields: global candidates
  float* cand_score_ = nullptr;                   // width
  int32_t* cand_parent_ = nullptr;                // width
  int32_t* event_ids_ = nullptr;                  // n_fields
  int32_t head_of_field_[rnl::kMaxVocabs] = {};    // field -> output index, or -1
};

}  // namespace runnel

#endif  // RUNNEL_ENGINE_BEAM_SEARCH_H_
