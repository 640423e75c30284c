#include "tools/cli/session_pool.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>

#include "engine/cache_line.h"

namespace runnel::cli {
namespace {

unsigned char* aligned_alloc_bytes(size_t n) {
  return static_cast<unsigned char*>(::operator new(n == 0 ? kLineBytes : n, std::align_val_t(kLineBytes)));
}
void aligned_free(unsigned char* p) { ::operator delete(p, std::align_val_t(kLineBytes)); }

}  // namespace

SessionPool::SessionPool(const Model& model, const SessionBudget& budget) : model_(model), store_(model, budget) {}

SessionPool::Slot* SessionPool::find(const std::string& entity) {
  auto it = index_.find(entity);
  return it == index_.end() ? nullptr : &slots_[it->second];
}

SessionPool::Slot* SessionPool::admit(const std::string& entity) {
  Slot& s = slots_.emplace_back();
  s.handle = store_.add();
  s.entity = entity;
  s.last_ids.assign(model_.file().n_vocabs(), 0);
  s.last_numeric.assign(model_.file().n_numeric(), 0.f);
  index_.emplace(entity, slots_.size() - 1);
  return &s;
}

Session& SessionPool::session(Slot* slot) {
  slot->last_use = ++uses_;
  return store_.session(slot->handle);
}

std::vector<SessionPool::Slot*> SessionPool::live() const {
  std::vector<Slot*> out;
  for (const Slot& s : slots_) out.push_back(const_cast<Slot*>(&s));
  std::sort(out.begin(), out.end(), [](const Slot* a, const Slot* b) { return a->last_use < b->last_use; });
  return out;
}

EventStreamer::EventStreamer(const Model& model, int topk, const SessionBudget& budget)
    : model_(model), pool_(model, budget), topk_(topk) {
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
                           const float* statics, bool score, bool beam_next) {
  SessionPool::Slot* slot = pool_.find(entity);
  const bool fresh = slot == nullptr;
  if (fresh) slot = pool_.admit(entity);
  Session& session = pool_.session(slot);
  if (fresh) {
    const uint32_t n_static = model_.file().n_static();
    std::vector<float> zeros(n_static, 0.f);
    const Status s = session.set_static(statics != nullptr ? statics : zeros.data(), n_static);
    if (s != Status::kOk) return s;
  }
  const size_t k_keep = static_cast<size_t>(std::max(topk_, 1));
  if (slot->predicted.size() != model_.n_outputs() * k_keep) slot->predicted.assign(model_.n_outputs() * k_keep, 0);
  // Score the previous prediction against this event: top-1 is rank 0, top-k any rank.
  if (slot->has_prediction && score)
    for (size_t i = 0; i < fields_.size(); ++i) {
      FieldAccuracy& f = fields_[i];
      ++f.total;
      const int32_t* top = slot->predicted.data() + static_cast<size_t>(f.output) * k_keep;
      const bool top1 = top[0] == ids[f.field_index];
      const bool topk = std::find(top, top + k_keep, ids[f.field_index]) != top + k_keep;
      f.correct += top1;
      f.correct_topk += topk;
      if (on_scored) on_scored(i, top1, topk);
    }
  if (seq_search_) score_pending(slot, ids, score);
  Event e;
  e.ids = ids;
  e.n_ids = static_cast<int>(model_.file().n_vocabs());
  e.numeric = numeric;
  e.n_numeric = static_cast<int>(model_.file().n_numeric());
  e.dt = fresh || session.events_seen() == 0 ? 0.0 : time - slot->last_time;
  const auto t0 = std::chrono::steady_clock::now();
  const Status s = session.step(e);
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
    const float* x = session.output(static_cast<uint32_t>(f.output));
    float m = x[0];
    for (uint32_t i = 1; i < o.width; ++i) m = std::max(m, x[i]);
    double z = 0;
    for (uint32_t i = 0; i < o.width; ++i) z += std::exp(static_cast<double>(x[i] - m));
    for (uint32_t i = 0; i < o.width; ++i) probs_[i] = static_cast<float>(std::exp(static_cast<double>(x[i] - m)) / z);
    // A field whose vocabulary holds only the unknown id predicts nothing: -1 is never a
    // true id, so its events score as misses (never "unknown == unknown").
    int32_t best = o.width > 1 ? 1 : -1;
    for (uint32_t i = 2; i < o.width; ++i)
      if (x[i] > x[best]) best = static_cast<int32_t>(i);
    int32_t* top = slot->predicted.data() + static_cast<size_t>(f.output) * k_keep;
    const uint32_t n = o.width > 1 ? o.width - 1 : 0;
    const uint32_t k = std::min<uint32_t>(static_cast<uint32_t>(topk_), n);
    for (uint32_t i = 0; i < n; ++i) order_[i] = static_cast<int32_t>(i + 1);
    std::partial_sort(order_.begin(), order_.begin() + k, order_.begin() + n, [&](int32_t a, int32_t b) {
      return x[a] > x[b] || (x[a] == x[b] && a < b);
    });
    // Ranks beyond the vocabulary stay -1 (never a true id); rank 0 is the top-1 (`best`).
    std::fill(top, top + k_keep, -1);
    std::copy(order_.begin(), order_.begin() + k, top);
    top[0] = best;
    if (!on_prediction) continue;
    const rnl::VocabView vocab = model_.file().vocab(static_cast<uint32_t>(f.field_index));
    for (uint32_t r = 0; r < k; ++r) {
      const std::string_view v = vocab.string(static_cast<uint32_t>(order_[r]));
      on_prediction(Prediction{&slot->entity, time, &f, static_cast<int>(r + 1), order_[r], v.data(), v.size(),
                               probs_[static_cast<size_t>(order_[r])]});
    }
  }
  slot->has_prediction = true;
  if (seq_search_ && beam_next) {
    const Status bs = seq_search_->run(session, e);
    if (bs != Status::kOk) return bs;
    SessionPool::Slot::Pending p;
    const uint32_t nv = model_.file().n_vocabs();
    p.ids.resize(static_cast<size_t>(seq_.horizon) * nv);
    for (uint32_t step = 0; step < seq_.horizon; ++step)
      std::copy(seq_search_->ids(0, step), seq_search_->ids(0, step) + nv, p.ids.begin() + step * nv);
    p.field_hits.assign(fields_.size(), 0);
    slot->pending.push_back(std::move(p));
  }
  return Status::kOk;
}

