#include "tools/cli/session_pool.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <new>
#include <stdexcept>

namespace runnel::cli {
namespace {

constexpr size_t kAlign = 64;
size_t round_up(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

unsigned char* aligned_alloc_bytes(size_t n) {
  return static_cast<unsigned char*>(::operator new(n == 0 ? kAlign : n, std::align_val_t(kAlign)));
}
void aligned_free(unsigned char* p) { ::operator delete(p, std::align_val_t(kAlign)); }

}  // namespace

SessionPool::SessionPool(const Model& model, size_t capacity, bool evict)
    : model_(model),
      capacity_(capacity),
      stride_(round_up(model.session_bytes())),
      scratch_bytes_(round_up(model.scratch_bytes())),
      evict_(evict) {
  if (capacity == 0) throw std::runtime_error("--max-entities must be at least 1");
  block_ = aligned_alloc_bytes(capacity_ * stride_);
  scratch_ = aligned_alloc_bytes(scratch_bytes_);
  slots_.resize(capacity_);
  const uint32_t n_out = model.n_outputs();
  for (size_t i = 0; i < capacity_; ++i) {
    Slot& s = slots_[i];
    const Status st = s.session.init(model, block_ + i * stride_, stride_, scratch_, scratch_bytes_);
    if (st != Status::kOk) throw std::runtime_error(std::string("session init: ") + status_name(st));
    s.predicted.assign(n_out, 0);
    s.last_ids.assign(model.file().n_vocabs(), 0);
    s.last_numeric.assign(model.file().n_numeric(), 0.f);
    free_.push_back(capacity_ - 1 - i);
  }
}

SessionPool::~SessionPool() {
  aligned_free(block_);
  aligned_free(scratch_);
}

SessionPool::Slot* SessionPool::find(const std::string& entity) {
  auto it = index_.find(entity);
  return it == index_.end() ? nullptr : &slots_[*it->second];
}

void SessionPool::touch(Slot* slot) {
  auto it = index_.find(slot->entity);
  lru_.splice(lru_.end(), lru_, it->second);
}

SessionPool::Slot* SessionPool::admit(const std::string& entity, std::string* evicted) {
  if (evicted != nullptr) evicted->clear();
  if (free_.empty()) {
    if (!evict_)
      throw std::runtime_error("more than " + std::to_string(capacity_) + " entities at once (entity '" + entity +
                               "'); raise --max-entities or allow LRU eviction (drop --no-evict)");
    const size_t victim = lru_.front();
    lru_.pop_front();
    if (evicted != nullptr) *evicted = slots_[victim].entity;
    index_.erase(slots_[victim].entity);
    free_.push_back(victim);
    ++evictions_;
  }
  const size_t i = free_.back();
  free_.pop_back();
  Slot& s = slots_[i];
  s.session.reset();
  s.entity = entity;
  s.last_time = 0;
  s.has_prediction = false;
  s.last_dt = 0;
  lru_.push_back(i);
  index_[entity] = std::prev(lru_.end());
  return &s;
}

std::vector<SessionPool::Slot*> SessionPool::live() const {
  std::vector<Slot*> out;
  for (size_t i : lru_) out.push_back(const_cast<Slot*>(&slots_[i]));
  return out;
}

EventStreamer::EventStreamer(const Model& model, size_t max_entities, bool evict, int topk)
    : model_(model), pool_(model, max_entities, evict), topk_(topk) {
  uint32_t widest = 1;
  for (uint32_t k = 0; k < model.n_outputs(); ++k) {
    const OutputInfo& o = model.output(k);
    if (o.kind != rnl::OutputKind::kCategorical || o.field < 0) continue;
    FieldAccuracy a;
    a.field = std::string(model.file().vocab(static_cast<uint32_t>(o.field)).field());
    a.output = static_cast<int>(k);
    a.field_index = o.field;
    fields_.push_back(a);
    widest = std::max(widest, o.width);
  }
  probs_.resize(widest);
  order_.resize(widest);
  micros_.reserve(1 << 16);
}

bool EventStreamer::last_time(const std::string& entity, double* time) const {
  SessionPool::Slot* s = const_cast<SessionPool&>(pool_).find(entity);
  if (s == nullptr) return false;
  *time = s->last_time;
  return true;
}

Status EventStreamer::push(const std::string& entity, double time, const int32_t* ids, const float* numeric,
                           const float* statics, std::string* evicted, bool score) {
  if (evicted != nullptr) evicted->clear();
  SessionPool::Slot* slot = pool_.find(entity);
  const bool fresh = slot == nullptr;
  if (fresh) {
    slot = pool_.admit(entity, evicted);
    const uint32_t n_static = model_.file().n_static();
    std::vector<float> zeros(n_static, 0.f);
    const Status s = slot->session.set_static(statics != nullptr ? statics : zeros.data(), n_static);
    if (s != Status::kOk) return s;
  } else {
    pool_.touch(slot);
  }
  // Score the previous prediction against this event.
  if (slot->has_prediction && score)
    for (FieldAccuracy& f : fields_) {
      ++f.total;
      if (slot->predicted[static_cast<size_t>(f.output)] == ids[f.field_index]) ++f.correct;
    }
  Event e;
  e.ids = ids;
  e.n_ids = static_cast<int>(model_.file().n_vocabs());
  e.numeric = numeric;
  e.n_numeric = static_cast<int>(model_.file().n_numeric());
  e.dt = fresh || slot->session.events_seen() == 0 ? 0.0 : time - slot->last_time;
  const auto t0 = std::chrono::steady_clock::now();
  const Status s = slot->session.step(e);
  const auto t1 = std::chrono::steady_clock::now();
  if (s != Status::kOk) return s;
  micros_.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  ++events_;
  slot->last_time = time;
  slot->last_dt = e.dt;
  std::copy(ids, ids + e.n_ids, slot->last_ids.begin());
  if (e.n_numeric > 0) std::copy(numeric, numeric + e.n_numeric, slot->last_numeric.begin());
  // Top-1 (and top-k for the callback) of every categorical output; id 0 (unknown) is
  // never predicted.
  for (const FieldAccuracy& f : fields_) {
    const OutputInfo& o = model_.output(static_cast<uint32_t>(f.output));
    const float* x = slot->session.output(static_cast<uint32_t>(f.output));
    float m = x[0];
    for (uint32_t i = 1; i < o.width; ++i) m = std::max(m, x[i]);
    double z = 0;
    for (uint32_t i = 0; i < o.width; ++i) z += std::exp(static_cast<double>(x[i] - m));
    for (uint32_t i = 0; i < o.width; ++i) probs_[i] = static_cast<float>(std::exp(static_cast<double>(x[i] - m)) / z);
    int32_t best = o.width > 1 ? 1 : 0;
    for (uint32_t i = 2; i < o.width; ++i)
      if (x[i] > x[best]) best = static_cast<int32_t>(i);
    slot->predicted[static_cast<size_t>(f.output)] = best;
    if (!on_prediction) continue;
    const uint32_t n = o.width > 1 ? o.width - 1 : 0;
    const uint32_t k = std::min<uint32_t>(static_cast<uint32_t>(topk_), n);
    for (uint32_t i = 0; i < n; ++i) order_[i] = static_cast<int32_t>(i + 1);
    std::partial_sort(order_.begin(), order_.begin() + k, order_.begin() + n, [&](int32_t a, int32_t b) {
      return x[a] > x[b] || (x[a] == x[b] && a < b);
    });
    const rnl::VocabView vocab = model_.file().vocab(static_cast<uint32_t>(f.field_index));
    for (uint32_t r = 0; r < k; ++r) {
      const std::string_view v = vocab.string(static_cast<uint32_t>(order_[r]));
      on_prediction(Prediction{&slot->entity, time, &f, static_cast<int>(r + 1), order_[r], v.data(), v.size(),
                               probs_[static_cast<size_t>(order_[r])]});
    }
  }
  slot->has_prediction = true;
  return Status::kOk;
}

void EventStreamer::beam_all(uint32_t width, uint32_t horizon, const std::function<void(const BeamResult&)>& emit) {
  const size_t bytes = BeamSearch::workspace_bytes(model_, width, horizon);
  if (bytes == 0)
    throw std::runtime_error("--beam must be 1.." + std::to_string(BeamSearch::kMaxWidth) + " and --horizon 1.." +
                             std::to_string(BeamSearch::kMaxHorizon));
  unsigned char* ws = aligned_alloc_bytes(bytes);
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> guard(ws, aligned_free);
  auto search = std::make_unique<BeamSearch>();
  Status s = search->init(model_, width, horizon, ws, bytes, pool_.scratch(), pool_.scratch_bytes());
  if (s != Status::kOk) throw std::runtime_error(std::string("beam search init: ") + status_name(s));
  for (SessionPool::Slot* slot : pool_.live()) {
    if (slot->session.events_seen() == 0) continue;
    Event tmpl;
    tmpl.ids = slot->last_ids.data();
    tmpl.n_ids = static_cast<int>(slot->last_ids.size());
    tmpl.numeric = slot->last_numeric.data();
    tmpl.n_numeric = static_cast<int>(slot->last_numeric.size());
    tmpl.dt = slot->last_dt;
    s = search->run(slot->session, tmpl);
    if (s != Status::kOk)
      throw std::runtime_error("beam search for entity '" + slot->entity + "': " + status_name(s) + ": " +
                               status_message(s));
    for (uint32_t r = 0; r < search->n_results(); ++r) emit(BeamResult{&slot->entity, r, search->score(r), search.get()});
  }
}

}  // namespace runnel::cli
