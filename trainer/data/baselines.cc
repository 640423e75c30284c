#include "trainer/data/baselines.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace runnel::data {
namespace {

struct FieldCounts {
  std::unordered_map<std::string, std::size_t> freq;  // global train frequency
  std::unordered_map<std::string, std::unordered_map<std::string, std::size_t>> next;
  std::string majority;

  // Candidate a beats b: more count, then more global train frequency, then text.
  bool better(const std::string& a, std::size_t ca, const std::string& b, std::size_t cb) const {
    if (ca != cb) return ca > cb;
    std::size_t fa = lookup(a), fb = lookup(b);
    if (fa != fb) return fa > fb;
    return a < b;
  }
  std::size_t lookup(const std::string& v) const {
    auto it = freq.find(v);
    return it == freq.end() ? 0 : it->second;
  }
  // The values of `counts` best first (count, then global frequency, then text).
  std::vector<std::string> ranked(const std::unordered_map<std::string, std::size_t>& counts) const {
    std::vector<std::pair<std::string, std::size_t>> v(counts.begin(), counts.end());
    std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) { return better(a.first, a.second, b.first, b.second); });
    std::vector<std::string> out;
    for (const auto& [value, c] : v) out.push_back(value);
    return out;
  }
  std::string argmax(const std::unordered_map<std::string, std::size_t>& counts) const {
    std::string best;
    std::size_t best_count = 0;
    bool any = false;
    for (const auto& [v, c] : counts)
      if (!any || better(v, c, best, best_count)) {
        best = v;
        best_count = c;
        any = true;
      }
    return best;
  }
};

}  // namespace

const BaselineResult& BaselineReport::get(const std::string& name) const {
  for (const auto& b : baselines)
    if (b.name == name) return b;
  throw std::out_of_range("no baseline '" + name + "'");
}

namespace {
// `first` (in order, distinct), then `fill` values not yet in it, up to k.
bool in_top_k(const std::string& truth, const std::vector<std::string>& first, const std::vector<std::string>& fill,
              std::size_t k) {
  std::vector<const std::string*> top;
  for (const std::string& v : first) {
    if (top.size() == k) break;
    top.push_back(&v);
  }
  for (const std::string& v : fill) {
    if (top.size() == k) break;
    if (std::none_of(top.begin(), top.end(), [&](const std::string* t) { return *t == v; })) top.push_back(&v);
  }
  return std::any_of(top.begin(), top.end(), [&](const std::string* t) { return *t == truth; });
}
}  // namespace

