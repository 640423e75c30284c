// Streaming many entities through one model: `runnel run`, `runnel demo` and `runnel eval`
// share this.
//
// SessionPool: one entry per entity seen (its name, last event, pending predictions) and
// its engine session in a SessionStore (tools/cli/session_store.h): memory grows with the
// entities, up to a budget, and past it the least recently used sessions are spilled to a
// file, never dropped.
//
// EventStreamer: steps each event through its entity's session, keeps the top-k
// predictions of every categorical output, scores them against the entity's next event
// (next-event top-1 and top-k accuracy per field), reports top-k predictions to a
// callback, times every step, and can run beam search from each live entity at the end.
// With enable_sequence_eval(B, K) it also runs beam search after every event and scores
// the best sequence against the entity's next K events (sequence accuracy).
#ifndef RUNNEL_TOOLS_CLI_SESSION_POOL_H_
#define RUNNEL_TOOLS_CLI_SESSION_POOL_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/beam_search.h"
#include "engine/model.h"
#include "engine/session.h"
#include "tools/cli/session_store.h"

namespace runnel::cli {

class SessionPool {
 public:
  SessionPool(const Model& model, const SessionBudget& budget);

  struct Slot {
    size_t handle = 0;                   // the entity's session in the store
    std::string entity;
    uint64_t last_use = 0;               // order of the entity's last event
    double last_time = 0;
    bool has_prediction = false;
    std::vector<int32_t> predicted;      // top-k ids per categorical output, [output * k + rank]
    std::vector<int32_t> last_ids;       // the entity's last event (beam search template)
    std::vector<float> last_numeric;
    double last_dt = 0;
    // Sequence evaluation: beam-search predictions of the next K events still waiting
    // for (some of) them, oldest first.
    struct Pending {
      std::vector<int32_t> ids;          // horizon x n_vocabs (the best beam)
      uint32_t seen = 0;                 // events compared so far
      std::vector<uint32_t> field_hits;  // per scored field: steps right so far
    };
    std::vector<Pending> pending;        // (a vector: a deque allocates even when empty)
  };

  // The entity's slot, or nullptr if it has none.
  Slot* find(const std::string& entity);
  // A slot with a fresh session for a new entity.
  Slot* admit(const std::string& entity);
  // The entity's session, resident (see SessionStore::session), marked most recently used.
  Session& session(Slot* slot);
  size_t size() const { return index_.size(); }
  const SessionStore& store() const { return store_; }
  void* scratch() { return store_.scratch(); }
  size_t scratch_bytes() const { return store_.scratch_bytes(); }
  // Every entity, least recently used first.
  std::vector<Slot*> live() const;

 private:
  const Model& model_;
  SessionStore store_;
  uint64_t uses_ = 0;
  std::deque<Slot> slots_;                                     // stable addresses
  std::unordered_map<std::string, size_t> index_;
};

struct FieldAccuracy {
  std::string field;       // vocabulary (field) name
  int output = -1;         // output index
  int field_index = -1;    // index into the event's ids
  size_t correct = 0, total = 0;
  size_t correct_topk = 0;   // the true value among the top-k predictions (k = EventStreamer's topk)
  double accuracy() const { return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total); }
  double accuracy_topk() const {
    return total == 0 ? 0.0 : static_cast<double>(correct_topk) / static_cast<double>(total);
  }
};

// Sequence accuracy of beam search (EventStreamer::enable_sequence_eval): from the state
// after event p-1, the best beam's K events are compared with the entity's true events
// p..p+K-1. Counted only when event p is scored and the entity has all K events.
struct SequenceAccuracy {
  uint32_t width = 0, horizon = 0;
  size_t total = 0;                  // sequences scored
  size_t correct = 0;                // all K events with every predicted field right
  std::vector<std::string> fields;   // categorical outputs, as in EventStreamer::accuracy()
  std::vector<size_t> field_correct; // this field right at all K steps
  std::vector<size_t> field_steps;   // this field right, summed over the K steps (of total * K)
  static double pct(size_t a, size_t b) { return b == 0 ? 0.0 : 100.0 * static_cast<double>(a) / static_cast<double>(b); }
};

struct Prediction {
  const std::string* entity;
  double time;
  const FieldAccuracy* field;
  int rank;                // 1-based
  int32_t id;
  const char* value;       // vocabulary string
  size_t value_len;
  float probability;
};

class EventStreamer {
 public:
  EventStreamer(const Model& model, int topk, const SessionBudget& budget = {});

  // One event of `entity` (ids in model field order, numeric in model order, statics used
  // only for the entity's first event). `score`: whether the prediction made after the
  // entity's previous event is scored against this event (the demo scores validation
  // events only; `run` scores all). Returns the engine status (kOk or the error). Throws
  // std::runtime_error when the session store fails (e.g. the spill file's disk is full).
  // `beam_next`: with sequence evaluation on, whether to run beam search after this event
  // (its sequence is scored only if the next event is scored too).
  Status push(const std::string& entity, double time, const int32_t* ids, const float* numeric,
              const float* statics, bool score = true, bool beam_next = true);
  // Called for every top-k prediction after each event (optional).
  std::function<void(const Prediction&)> on_prediction;
  // Called for every scored prediction (optional): the index into accuracy(), whether the
  // top-1 and whether the top-k held the true value. What paired tests (runnel eval) use.
  std::function<void(std::size_t field, bool top1, bool topk)> on_scored;

  // Last time seen of `entity` (for order checks), or false if the entity has no slot.
  bool last_time(const std::string& entity, double* time) const;

  const std::vector<FieldAccuracy>& accuracy() const { return fields_; }
  int topk() const { return topk_; }

  // Beam search of width B over the next K events after every event (see
  // SequenceAccuracy). Call before the first push.
  void enable_sequence_eval(uint32_t width, uint32_t horizon);
  const SequenceAccuracy& sequence_accuracy() const { return seq_; }
  const std::vector<double>& step_micros() const { return micros_; }
  size_t events() const { return events_; }
  SessionPool& pool() { return pool_; }
  const SessionPool& pool() const { return pool_; }
  const Model& model() const { return model_; }

  // Beam search from every live entity (after its last event): calls `emit` per result.
  struct BeamResult {
    const std::string* entity;
    uint32_t rank;               // 0-based
    float score;                 // sum of log-probabilities
    const BeamSearch* search;    // ids(rank, step)
  };
  void beam_all(uint32_t width, uint32_t horizon, const std::function<void(const BeamResult&)>& emit);

 private:
  const Model& model_;
  SessionPool pool_;
  int topk_;
  std::vector<FieldAccuracy> fields_;
  std::vector<double> micros_;
  std::vector<float> probs_;
  std::vector<int32_t> order_;
  size_t events_ = 0;
  // Sequence evaluation.
  SequenceAccuracy seq_;
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> seq_ws_{nullptr, nullptr};
  std::unique_ptr<BeamSearch> seq_search_;
  void score_pending(SessionPool::Slot* slot, const int32_t* ids, bool score);
};

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_SESSION_POOL_H_
