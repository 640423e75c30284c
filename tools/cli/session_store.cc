#include "tools/cli/session_store.h"

#include <algorithm>
#include <new>
#include <stdexcept>

#include "engine/cache_line.h"
#include "engine/status.h"
#include "tools/cli/memory_budget.h"

namespace runnel::cli {
namespace {

// Resident sessions are allocated this many bytes at a time (or one session at a time when
// one is bigger): memory follows the entities without an allocation per entity.
constexpr uint64_t kChunkTarget = uint64_t{1} << 20;

unsigned char* aligned_bytes(size_t n) {
  return static_cast<unsigned char*>(::operator new(n, std::align_val_t(kLineBytes)));
}
void free_aligned(unsigned char* p) { ::operator delete(p, std::align_val_t(kLineBytes)); }

void check(Status s, const char* what) {
  if (s != Status::kOk) throw std::runtime_error(std::string("session store: ") + what + ": " + status_name(s));
}

}  // namespace

uint64_t SessionBudget::resolved() const {
  if (bytes != 0) return bytes;
  const uint64_t ram = physical_memory_bytes();
  return ram > 0 ? ram / 4 : uint64_t{1} << 30;
}

std::string SessionBudget::describe() const {
  const std::string n = std::to_string(resolved()) + " bytes";
  if (!given.empty()) return "--session-memory " + given + " (" + n + ")";
  return "--session-memory (default: a quarter of this machine's " + human_bytes(physical_memory_bytes()) +
         " of RAM, " + n + ")";
}

SessionStore::SessionStore(const Model& model, const SessionBudget& budget)
    : model_(model), budget_(budget.resolved()) {
  // Checked before any rounding, so a session of nearly 2^64 bytes cannot wrap.
  const uint64_t need = uint64_t{model.session_bytes()} + model.scratch_bytes() + 2 * kLineBytes;
  if (model.session_bytes() > budget_ || model.scratch_bytes() > budget_ || need > budget_)
    throw std::runtime_error("one session of this model needs " + std::to_string(model.session_bytes()) +
                             " bytes (" + human_bytes(model.session_bytes()) + ") plus " +
                             std::to_string(model.scratch_bytes()) + " bytes of scratch, more than " +
                             budget.describe());
  stride_ = round_to_line<unsigned char>(model.session_bytes());
  scratch_bytes_ = round_to_line<unsigned char>(model.scratch_bytes());
  capacity_ = static_cast<size_t>((budget_ - scratch_bytes_) / stride_);
  chunk_slots_ = static_cast<size_t>(std::clamp<uint64_t>(kChunkTarget / stride_, 1, capacity_));
  // Spilled pages are unmapped after this much spill traffic: the process's resident
  // memory stays within the budget plus this margin.
  drop_every_ = std::clamp<uint64_t>(uint64_t{capacity_} * stride_ / 8, uint64_t{1} << 20, uint64_t{64} << 20);
  scratch_ = aligned_bytes(scratch_bytes_ == 0 ? kLineBytes : scratch_bytes_);
}

SessionStore::~SessionStore() {
  for (unsigned char* c : chunks_) free_aligned(c);
  free_aligned(scratch_);
}

uint64_t SessionStore::resident_bytes() const { return uint64_t{sessions_.size()} * stride_ + scratch_bytes_; }

void SessionStore::add_chunk() {
  const size_t n = std::min(chunk_slots_, capacity_ - sessions_.size());
  unsigned char* block = aligned_bytes(n * stride_);
  chunks_.push_back(block);
  for (size_t i = 0; i < n; ++i) {
    Session s;
    check(s.init(model_, block + i * stride_, stride_, scratch_, scratch_bytes_), "init");
    free_.push_back(sessions_.size());
    sessions_.push_back(s);
  }
}

void SessionStore::count_spill_traffic() {
  traffic_ += stride_;
  if (traffic_ < drop_every_) return;
  spill_->drop_pages();
  traffic_ = 0;
}

void SessionStore::spill_least_recent() {
  const size_t h = lru_.front();
  lru_.pop_front();
  Place& p = places_[h];
  if (p.record == kNone) {
    if (!spill_) spill_ = std::make_unique<SpillFile>(stride_);
    Session s;
    check(s.init(model_, spill_->add(), stride_, scratch_, scratch_bytes_), "init a spilled session");
    p.record = spill_sessions_.size();
    spill_sessions_.push_back(s);
  }
  check(spill_sessions_[p.record].copy_from(sessions_[p.slot]), "spill");
  free_.push_back(p.slot);
  p.slot = kNone;
  ++spills_;
  count_spill_traffic();
}

size_t SessionStore::take_slot() {
  if (free_.empty()) {
    if (sessions_.size() < capacity_) add_chunk();
    else spill_least_recent();
  }
  const size_t slot = free_.back();
  free_.pop_back();
  return slot;
}

void SessionStore::use(size_t handle, size_t slot) {
  Place& p = places_[handle];
  p.slot = slot;
  p.lru = lru_.insert(lru_.end(), handle);
}

size_t SessionStore::add() {
  const size_t slot = take_slot();
  sessions_[slot].reset();
  places_.emplace_back();
  use(places_.size() - 1, slot);
  return places_.size() - 1;
}

Session& SessionStore::session(size_t handle) {
  Place& p = places_.at(handle);
  if (p.slot != kNone) {
    lru_.splice(lru_.end(), lru_, p.lru);
    return sessions_[p.slot];
  }
  const size_t slot = take_slot();
  check(sessions_[slot].copy_from(spill_sessions_[p.record]), "restore");
  ++restores_;
  count_spill_traffic();
  use(handle, slot);
  return sessions_[slot];
}

}  // namespace runnel::cli
