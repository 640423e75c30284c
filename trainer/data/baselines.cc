#include "trainer/data/baselines.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace runnel::data {
namespace {

using Counts = std::unordered_map<std::string, std::size_t>;
using Ranked = std::vector<std::string>;

// Global train frequencies of one field: the tie-break of every ranking.
struct FieldCounts {
  Counts freq;

  std::size_t lookup(const std::string& v) const {
    auto it = freq.find(v);
    return it == freq.end() ? 0 : it->second;
  }
  // The values of `counts` best first: count, then global frequency, then text.
  Ranked ranked(const Counts& counts) const {
    std::vector<std::pair<std::string, std::size_t>> v(counts.begin(), counts.end());
    std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
      if (a.second != b.second) return a.second > b.second;
      const std::size_t fa = lookup(a.first), fb = lookup(b.first);
      if (fa != fb) return fa > fb;
      return a.first < b.first;
    });
    Ranked out;
    for (const auto& [value, c] : v) out.push_back(value);
    return out;
  }
  std::unordered_map<std::string, Ranked> ranked_all(const std::unordered_map<std::string, Counts>& m) const {
    std::unordered_map<std::string, Ranked> out;
    for (const auto& [key, counts] : m) out[key] = ranked(counts);
    return out;
  }
};

const Ranked* find(const std::unordered_map<std::string, Ranked>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

// The first k distinct values of a chain of ranked lists.
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(std::max<std::size_t>(k, 1)) {}
  TopK& then(const Ranked* list) {
    if (list == nullptr) return *this;
    for (const std::string& v : *list) {
      if (top_.size() == k_) break;
      if (!has(v)) top_.push_back(&v);
    }
    return *this;
  }
  bool has(const std::string& v) const {
    return std::any_of(top_.begin(), top_.end(), [&](const std::string* t) { return *t == v; });
  }
  bool first_is(const std::string& v) const { return !top_.empty() && *top_[0] == v; }

 private:
  std::size_t k_;
  std::vector<const std::string*> top_;
};

const char* const kNames[] = {"majority", "last", "bigram", "trigram", "entity_majority", "entity_bigram",
                              "joint_bigram"};
constexpr int kB = 7;

double pct(std::size_t a, std::size_t b) { return b ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0; }

}  // namespace

const BaselineResult& BaselineReport::get(const std::string& name) const {
  for (const auto& b : baselines)
    if (b.name == name) return b;
  throw std::out_of_range("no baseline '" + name + "'");
}