BaselineReport next_event_baselines(const std::vector<RawStream>& streams,
                                    const std::vector<std::size_t>& n_train,
                                    const std::vector<std::string>& fields, std::size_t k) {
  if (streams.size() != n_train.size())
    throw std::invalid_argument("next_event_baselines: one train count per stream expected");
  const std::size_t F = fields.size();
  BaselineReport report;
  report.fields = fields;
  report.k = k;
  std::vector<FieldCounts> counts(F);
  for (std::size_t e = 0; e < streams.size(); ++e) {
    const auto& evs = streams[e].events;
    report.train_events += n_train[e];
    report.validation_events += evs.size() - n_train[e];
    for (std::size_t i = 0; i < n_train[e]; ++i)
      for (std::size_t f = 0; f < F; ++f) {
        ++counts[f].freq[evs[i].fields.at(f)];
        if (i > 0) ++counts[f].next[evs[i - 1].fields[f]][evs[i].fields[f]];
      }
  }
  std::vector<std::unordered_map<std::string, std::string>> bigram(F);
  std::vector<std::vector<std::string>> global_rank(F);
  std::vector<std::unordered_map<std::string, std::vector<std::string>>> bigram_rank(F);
  for (std::size_t f = 0; f < F; ++f) {
    counts[f].majority = counts[f].argmax(counts[f].freq);
    for (const auto& [prev, nexts] : counts[f].next) bigram[f][prev] = counts[f].argmax(nexts);
    global_rank[f] = counts[f].ranked(counts[f].freq);
    for (const auto& [prev, nexts] : counts[f].next) bigram_rank[f][prev] = counts[f].ranked(nexts);
  }
  // top-k hits of majority, last, bigram.
  std::vector<std::vector<std::size_t>> topk_hits(3, std::vector<std::size_t>(F, 0));
  const std::vector<std::string> none;
  // trigram: (x_{t-2}, x_{t-1}) -> x_t; entity counts; joint: whole previous event -> x_t.
  const std::string sep("\x1f");
  std::vector<std::unordered_map<std::string, std::unordered_map<std::string, std::size_t>>>
      tri(F), joint(F);
  for (std::size_t e = 0; e < streams.size(); ++e) {
    const auto& evs = streams[e].events;
    for (std::size_t i = 1; i < n_train[e]; ++i) {
      std::string prev_event;
      for (std::size_t f = 0; f < F; ++f) prev_event += evs[i - 1].fields[f] + sep;
      for (std::size_t f = 0; f < F; ++f) {
        ++joint[f][prev_event][evs[i].fields[f]];
        if (i >= 2) ++tri[f][evs[i - 2].fields[f] + sep + evs[i - 1].fields[f]][evs[i].fields[f]];
      }
    }
  }
  std::vector<std::unordered_map<std::string, std::string>> tri_best(F), joint_best(F);
  for (std::size_t f = 0; f < F; ++f) {
    for (const auto& [k, nexts] : tri[f]) tri_best[f][k] = counts[f].argmax(nexts);
    for (const auto& [k, nexts] : joint[f]) joint_best[f][k] = counts[f].argmax(nexts);
  }
  auto lookup = [](const std::unordered_map<std::string, std::string>& m, const std::string& key,
                   const std::string& fallback) {
    auto it = m.find(key);
    return it == m.end() ? fallback : it->second;
  };

  const char* names[] = {"majority", "last", "bigram", "trigram", "entity_majority",
                         "entity_bigram", "joint_bigram"};
  constexpr int kB = 7;
  std::vector<std::vector<std::size_t>> hits(kB, std::vector<std::size_t>(F, 0));
  std::vector<std::vector<double>> macro_sum(kB, std::vector<double>(F, 0.0));
  std::size_t entities = 0;
  for (std::size_t e = 0; e < streams.size(); ++e) {
    const auto& evs = streams[e].events;
    if (n_train[e] >= evs.size()) continue;
    ++entities;
    // This entity's train counts.
    std::vector<FieldCounts> mine(F);
    std::vector<std::string> mine_majority(F);
    std::vector<std::unordered_map<std::string, std::string>> mine_bigram(F);
    for (std::size_t i = 0; i < n_train[e]; ++i)
      for (std::size_t f = 0; f < F; ++f) {
        ++mine[f].freq[evs[i].fields[f]];
        if (i > 0) ++mine[f].next[evs[i - 1].fields[f]][evs[i].fields[f]];
      }
    for (std::size_t f = 0; f < F; ++f) {
      // Ties broken by global frequency: use the global counts' comparison.
      mine_majority[f] = mine[f].freq.empty() ? counts[f].majority : counts[f].argmax(mine[f].freq);
      for (const auto& [prev, nexts] : mine[f].next) mine_bigram[f][prev] = counts[f].argmax(nexts);
    }
    std::vector<std::vector<std::size_t>> local(kB, std::vector<std::size_t>(F, 0));
    // The entity's distinct values, most recent first, before event p.
    std::vector<std::vector<std::string>> recent(F);
    auto see = [&](std::size_t i) {
      for (std::size_t f = 0; f < F; ++f) {
        auto& r = recent[f];
        auto it = std::find(r.begin(), r.end(), evs[i].fields[f]);
        if (it != r.end()) r.erase(it);
        r.insert(r.begin(), evs[i].fields[f]);
      }
    };
    for (std::size_t i = 0; i < n_train[e]; ++i) see(i);
    for (std::size_t p = n_train[e]; p < evs.size(); ++p) {
      for (std::size_t f = 0; f < F; ++f) {
        const std::string& truth = evs[p].fields[f];
        topk_hits[0][f] += in_top_k(truth, none, global_rank[f], k);
        topk_hits[1][f] += in_top_k(truth, recent[f], global_rank[f], k);
        const std::vector<std::string>* succ = &none;
        if (p > 0) {
          auto it = bigram_rank[f].find(evs[p - 1].fields[f]);
          if (it != bigram_rank[f].end()) succ = &it->second;
        }
        topk_hits[2][f] += in_top_k(truth, *succ, global_rank[f], k);
      }
      see(p);
      std::string prev_event;
      if (p > 0)
        for (std::size_t f = 0; f < F; ++f) prev_event += evs[p - 1].fields[f] + sep;
      for (std::size_t f = 0; f < F; ++f) {
        const std::string& truth = evs[p].fields[f];
        const std::string& maj = counts[f].majority;
        std::string pred[kB];
        pred[0] = maj;
        pred[1] = p > 0 ? evs[p - 1].fields[f] : maj;
        pred[2] = p > 0 ? lookup(bigram[f], evs[p - 1].fields[f], maj) : maj;
        pred[3] = p > 1 ? lookup(tri_best[f], evs[p - 2].fields[f] + sep + evs[p - 1].fields[f], pred[2])
                        : pred[2];
        pred[4] = mine_majority[f];
        pred[5] = p > 0 ? lookup(mine_bigram[f], evs[p - 1].fields[f], pred[2]) : pred[2];
        pred[6] = p > 0 ? lookup(joint_best[f], prev_event, pred[2]) : pred[2];
        for (int b = 0; b < kB; ++b) local[b][f] += truth == pred[b];
      }
    }
    const double n = static_cast<double>(evs.size() - n_train[e]);
    for (int b = 0; b < kB; ++b)
      for (std::size_t f = 0; f < F; ++f) {
        hits[b][f] += local[b][f];
        macro_sum[b][f] += 100.0 * static_cast<double>(local[b][f]) / n;
      }
  }
  for (int b = 0; b < kB; ++b) {
    BaselineResult r;
    r.name = names[b];
    for (std::size_t f = 0; f < F; ++f) {
      r.accuracy.push_back(report.validation_events
                               ? 100.0 * static_cast<double>(hits[b][f]) /
                                     static_cast<double>(report.validation_events)
                               : 0.0);
      r.macro.push_back(entities ? macro_sum[b][f] / static_cast<double>(entities) : 0.0);
      if (b < 3)
        r.topk.push_back(report.validation_events ? 100.0 * static_cast<double>(topk_hits[b][f]) /
                                                        static_cast<double>(report.validation_events)
                                                  : 0.0);
    }
    report.baselines.push_back(std::move(r));
  }
  return report;
}

