#include "engine/beam_search.h"

#include <cmath>
#include <cstring>

#include "engine/cache_line.h"

namespace runnel {

struct BeamSearch::Layout {
  size_t session_stride = 0;   // bytes per session block (64-byte multiple)
  size_t sessions = 0;         // offset of the 2·width session blocks
  size_t scores = 0, hist = 0, top_ids = 0, top_logp = 0, combo_ids = 0, combo_score = 0;
  size_t cand_ids = 0, cand_score = 0, cand_parent = 0, event_ids = 0;
  size_t total = 0;
};

namespace {


// Log-sum-exp of logits, for log-softmax.
float log_sum_exp(const float* x, uint32_t n) {
  float m = x[0];
  for (uint32_t i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
  double s = 0.0;
  for (uint32_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(x[i] - m));
  return m + static_cast<float>(std::log(s));
}

// Inserts (score, payload index) into a list sorted by score descending, of at most `cap`
// entries; equal scores keep insertion order. Returns the slot, or -1 if it did not fit.
// `scores` has `*n` valid entries; the caller moves its payload arrays the same way.
int insert_position(const float* scores, uint32_t n, uint32_t cap, float s) {
  if (n == cap && !(s > scores[n - 1])) return -1;
  uint32_t pos = n < cap ? n : cap - 1;
  while (pos > 0 && s > scores[pos - 1]) --pos;
  return static_cast<int>(pos);
}

}  // namespace

bool BeamSearch::plan(const Model& model, uint32_t width, uint32_t horizon, Layout* out) {
  if (!model.loaded() || width == 0 || width > kMaxWidth || horizon == 0 || horizon > kMaxHorizon) return false;
  const size_t f = model.file().n_vocabs();
  Layout l;
  l.session_stride = round_to_line<unsigned char>(model.session_bytes());
  size_t at = 0;
  l.sessions = at;
  at += 2 * width * l.session_stride;
  auto take = [&](size_t bytes) { const size_t here = at; at += round_to_line<unsigned char>(bytes); return here; };
  l.scores = take(2 * width * sizeof(float));
  l.hist = take(2 * width * horizon * (f > 0 ? f : 1) * sizeof(int32_t));
  l.top_ids = take(f * width * sizeof(int32_t) + 4);
  l.top_logp = take(f * width * sizeof(float) + 4);
  l.combo_ids = take(2 * width * f * sizeof(int32_t) + 4);
  l.combo_score = take(2 * width * sizeof(float));
  l.cand_ids = take(width * f * sizeof(int32_t) + 4);
  l.cand_score = take(width * sizeof(float));
  l.cand_parent = take(width * sizeof(int32_t));
  l.event_ids = take(f * sizeof(int32_t) + 4);
  l.total = at;
  *out = l;
  return true;
}

size_t BeamSearch::workspace_bytes(const Model& model, uint32_t width, uint32_t horizon) {
  Layout l;
  return plan(model, width, horizon, &l) ? l.total : 0;
}

Status BeamSearch::init(const Model& model, uint32_t width, uint32_t horizon, void* workspace,
                        size_t workspace_bytes, void* scratch, size_t scratch_bytes) {
  Layout l;
  if (!plan(model, width, horizon, &l) || workspace == nullptr) return Status::kBadArgument;
  if (!is_line_aligned(workspace)) return Status::kBufferMisaligned;
  if (workspace_bytes < l.total) return Status::kBufferTooSmall;
  unsigned char* base = static_cast<unsigned char*>(workspace);
  for (int g = 0; g < 2; ++g)
    for (uint32_t b = 0; b < width; ++b) {
      const Status s = sessions_[g][b].init(model, base + l.sessions + (g * width + b) * l.session_stride,
                                            l.session_stride, scratch, scratch_bytes);
      if (s != Status::kOk) return s;
    }
  model_ = &model;
  width_ = width;
  horizon_ = horizon;
  n_fields_ = model.file().n_vocabs();
  const size_t f = n_fields_;
  scores_[0] = reinterpret_cast<float*>(base + l.scores);
  scores_[1] = scores_[0] + width;
  hist_[0] = reinterpret_cast<int32_t*>(base + l.hist);
  hist_[1] = hist_[0] + width * horizon * f;
  top_ids_ = reinterpret_cast<int32_t*>(base + l.top_ids);
  top_logp_ = reinterpret_cast<float*>(base + l.top_logp);
  combo_ids_[0] = reinterpret_cast<int32_t*>(base + l.combo_ids);
  combo_ids_[1] = combo_ids_[0] + width * f;
  combo_score_[0] = reinterpret_cast<float*>(base + l.combo_score);
  combo_score_[1] = combo_score_[0] + width;
  cand_ids_ = reinterpret_cast<int32_t*>(base + l.cand_ids);
  cand_score_ = reinterpret_cast<float*>(base + l.cand_score);
  cand_parent_ = reinterpret_cast<int32_t*>(base + l.cand_parent);
  event_ids_ = reinterpret_cast<int32_t*>(base + l.event_ids);
  for (uint32_t i = 0; i < rnl::kMaxVocabs; ++i) head_of_field_[i] = -1;
  for (uint32_t k = 0; k < model.n_outputs(); ++k) {
    const OutputInfo& o = model.output(k);
    if (o.kind == rnl::OutputKind::kCategorical && o.field >= 0 && static_cast<uint32_t>(o.field) < n_fields_ &&
        head_of_field_[o.field] < 0)
      head_of_field_[o.field] = static_cast<int32_t>(k);
  }
  n_results_ = 0;
  return Status::kOk;
}

float BeamSearch::score(uint32_t r) const { return scores_[cur_][r]; }

const int32_t* BeamSearch::ids(uint32_t r, uint32_t step) const {
  return hist_[cur_] + (static_cast<size_t>(r) * horizon_ + step) * n_fields_;
}

Status BeamSearch::run(const Session& start, const Event& tmpl) {
  if (model_ == nullptr || start.model() != model_) return Status::kModelMismatch;
  if (start.events_seen() <= 0) return Status::kBadArgument;
  if (tmpl.n_ids < static_cast<int>(n_fields_) || (n_fields_ > 0 && tmpl.ids == nullptr)) return Status::kBadArgument;
  const uint32_t f_n = n_fields_, w = width_;
  n_results_ = 0;
  cur_ = 0;
  Status s = sessions_[0][0].copy_from(start);
  if (s != Status::kOk) return s;
  scores_[0][0] = 0.f;
  uint32_t n_live = 1;

  for (uint32_t step = 0; step < horizon_; ++step) {
    const int nxt = 1 - cur_;
    uint32_t n_cand = 0;
    for (uint32_t b = 0; b < n_live; ++b) {
      const Session& beam = sessions_[cur_][b];
      // Per-field top-w (id >= 1) by log-probability.
      uint32_t n_top[rnl::kMaxVocabs];
      for (uint32_t f = 0; f < f_n; ++f) {
        int32_t* ids = top_ids_ + f * w;
        float* lp = top_logp_ + f * w;
        n_top[f] = 0;
        if (head_of_field_[f] < 0) {      // not predicted: the template's id, log-prob 0
          ids[0] = tmpl.ids[f];
          lp[0] = 0.f;
          n_top[f] = 1;
          continue;
        }
        const uint32_t k = static_cast<uint32_t>(head_of_field_[f]);
        const float* logits = beam.output(k);
        const uint32_t v = model_->output(k).width;
        const float lse = log_sum_exp(logits, v);
        for (uint32_t id = 1; id < v; ++id) {
          const float x = logits[id] - lse;
          const int pos = insert_position(lp, n_top[f], w, x);
          if (pos < 0) continue;
          const uint32_t last = n_top[f] < w ? n_top[f] : w - 1;
          for (uint32_t j = last; j > static_cast<uint32_t>(pos); --j) { lp[j] = lp[j - 1]; ids[j] = ids[j - 1]; }
          lp[pos] = x;
          ids[pos] = static_cast<int32_t>(id);
          if (n_top[f] < w) ++n_top[f];
        }
        if (n_top[f] == 0) {              // vocabulary of only the unknown id
          ids[0] = 0;
          lp[0] = logits[0] - lse;
          n_top[f] = 1;
        }
      }
      // k-best joint events: merge the fields one at a time, keeping the best w prefixes
      // (exact, since the score is a sum over fields).
      int c = 0;
      uint32_t n_combo = 1;
      combo_score_[c][0] = 0.f;
      for (uint32_t f = 0; f < f_n; ++f) {
        const int d = 1 - c;
        uint32_t n_new = 0;
        for (uint32_t i = 0; i < n_combo; ++i)
          for (uint32_t j = 0; j < n_top[f]; ++j) {
            const float x = combo_score_[c][i] + top_logp_[f * w + j];
            const int pos = insert_position(combo_score_[d], n_new, w, x);
            if (pos < 0) continue;
            const uint32_t last = n_new < w ? n_new : w - 1;
            for (uint32_t q = last; q > static_cast<uint32_t>(pos); --q) {
              combo_score_[d][q] = combo_score_[d][q - 1];
              std::memcpy(combo_ids_[d] + q * f_n, combo_ids_[d] + (q - 1) * f_n, f * sizeof(int32_t) + sizeof(int32_t));
            }
            combo_score_[d][pos] = x;
            std::memcpy(combo_ids_[d] + pos * f_n, combo_ids_[c] + i * f_n, f * sizeof(int32_t));
            combo_ids_[d][pos * f_n + f] = top_ids_[f * w + j];
            if (n_new < w) ++n_new;
          }
        n_combo = n_new;
        c = d;
      }
      // Global candidates over all beams.
      for (uint32_t i = 0; i < n_combo; ++i) {
        const float x = scores_[cur_][b] + combo_score_[c][i];
        const int pos = insert_position(cand_score_, n_cand, w, x);
        if (pos < 0) continue;
        const uint32_t last = n_cand < w ? n_cand : w - 1;
        for (uint32_t q = last; q > static_cast<uint32_t>(pos); --q) {
          cand_score_[q] = cand_score_[q - 1];
          cand_parent_[q] = cand_parent_[q - 1];
          if (f_n > 0) std::memcpy(cand_ids_ + q * f_n, cand_ids_ + (q - 1) * f_n, f_n * sizeof(int32_t));
        }
        cand_score_[pos] = x;
        cand_parent_[pos] = static_cast<int32_t>(b);
        if (f_n > 0) std::memcpy(cand_ids_ + pos * f_n, combo_ids_[c] + i * f_n, f_n * sizeof(int32_t));
        if (n_cand < w) ++n_cand;
      }
    }
    // Fork each survivor from its parent and step it with its joint event.
    for (uint32_t i = 0; i < n_cand; ++i) {
      const uint32_t parent = static_cast<uint32_t>(cand_parent_[i]);
      Session& child = sessions_[nxt][i];
      s = child.copy_from(sessions_[cur_][parent]);
      if (s != Status::kOk) return s;
      if (f_n > 0) std::memcpy(event_ids_, cand_ids_ + i * f_n, f_n * sizeof(int32_t));
      Event e = tmpl;
      e.ids = event_ids_;
      e.n_ids = static_cast<int>(f_n);
      s = child.step(e);
      if (s != Status::kOk) return s;
      scores_[nxt][i] = cand_score_[i];
      const size_t row = static_cast<size_t>(horizon_) * f_n;
      if (step > 0 && f_n > 0)
        std::memcpy(hist_[nxt] + i * row, hist_[cur_] + parent * row, step * f_n * sizeof(int32_t));
      if (f_n > 0) std::memcpy(hist_[nxt] + i * row + step * f_n, event_ids_, f_n * sizeof(int32_t));
    }
    n_live = n_cand;
    cur_ = nxt;
  }
  n_results_ = n_live;
  return Status::kOk;
}

}  // namespace runnel