BaselineReport next_event_baselines(const std::vector<RawStream>& streams, const std::vector<std::size_t>& n_fit,
                                    const std::vector<std::string>& fields, std::size_t k) {
  if (streams.size() != n_fit.size())
    throw std::invalid_argument("next_event_baselines: one fitted count per stream expected");
  const std::size_t F = fields.size();
  BaselineReport report;
  report.fields = fields;
  report.k = k;
  const std::string sep("\x1f");
  auto event_key = [&](const RawEvent& ev) {
    std::string key;
    for (std::size_t f = 0; f < F; ++f) key += ev.fields.at(f) + sep;
    return key;
  };

  // Global counts over the fitted events.
  std::vector<FieldCounts> counts(F);
  std::vector<std::unordered_map<std::string, Counts>> next(F), tri(F), joint(F);
  for (std::size_t e = 0; e < streams.size(); ++e) {
    const auto& evs = streams[e].events;
    report.fit_events += n_fit[e];
    report.scored_events += evs.size() - n_fit[e];
    for (std::size_t i = 0; i < n_fit[e]; ++i) {
      const std::string prev_event = i > 0 ? event_key(evs[i - 1]) : "";
      for (std::size_t f = 0; f < F; ++f) {
        const std::string& v = evs[i].fields.at(f);
        ++counts[f].freq[v];
        if (i > 0) {
          ++next[f][evs[i - 1].fields[f]][v];
          ++joint[f][prev_event][v];
        }
        if (i > 1) ++tri[f][evs[i - 2].fields[f] + sep + evs[i - 1].fields[f]][v];
      }
    }
  }
  std::vector<Ranked> global(F);
  std::vector<std::unordered_map<std::string, Ranked>> bigram(F), trigram(F), joint_bigram(F);
  for (std::size_t f = 0; f < F; ++f) {
    global[f] = counts[f].ranked(counts[f].freq);
    bigram[f] = counts[f].ranked_all(next[f]);
    trigram[f] = counts[f].ranked_all(tri[f]);
    joint_bigram[f] = counts[f].ranked_all(joint[f]);
  }

  report.baselines.resize(kB);
  for (int b = 0; b < kB; ++b) {
    report.baselines[b].name = kNames[b];
    report.baselines[b].hit.resize(F);
    report.baselines[b].hit_topk.resize(F);
  }
  // Sums of per-entity accuracies (top-1, top-k) for the macro means.
  std::vector<std::vector<double>> macro1(kB, std::vector<double>(F, 0.0)), macrok = macro1;
  for (std::size_t e = 0; e < streams.size(); ++e) {
    const auto& evs = streams[e].events;
    if (n_fit[e] >= evs.size()) continue;
    // This entity's own counts.
    std::vector<Counts> mine(F);
    std::vector<std::unordered_map<std::string, Counts>> mine_next(F);
    for (std::size_t i = 0; i < n_fit[e]; ++i)
      for (std::size_t f = 0; f < F; ++f) {
        ++mine[f][evs[i].fields[f]];
        if (i > 0) ++mine_next[f][evs[i - 1].fields[f]][evs[i].fields[f]];
      }
    std::vector<Ranked> mine_rank(F);
    std::vector<std::unordered_map<std::string, Ranked>> mine_bigram(F);
    for (std::size_t f = 0; f < F; ++f) {
      mine_rank[f] = counts[f].ranked(mine[f]);
      mine_bigram[f] = counts[f].ranked_all(mine_next[f]);
    }
    // The entity's distinct values, most recent first, before the event being scored.
    std::vector<Ranked> recent(F);
    auto see = [&](std::size_t i) {
      for (std::size_t f = 0; f < F; ++f) {
        auto& r = recent[f];
        auto it = std::find(r.begin(), r.end(), evs[i].fields[f]);
        if (it != r.end()) r.erase(it);
        r.insert(r.begin(), evs[i].fields[f]);
      }
    };
    for (std::size_t i = 0; i < n_fit[e]; ++i) see(i);
    std::vector<std::vector<std::size_t>> local1(kB, std::vector<std::size_t>(F, 0)), localk = local1;
    for (std::size_t p = n_fit[e]; p < evs.size(); ++p) {
      const std::string prev_event = p > 0 ? event_key(evs[p - 1]) : "";
      for (std::size_t f = 0; f < F; ++f) {
        const std::string& truth = evs[p].fields[f];
        const Ranked* succ = p > 0 ? find(bigram[f], evs[p - 1].fields[f]) : nullptr;
        const Ranked* tri_succ =
            p > 1 ? find(trigram[f], evs[p - 2].fields[f] + sep + evs[p - 1].fields[f]) : nullptr;
        const Ranked* mine_succ = p > 0 ? find(mine_bigram[f], evs[p - 1].fields[f]) : nullptr;
        const Ranked* joint_succ = p > 0 ? find(joint_bigram[f], prev_event) : nullptr;
        const TopK tops[kB] = {
            TopK(k).then(&global[f]),
            TopK(k).then(&recent[f]).then(&global[f]),
            TopK(k).then(succ).then(&global[f]),
            TopK(k).then(tri_succ).then(succ).then(&global[f]),
            TopK(k).then(&mine_rank[f]).then(&global[f]),
            TopK(k).then(mine_succ).then(succ).then(&global[f]),
            TopK(k).then(joint_succ).then(succ).then(&global[f]),
        };
        for (int b = 0; b < kB; ++b) {
          const bool h1 = tops[b].first_is(truth), hk = tops[b].has(truth);
          local1[b][f] += h1;
          localk[b][f] += hk;
          report.baselines[b].hit[f].push_back(h1);
          report.baselines[b].hit_topk[f].push_back(hk);
        }
      }
      see(p);
    }
    const std::size_t n = evs.size() - n_fit[e];
    report.scored_per_entity.push_back(n);
    for (int b = 0; b < kB; ++b)
      for (std::size_t f = 0; f < F; ++f) {
        macro1[b][f] += pct(local1[b][f], n);
        macrok[b][f] += pct(localk[b][f], n);
      }
  }
  const double entities = static_cast<double>(report.scored_per_entity.size());
  for (int b = 0; b < kB; ++b) {
    BaselineResult& r = report.baselines[b];
    for (std::size_t f = 0; f < F; ++f) {
      std::size_t h1 = 0, hk = 0;
      for (auto h : r.hit[f]) h1 += h;
      for (auto h : r.hit_topk[f]) hk += h;
      r.accuracy.push_back(pct(h1, report.scored_events));
      r.topk.push_back(pct(hk, report.scored_events));
      r.macro.push_back(entities > 0 ? macro1[b][f] / entities : 0.0);
      r.macro_topk.push_back(entities > 0 ? macrok[b][f] / entities : 0.0);
    }
  }
  return report;
}

BaselineReport split_baselines(const EventLogDataset& log, Part part, std::size_t k) {
  BaselineReport r;
  if (part == Part::kTest) {
    r = next_event_baselines(log.streams(), log.test_starts(), log.options().fields, k);
    r.part = "test";
    return r;
  }
  std::vector<RawStream> streams = log.streams();
  for (std::size_t e = 0; e < streams.size(); ++e) streams[e].events.resize(log.test_start(e));
  r = next_event_baselines(streams, log.train_counts(), log.options().fields, k);
  r.part = "validation";
  return r;
}

namespace {
void table(std::string& out, const BaselineReport& report, const char* title,
           std::vector<double> BaselineResult::*column) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%-16s", title);
  out += buf;
  for (const auto& f : report.fields) {
    std::snprintf(buf, sizeof buf, " %12s", f.c_str());
    out += buf;
  }
  out += "\n";
  for (const auto& b : report.baselines) {
    std::snprintf(buf, sizeof buf, "%-16s", b.name.c_str());
    out += buf;
    for (double a : b.*column) {
      std::snprintf(buf, sizeof buf, " %12.2f", a);
      out += buf;
    }
    out += "\n";
  }
}
}  // namespace

std::string format_baselines(const BaselineReport& report) {
  std::string out;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s: %zu events scored (%zu entities), counts from %zu earlier events\n",
                report.part.c_str(), report.scored_events, report.scored_per_entity.size(), report.fit_events);
  out += buf;
  const std::string k = std::to_string(report.k);
  table(out, report, "top-1, all", &BaselineResult::accuracy);
  table(out, report, ("top-" + k + ", all").c_str(), &BaselineResult::topk);
  table(out, report, "top-1, entities", &BaselineResult::macro);
  table(out, report, ("top-" + k + ", entities").c_str(), &BaselineResult::macro_topk);
  return out;
}

}  // namespace runnel::data
