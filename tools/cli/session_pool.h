// Streaming many entities through one model with memory fixed up front: `runnel run` and
// `runnel demo` share this.
//
// SessionPool: `capacity` engine sessions in one aligned block (allocated once, before
// the first event) plus one shared scratch block. Entities get a slot on their first
// event; when all slots are taken the least recently used entity is evicted (its state
// is dropped; if it comes back it starts a fresh session) or, with evict = false, the
// caller gets an error.
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
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/beam_search.h"
#include "engine/model.h"
#include "engine/session.h"

namespace runnel::cli {

class SessionPool {
 public:
  SessionPool(const Model& model, size_t capacity, bool evict);
  ~SessionPool();

  struct Slot {
    Session session;
    std::string entity;
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
    std::deque<Pending> pending;
  };

  // The entity's slot, or nullptr if it has none.
  Slot* find(const std::string& entity);
  // A fresh slot for a new entity (evicting the least recently used one when full; with
  // evict = false, throws std::runtime_error when full). `evicted` gets the evicted
  // entity's name, or is cleared.
  Slot* admit(const std::string& entity, std::string* evicted);
  void touch(Slot* slot);              // mark most recently used
  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }
  size_t evictions() const { return evictions_; }
  size_t bytes() const { return capacity_ * stride_ + scratch_bytes_; }
  void* scratch() { return scratch_; }
  size_t scratch_bytes() const { return scratch_bytes_; }
  // Live slots, least recently used first.
  std::vector<Slot*> live() const;

 private:
  const Model& model_;
  size_t capacity_, stride_, scratch_bytes_;
  bool evict_;
  unsigned char* block_ = nullptr;
  unsigned char* scratch_ = nullptr;
  std::vector<Slot> slots_;
  std::vector<size_t> free_;
  std::list<size_t> lru_;                                      // front = least recent
  std::unordered_map<std::string, std::list<size_t>::iterator> index_;
  size_t evictions_ = 0;
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
  EventStreamer(const Model& model, size_t max_entities, bool evict, int topk);

  // One event of `entity` (ids in model field order, numeric in model order, statics used
  // only for the entity's first event). `score`: whether the prediction made after the
  // entity's previous event is scored against this event (the demo scores validation
  // events only; `run` scores all). Returns the engine status (kOk or the error);
  // `evicted` (may be null) gets an evicted entity's name, if any. Throws
  // std::runtime_error when the pool is full and eviction is off.
  // `beam_next`: with sequence evaluation on, whether to run beam search after this event
  // (its sequence is scored only if the next event is scored too).
  Status push(const std::string& entity, double time, const int32_t* ids, const float* numeric,
              const float* statics, std::string* evicted, bool score = true, bool beam_next = true);
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
