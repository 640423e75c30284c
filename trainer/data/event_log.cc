#include "trainer/data/event_log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "trainer/data/csv_reader.h"
#include "trainer/random/mix64.h"

namespace runnel::data {

float apply_numeric_transform(const std::string& transform, double x) {
  if (transform == "none") return static_cast<float>(x);
  if (transform == "log1p") return static_cast<float>(x < 0 ? -std::log1p(-x) : std::log1p(x));
  throw std::invalid_argument("unknown numeric transform '" + transform +
                              "' (expected none or log1p)");
}

std::size_t train_count(std::size_t n, double fraction) {
  // A small epsilon so that e.g. 0.8 * 5 gives 4, not 3.999...
  double v = std::floor(fraction * static_cast<double>(n) + 1e-9);
  if (v < 0) v = 0;
  return std::min(n, static_cast<std::size_t>(v));
}

std::vector<RawStream> read_event_log(std::istream& in, const std::string& name,
                                      const EventLogOptions& options) {
  CsvReader csv(in, name);
  std::size_t entity_col = csv.column(options.entity);
  std::size_t time_col = csv.column(options.time);
  std::vector<std::size_t> field_cols, numeric_cols;
  for (const auto& f : options.fields) field_cols.push_back(csv.column(f));
  for (const auto& n : options.numeric) {
    numeric_cols.push_back(csv.column(n.column));
    apply_numeric_transform(n.transform, 0.0);  // validates the name
  }
  std::vector<RawStream> streams;
  std::unordered_map<std::string, std::size_t> index;
  while (csv.next()) {
    const std::string& entity = csv.field(entity_col);
    if (entity.empty()) csv.fail(entity_col, "empty entity");
    auto it = index.find(entity);
    if (it == index.end()) {
      it = index.emplace(entity, streams.size()).first;
      streams.emplace_back();
      streams.back().entity = entity;
    }
    RawEvent ev;
    ev.time = csv.number(time_col);
    ev.fields.reserve(field_cols.size());
    for (std::size_t c : field_cols) ev.fields.push_back(csv.field(c));
    for (std::size_t k = 0; k < numeric_cols.size(); ++k)
      ev.numeric.push_back(
          apply_numeric_transform(options.numeric[k].transform, csv.float32_number(numeric_cols[k])));
    streams[it->second].events.push_back(std::move(ev));
  }
  for (auto& s : streams)
    std::stable_sort(s.events.begin(), s.events.end(),
                     [](const RawEvent& a, const RawEvent& b) { return a.time < b.time; });
  return streams;
}

std::vector<RawStream> read_event_log(const std::string& path, const EventLogOptions& options,
                                      const std::string& display_name) {
  const std::string name = display_name.empty() ? path : display_name;
  const std::unique_ptr<std::ifstream> in = open_csv_file(path, name);
  return read_event_log(*in, name, options);
}

std::vector<std::string> build_vocab(const std::vector<RawStream>& streams,
                                     const std::vector<std::size_t>& n_train, std::size_t field,
                                     std::size_t max_vocab, std::size_t min_count, VocabFold* folded) {
  std::map<std::string, std::size_t> counts;
  for (std::size_t e = 0; e < streams.size(); ++e)
    for (std::size_t i = 0; i < n_train[e]; ++i) {
      const std::string& v = streams[e].events[i].fields.at(field);
      if (!v.empty()) ++counts[v];
    }
  std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> vocab{""};
  VocabFold cut;
  for (const auto& [value, count] : sorted) {
    if (count < std::max<std::size_t>(min_count, 1)) break;
    if (max_vocab && vocab.size() - 1 >= max_vocab) {
      ++cut.values;
      cut.events += count;
      continue;
    }
    vocab.push_back(value);
  }
  if (folded) *folded = cut;
  return vocab;
}

namespace {
std::string fold_warning(const std::string& field, const VocabFold& folded, std::size_t kept,
                         const std::vector<std::size_t>& n_train) {
  std::size_t events = 0;
  for (std::size_t n : n_train) events += n;
  char share[32];
  std::snprintf(share, sizeof share, "%.1f %%", events ? 100.0 * double(folded.events) / double(events) : 0.0);
  return "data.max_vocab: field '" + field + "': kept the " + std::to_string(kept) +
         " most frequent values; " + std::to_string(folded.values) + " rarer distinct values (" + share +
         " of train events) fold into the unknown id (raise data.max_vocab to keep more)";
}
}  // namespace

EventLogDataset::EventLogDataset(std::vector<RawStream> streams, EventLogOptions options)
    : options_(std::move(options)), streams_(std::move(streams)) {
  if (options_.window == 0) throw std::invalid_argument("event log: window must be >= 1");
  if (options_.validation_context == 0) options_.validation_context = options_.window / 2;
  if (options_.validation_context >= options_.window)
    throw std::invalid_argument("event log: validation_context must be < window");
  const Split& sp = options_.split;
  if (!(sp.train > 0 && sp.validation >= 0 && sp.test >= 0 && std::abs(sp.train + sp.validation + sp.test - 1) < 1e-6))
    throw std::invalid_argument("event log: split fractions must be >= 0 (train > 0) and sum to 1");
  const std::size_t F = options_.fields.size();
  const std::size_t N = options_.numeric.size();
  for (const auto& s : streams_)
    for (const auto& ev : s.events)
      if (ev.fields.size() != F || ev.numeric.size() != N)
        throw std::invalid_argument("event log: event of entity '" + s.entity +
                                    "' does not match the configured columns");
  for (const auto& s : streams_) {
    const std::size_t n = s.events.size();
    n_train_.push_back(data::train_count(n, sp.train));
    n_until_test_.push_back(sp.test == 0 ? n : std::max(n_train_.back(), data::train_count(n, sp.train + sp.validation)));
  }

  schema_.has_time = true;
  index_.resize(F);
  for (std::size_t f = 0; f < F; ++f) {
    FieldSchema fs;
    fs.name = options_.fields[f];
    VocabFold folded;
    fs.vocab = build_vocab(streams_, n_train_, f, options_.max_vocab, options_.min_count, &folded);
    if (folded.values > 0) warnings_.push_back(fold_warning(fs.name, folded, fs.vocab.size() - 1, n_train_));
    for (std::size_t i = 1; i < fs.vocab.size(); ++i)
      index_[f].emplace(fs.vocab[i], static_cast<std::int64_t>(i));
    schema_.fields.push_back(std::move(fs));
  }
  for (const auto& n : options_.numeric) {
    schema_.numeric.push_back(n.column);
    ValueColumn c;
    c.name = n.column;
    c.transform = n.transform;
    schema_.numeric_columns.push_back(c);
  }
  schema_.entity_column = options_.entity;
  schema_.time_column = options_.time;
  for (const auto& fs : schema_.fields) {
    TargetSchema t;
    t.name = "next:" + fs.name;
    t.categorical = true;
    t.classes = fs.vocab.size();
    schema_.targets.push_back(t);
  }
  if (options_.numeric_targets)
    for (const auto& n : options_.numeric) {
      TargetSchema t;
      t.name = "next:" + n.column;
      schema_.targets.push_back(t);
    }

  ids_.resize(streams_.size());
  dt_.resize(streams_.size());
  cumulative_.push_back(0);
  for (std::size_t e = 0; e < streams_.size(); ++e) {
    const auto& evs = streams_[e].events;
    ids_[e].resize(evs.size() * F);
    dt_[e].resize(evs.size());
    for (std::size_t i = 0; i < evs.size(); ++i) {
      for (std::size_t f = 0; f < F; ++f) ids_[e][i * F + f] = encode(f, evs[i].fields[f]);
      dt_[e][i] = i == 0 ? 0.f : static_cast<float>(evs[i].time - evs[i - 1].time);
    }
    std::size_t positions = n_train_[e] >= 2 ? n_train_[e] - 1 : 0;
    cumulative_.push_back(cumulative_.back() + positions);
  }
  train_positions_ = cumulative_.back();
}

std::int64_t EventLogDataset::encode(std::size_t field, const std::string& value) const {
  auto it = index_.at(field).find(value);
  return it == index_[field].end() ? 0 : it->second;
}

std::int64_t EventLogDataset::id(std::size_t entity, std::size_t event, std::size_t field) const {
  return ids_.at(entity).at(event * options_.fields.size() + field);
}

std::size_t EventLogDataset::train_events() const {
  std::size_t n = 0;
  for (auto v : n_train_) n += v;
  return n;
}

std::size_t EventLogDataset::validation_events() const {
  std::size_t n = 0;
  for (std::size_t e = 0; e < streams_.size(); ++e) n += n_until_test_[e] - n_train_[e];
  return n;
}

std::size_t EventLogDataset::test_events() const {
  std::size_t n = 0;
  for (std::size_t e = 0; e < streams_.size(); ++e) n += streams_[e].events.size() - n_until_test_[e];
  return n;
}

Batch EventLogDataset::make_batch(const std::vector<Window>& windows) const {
  const std::size_t F = options_.fields.size();
  const std::size_t N = options_.numeric.size();
  Batch b;
  b.rows = windows.size();
  for (const auto& w : windows) {
    b.lengths.push_back(w.length);
    b.steps = std::max(b.steps, w.length);
  }
  const std::size_t B = b.rows, T = b.steps;
  b.ids = xt::zeros<std::int64_t>({B, T, F});
  b.numeric = xt::zeros<float>({B, T, N});
  b.dt = xt::zeros<float>({B, T});
  b.statics = xt::zeros<float>({B, std::size_t{0}});
  std::vector<Target*> field_targets, numeric_targets;
  for (const auto& fs : schema_.fields) {
    Target& t = b.targets["next:" + fs.name];
    t.classes = xt::zeros<std::int64_t>({B, T});
    field_targets.push_back(&t);
  }
  if (options_.numeric_targets)
    for (const auto& n : options_.numeric) {
      Target& t = b.targets["next:" + n.column];
      t.values = xt::zeros<float>({B, T});
      t.mask = xt::zeros<float>({B, T});
      numeric_targets.push_back(&t);
    }
  for (std::size_t r = 0; r < B; ++r) {
    const Window& w = windows[r];
    const auto& evs = streams_[w.entity].events;
    const auto& ids = ids_[w.entity];
    for (std::size_t t = 0; t < w.length; ++t) {
      std::size_t a = w.start + t;
      for (std::size_t f = 0; f < F; ++f) b.ids(r, t, f) = ids[a * F + f];
      for (std::size_t k = 0; k < N; ++k) b.numeric(r, t, k) = evs[a].numeric[k];
      b.dt(r, t) = dt_[w.entity][a];
      if (a >= w.target_from && a + 1 < w.target_limit) {
        for (std::size_t f = 0; f < F; ++f) field_targets[f]->classes(r, t) = ids[(a + 1) * F + f];
        for (std::size_t k = 0; k < numeric_targets.size(); ++k) {
          numeric_targets[k]->values(r, t) = evs[a + 1].numeric[k];
          numeric_targets[k]->mask(r, t) = 1.f;
        }
      }
    }
  }
  return b;
}

Batch EventLogDataset::train_batch(std::size_t step, std::size_t batch_size) const {
  if (train_positions_ == 0)
    throw std::runtime_error("event log: no entity has two or more train events");
  std::vector<Window> windows;
  windows.reserve(batch_size);
  for (std::size_t r = 0; r < batch_size; ++r) {
    std::uint64_t h = mix64(mix64(options_.seed ^ 0x7261696eull) ^ mix64(step * 0x10001ull + 1));
    h = mix64(h ^ (r + 1));
    std::size_t g = static_cast<std::size_t>(h % train_positions_);
    std::size_t e = static_cast<std::size_t>(
        std::upper_bound(cumulative_.begin(), cumulative_.end(), g) - cumulative_.begin() - 1);
    std::size_t last = g - cumulative_[e];  // 0 .. n_train-2
    Window w;
    w.entity = e;
    w.start = last + 1 >= options_.window ? last + 1 - options_.window : 0;
    w.length = last - w.start + 1;
    w.target_from = w.start;
    w.target_limit = n_train_[e];
    windows.push_back(w);
  }
  return make_batch(windows);
}

std::vector<EventLogDataset::Window> EventLogDataset::validation_windows() const {
  std::vector<Window> out;
  const std::size_t T = options_.window;
  const std::size_t S = T - options_.validation_context;
  for (std::size_t e = 0; e < streams_.size(); ++e) {
    const std::size_t n = n_until_test_[e];   // validation ends where the test part starts
    if (n_train_[e] >= n || n < 2) continue;
    std::size_t first = n_train_[e] == 0 ? 0 : n_train_[e] - 1;  // input position of the first target
    std::size_t last = n - 2;
    for (std::size_t c = first; c <= last; c += S) {
      std::size_t q = std::min(c + S - 1, last);
      Window w;
      w.entity = e;
      w.start = q + 1 >= T ? q + 1 - T : 0;
      w.length = q - w.start + 1;
      w.target_from = c;
      w.target_limit = n;
      out.push_back(w);
    }
  }
  return out;
}

std::vector<Batch> EventLogDataset::validation_batches(std::size_t batch_size) const {
  if (batch_size == 0) throw std::invalid_argument("validation_batches: batch_size must be >= 1");
  std::vector<Window> all = validation_windows();
  std::vector<Batch> out;
  for (std::size_t i = 0; i < all.size(); i += batch_size) {
    std::vector<Window> part(all.begin() + i, all.begin() + std::min(all.size(), i + batch_size));
    out.push_back(make_batch(part));
  }
  return out;
}

std::vector<RawStream> EventLogDataset::validation_streams() const {
  std::vector<RawStream> out;
  for (std::size_t e = 0; e < streams_.size(); ++e) {
    if (n_train_[e] >= n_until_test_[e]) continue;
    RawStream s = streams_[e];
    s.events.resize(n_until_test_[e]);
    s.validation_start = n_train_[e];
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<RawStream> EventLogDataset::test_streams() const {
  std::vector<RawStream> out;
  for (std::size_t e = 0; e < streams_.size(); ++e) {
    if (n_until_test_[e] >= streams_[e].events.size()) continue;
    RawStream s = streams_[e];
    s.validation_start = n_until_test_[e];
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace runnel::data
