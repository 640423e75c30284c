// SequenceModel::forward: per-head losses (cross-entropy, masked squared error) normalised
// by the whole batch's target counts, and the per-head statistics (accuracy, top-5,
// macro-F1 counts).
#include <cmath>

#include <xtensor/xadapt.hpp>

#include "trainer/model/model_impl.h"

namespace runnel::model {

using nn::Var;
using detail::Head;

void HeadStats::add(const HeadStats& o) {
  loss_sum += o.loss_sum;
  count += o.count;
  correct += o.correct;
  correct_top5 += o.correct_top5;
  auto add_vec = [](std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    if (a.size() < b.size()) a.resize(b.size(), 0);
    for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
  };
  add_vec(true_positive, o.true_positive);
  add_vec(predicted, o.predicted);
  add_vec(actual, o.actual);
}

namespace {

const data::Target& target_of(const data::Batch& batch, const HeadSpec& h) {
  const auto it = batch.targets.find(h.target);
  if (it == batch.targets.end())
    throw std::invalid_argument("batch has no target '" + h.target + "' (head '" + h.name + "')");
  return it->second;
}

// Class ids of rows [r0, r1) in the order the head's predictions are laid out
// (event-level: row-major [rows, T], 0 past each row's length; sequence-level: [rows]).
std::vector<int64_t> class_targets(const data::Batch& b, const HeadSpec& h, std::size_t r0, std::size_t r1) {
  const data::Target& tg = target_of(b, h);
  std::vector<int64_t> out;
  for (std::size_t r = r0; r < r1; ++r) {
    if (h.sequence_level) {
      out.push_back(tg.classes(r));
      continue;
    }
    for (std::size_t t = 0; t < b.steps; ++t) out.push_back(t < b.lengths[r] ? tg.classes(r, t) : 0);
  }
  return out;
}

// Regression values and 0/1 weights, same layout.
void regression_targets(const data::Batch& b, const HeadSpec& h, std::size_t r0, std::size_t r1,
                        std::vector<float>* values, std::vector<float>* mask) {
  const data::Target& tg = target_of(b, h);
  const bool has_mask = tg.mask.size() == tg.values.size();
  for (std::size_t r = r0; r < r1; ++r) {
    if (h.sequence_level) {
      values->push_back(tg.values(r));
      mask->push_back(has_mask ? tg.mask(r) : 1.f);
      continue;
    }
    for (std::size_t t = 0; t < b.steps; ++t) {
      const bool in = t < b.lengths[r];
      values->push_back(in ? tg.values(r, t) : 0.f);
      mask->push_back(in ? (has_mask ? tg.mask(r, t) : 1.f) : 0.f);
    }
  }
}

// Each row's prediction after its last event: [rows, w].
Var last_positions(const Var& y, const data::Batch& b, std::size_t r0) {
  std::vector<Var> rows;
  const std::size_t n = y.shape()[0];
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = b.lengths[r0 + i];
    rows.push_back(ag::slice(ag::slice(y, 0, i, i + 1), 1, len - 1, len));
  }
  Var all = rows.size() == 1 ? rows[0] : ag::concat(rows, 0);
  return ag::reshape(all, {n, y.shape()[2]});
}

void categorical_stats(const xt::xarray<float>& logits, const std::vector<int64_t>& targets, HeadStats* s) {
  const std::size_t C = logits.shape()[1];
  s->true_positive.assign(C, 0);
  s->predicted.assign(C, 0);
  s->actual.assign(C, 0);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const int64_t y = targets[i];
    if (y <= 0 || static_cast<std::size_t>(y) >= C) continue;
    const float* row = &logits(i, 0);
    std::size_t arg = 0, above = 0;
    for (std::size_t c = 0; c < C; ++c) {
      if (row[c] > row[arg]) arg = c;
      if (row[c] > row[y]) ++above;
    }
    s->correct += arg == static_cast<std::size_t>(y);
    s->correct_top5 += above < 5;
    s->predicted[arg]++;
    s->actual[y]++;
    s->true_positive[y] += arg == static_cast<std::size_t>(y);
  }
}

}  // namespace

ForwardResult SequenceModel::forward(const ag::ParameterSet<float>& params, const data::Batch& batch,
                                     std::size_t row_begin, std::size_t row_end, bool training,
                                     uint64_t dropout_seed) const {
  if (row_begin >= row_end || row_end > batch.rows) throw std::invalid_argument("forward: bad row range");
  const nn::Context ctx{params, batch, row_begin, row_end, training, dropout_seed};
  const std::vector<Var> values = impl_->graph.forward(ctx);
  double weights = 0;
  for (const Head& h : impl_->heads) weights += h.spec.weight;

  ForwardResult result;
  Var total;
  for (const Head& h : impl_->heads) {
    HeadStats stats;
    const Var& y = values[h.output_node];   // [rows, T, w]
    const std::size_t rows = row_end - row_begin;
    Var pred = h.spec.sequence_level ? last_positions(y, batch, row_begin)
                                     : ag::reshape(y, {rows * batch.steps, h.width});
    Var loss;
    double batch_count = 0;
    if (h.spec.categorical) {
      for (int64_t c : class_targets(batch, h.spec, 0, batch.rows)) batch_count += c != 0;
      const std::vector<int64_t> targets = class_targets(batch, h.spec, row_begin, row_end);
      for (int64_t c : targets) stats.count += c != 0;
      if (stats.count > 0) {
        Var ce = ag::cross_entropy(pred, targets, int64_t{0});
        stats.loss_sum = static_cast<double>(ce.value()()) * static_cast<double>(stats.count);
        loss = ag::scale(ce, static_cast<float>(static_cast<double>(stats.count) / batch_count));
      }
      categorical_stats(pred.value(), targets, &stats);
    } else {
      std::vector<float> all_values, all_mask, values_r, mask_r;
      regression_targets(batch, h.spec, 0, batch.rows, &all_values, &all_mask);
      for (float m : all_mask) batch_count += m;
      regression_targets(batch, h.spec, row_begin, row_end, &values_r, &mask_r);
      double range_count = 0;
      for (float m : mask_r) range_count += m;
      stats.count = static_cast<std::size_t>(std::lround(range_count));
      if (range_count > 0) {
        const std::size_t n = values_r.size();
        Var diff = ag::sub(ag::reshape(pred, {n}), ag::constant<float>(xt::xarray<float>(xt::adapt(values_r, std::vector<std::size_t>{n}))));
        Var sq = ag::sum_all(ag::mul(ag::mul(diff, diff), ag::constant<float>(xt::xarray<float>(xt::adapt(mask_r, std::vector<std::size_t>{n})))));
        stats.loss_sum = sq.value()();
        loss = ag::scale(sq, static_cast<float>(1.0 / batch_count));
      }
    }
    if (loss.defined()) {
      Var weighted = ag::scale(loss, static_cast<float>(h.spec.weight / weights));
      total = total.defined() ? ag::add(total, weighted) : weighted;
    }
    result.heads.push_back(std::move(stats));
  }
  result.loss = total.defined() ? total : ag::constant<float>(xt::xarray<float>(0.f));
  return result;
}

}  // namespace runnel::model