std::string format_baselines(const BaselineReport& report) {
  std::string out;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-16s", "baseline");
  out += buf;
  for (const auto& f : report.fields) {
    std::snprintf(buf, sizeof buf, " %12s", f.c_str());
    out += buf;
  }
  out += "\n";
  for (const auto& b : report.baselines) {
    std::snprintf(buf, sizeof buf, "%-16s", b.name.c_str());
    out += buf;
    for (double a : b.accuracy) {
      std::snprintf(buf, sizeof buf, " %12.2f", a);
      out += buf;
    }
    out += "\n";
  }
  bool any_topk = false;
  for (const auto& b : report.baselines) any_topk = any_topk || !b.topk.empty();
  if (any_topk) {
    std::snprintf(buf, sizeof buf, "top-%zu:\n", report.k);
    out += buf;
    for (const auto& b : report.baselines) {
      if (b.topk.empty()) continue;
      std::snprintf(buf, sizeof buf, "%-16s", b.name.c_str());
      out += buf;
      for (double a : b.topk) {
        std::snprintf(buf, sizeof buf, " %12.2f", a);
        out += buf;
      }
      out += "\n";
    }
  }
  std::snprintf(buf, sizeof buf, "(%zu train / %zu validation events)\n", report.train_events,
                report.validation_events);
  return out + buf;
}

}  // namespace runnel::data