void EventStreamer::enable_sequence_eval(uint32_t width, uint32_t horizon) {
  const size_t bytes = BeamSearch::workspace_bytes(model_, width, horizon);
  if (bytes == 0)
    throw std::runtime_error("--beam must be 1.." + std::to_string(BeamSearch::kMaxWidth) + " and --horizon 1.." +
                             std::to_string(BeamSearch::kMaxHorizon));
  seq_ws_ = std::unique_ptr<unsigned char, void (*)(unsigned char*)>(aligned_alloc_bytes(bytes), aligned_free);
  seq_search_ = std::make_unique<BeamSearch>();
  const Status s =
      seq_search_->init(model_, width, horizon, seq_ws_.get(), bytes, pool_.scratch(), pool_.scratch_bytes());
  if (s != Status::kOk) throw std::runtime_error(std::string("beam search init: ") + status_name(s));
  seq_ = SequenceAccuracy{};
  seq_.width = width;
  seq_.horizon = horizon;
  for (const FieldAccuracy& f : fields_) seq_.fields.push_back(f.field);
  seq_.field_correct.assign(fields_.size(), 0);
  seq_.field_steps.assign(fields_.size(), 0);
}

// This event (`ids`) is the next true event of every pending prediction of the slot. A
// prediction made right before an unscored event is dropped; a complete one is counted.
void EventStreamer::score_pending(SessionPool::Slot* slot, const int32_t* ids, bool score) {
  const uint32_t nv = model_.file().n_vocabs();
  auto& q = slot->pending;
  if (!q.empty() && q.back().seen == 0 && !score) q.pop_back();
  for (auto& p : q) {
    const int32_t* pred = p.ids.data() + static_cast<size_t>(p.seen) * nv;
    for (size_t i = 0; i < fields_.size(); ++i)
      p.field_hits[i] += pred[fields_[i].field_index] == ids[fields_[i].field_index];
    ++p.seen;
  }
  while (!q.empty() && q.front().seen == seq_.horizon) {
    const auto& p = q.front();
    ++seq_.total;
    bool all = true;
    for (size_t i = 0; i < fields_.size(); ++i) {
      seq_.field_steps[i] += p.field_hits[i];
      const bool ok = p.field_hits[i] == seq_.horizon;
      seq_.field_correct[i] += ok;
      all = all && ok;
    }
    seq_.correct += all;
    q.erase(q.begin());
  }
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
    const Session& session = pool_.session(slot);
    if (session.events_seen() == 0) continue;
    Event tmpl;
    tmpl.ids = slot->last_ids.data();
    tmpl.n_ids = static_cast<int>(slot->last_ids.size());
    tmpl.numeric = slot->last_numeric.data();
    tmpl.n_numeric = static_cast<int>(slot->last_numeric.size());
    tmpl.dt = slot->last_dt;
    s = search->run(session, tmpl);
    if (s != Status::kOk)
      throw std::runtime_error("beam search for entity '" + slot->entity + "': " + status_name(s) + ": " +
                               status_message(s));
    for (uint32_t r = 0; r < search->n_results(); ++r) emit(BeamResult{&slot->entity, r, search->score(r), search.get()});
  }
}

}  // namespace runnel::cli
