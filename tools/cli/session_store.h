// Where the engine sessions of many entities live: memory that grows with the entities
// actually seen, up to a budget, and a spill file past it.
//
// Resident sessions sit in chunks of aligned memory allocated on demand (about 1 MiB
// each), every session in a chunk initialised once (Session::init) when the chunk is
// made. When the budget holds no further session, the least recently used resident
// session is copied (Session::copy_from: a session is plain bytes bound to its model) to
// its entity's record in a SpillFile, and its memory is reused; an entity whose session
// was spilled gets it back the same way when it is next used. Nothing is ever dropped, so
// every entity keeps its full history however many there are.
//
// The budget covers the resident sessions and the shared scratch block; per-entity
// bookkeeping outside the engine (names, last event, predictions) is on top of it.
#ifndef RUNNEL_TOOLS_CLI_SESSION_STORE_H_
#define RUNNEL_TOOLS_CLI_SESSION_STORE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "engine/model.h"
#include "engine/session.h"
#include "tools/cli/spill_file.h"

namespace runnel::cli {

// Memory for resident sessions (`runnel run --session-memory`).
struct SessionBudget {
  uint64_t bytes = 0;        // 0: a quarter of this machine's RAM
  std::string given;         // the option as typed ("" = the default)
  uint64_t resolved() const;
  // "--session-memory 64M (67108864 bytes)", or the default and what it came to.
  std::string describe() const;
};

class SessionStore {
 public:
  // Throws std::runtime_error (naming the bytes) when not even one session fits.
  SessionStore(const Model& model, const SessionBudget& budget);
  ~SessionStore();
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  // A fresh session (reset, static features unset) for a new entity: its handle.
  size_t add();
  // The entity's session, resident (restored from the spill file if it was spilled). The
  // reference is valid until the next call of session() or add().
  Session& session(size_t handle);

  size_t entities() const { return places_.size(); }
  size_t resident() const { return lru_.size(); }
  size_t capacity() const { return capacity_; }         // resident sessions the budget holds
  size_t spilled_entities() const { return spill_sessions_.size(); }  // spilled at least once
  size_t spills() const { return spills_; }
  size_t restores() const { return restores_; }
  uint64_t budget_bytes() const { return budget_; }
  uint64_t resident_bytes() const;                      // allocated chunks + scratch
  uint64_t spill_file_bytes() const { return spill_ ? spill_->file_bytes() : 0; }
  size_t stride() const { return stride_; }
  void* scratch() { return scratch_; }
  size_t scratch_bytes() const { return scratch_bytes_; }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);
  struct Place {
    size_t slot = kNone;     // resident slot, or kNone when spilled
    size_t record = kNone;   // spill record, once spilled
    std::list<size_t>::iterator lru;
  };
  size_t take_slot();        // a free resident slot (allocating a chunk, or spilling)
  void add_chunk();
  void spill_least_recent();
  void use(size_t handle, size_t slot);
  void count_spill_traffic();

  const Model& model_;
  uint64_t budget_;
  size_t stride_, scratch_bytes_, capacity_, chunk_slots_;
  unsigned char* scratch_ = nullptr;
  std::vector<unsigned char*> chunks_;
  std::vector<Session> sessions_;       // resident slots
  std::vector<size_t> free_;
  std::list<size_t> lru_;               // handles of resident sessions, least recent first
  std::vector<Place> places_;
  std::unique_ptr<SpillFile> spill_;
  std::vector<Session> spill_sessions_; // bound to the spill records
  size_t spills_ = 0, restores_ = 0;
  uint64_t traffic_ = 0, drop_every_ = 0;
};

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_SESSION_STORE_H_
