#include "workflow/classifier.hpp"

#include <algorithm>
#include <deque>
#include <map>

#include <nlohmann/json.hpp>

#include "workflow/text_normalise.hpp"

namespace lianxin::workflow {

result<classifier_config> classifier_config::from_json(const nlohmann::json& j) {
  classifier_config c;
  if (!j.is_object()) return make_error(errc::invalid_config, "classifier: not an object");
  auto num = [&](const char* key, double& out) -> bool {
    if (!j.contains(key)) return true;
    if (!j[key].is_number() || j[key].get<double>() < 0) return false;
    out = j[key];
    return true;
  };
  if (!num("threshold", c.threshold)) return make_error(errc::invalid_config, "classifier.threshold: want a number >= 0");
  if (!num("margin", c.margin)) return make_error(errc::invalid_config, "classifier.margin: want a number >= 0");
  if (j.contains("max_ranked")) {
    if (!j["max_ranked"].is_number_unsigned()) return make_error(errc::invalid_config, "classifier.max_ranked: want an integer");
    c.max_ranked = j["max_ranked"];
  }
  if (j.contains("neutral")) {
    if (!j["neutral"].is_array()) return make_error(errc::invalid_config, "classifier.neutral: want an array of strings");
    c.neutral.clear();
    for (std::size_t i = 0; i < j["neutral"].size(); ++i) {
      if (!j["neutral"][i].is_string())
        return make_error(errc::invalid_config, "classifier.neutral[" + std::to_string(i) + "]: not a string");
      c.neutral.push_back(j["neutral"][i]);
    }
  }
  return c;
}

int classifier::node::child(char32_t c) const {
  auto it = std::lower_bound(next.begin(), next.end(), c, [](const auto& p, char32_t v) { return p.first < v; });
  return it != next.end() && it->first == c ? it->second : -1;
}

result<classifier> classifier::build(const std::vector<category>& categories, classifier_config cfg) {
  classifier k;
  k.cfg_ = std::move(cfg);
  k.nodes_.emplace_back();
  // A phrase may appear once across all categories: ambiguity belongs in the weights, and a
  // duplicate is usually a copy-paste slip in the config.
  std::map<std::u32string, std::string> seen;
  auto add = [&](const std::string& raw, int cat, double weight, const std::string& where) -> std::optional<error> {
    const std::u32string p = normalise(raw);
    if (p.empty()) return make_error(errc::invalid_config, where + ": phrase \"" + raw + "\" is empty after normalisation");
    if (auto it = seen.find(p); it != seen.end())
      return make_error(errc::invalid_config, where + ": phrase \"" + raw + "\" already used by " + it->second);
    seen[p] = where;
    int cur = 0;
    for (char32_t c : p) {
      int nxt = k.nodes_[cur].child(c);
      if (nxt < 0) {
        nxt = static_cast<int>(k.nodes_.size());
        k.nodes_.emplace_back();
        auto& v = k.nodes_[cur].next;
        v.insert(std::lower_bound(v.begin(), v.end(), c, [](const auto& q, char32_t x) { return q.first < x; }),
                 {c, nxt});
      }
      cur = nxt;
    }
    k.nodes_[cur].output = static_cast<int>(k.patterns_.size());
    k.patterns_.push_back({cat, weight, p.size(), p});
    return std::nullopt;
  };
  for (std::size_t ci = 0; ci < categories.size(); ++ci) {
    k.category_ids_.push_back(categories[ci].id);
    for (const auto& ph : categories[ci].phrases)
      if (auto e = add(ph.text, static_cast<int>(ci), ph.weight, "categories." + categories[ci].id + ".phrases"))
        return *e;
  }
  for (const auto& n : k.cfg_.neutral)
    if (auto e = add(n, -1, 0, "classifier.neutral")) return *e;

  // Breadth-first fail links (classic Aho–Corasick).
  std::deque<int> queue;
  for (const auto& [c, child] : k.nodes_[0].next) queue.push_back(child);
  while (!queue.empty()) {
    const int u = queue.front();
    queue.pop_front();
    for (const auto& [c, v] : k.nodes_[u].next) {
      int f = k.nodes_[u].fail;
      while (f != 0 && k.nodes_[f].child(c) < 0) f = k.nodes_[f].fail;
      const int fc = k.nodes_[f].child(c);
      k.nodes_[v].fail = (fc >= 0 && fc != v) ? fc : 0;
      const int fl = k.nodes_[v].fail;
      k.nodes_[v].output_link = k.nodes_[fl].output >= 0 ? fl : k.nodes_[fl].output_link;
      queue.push_back(v);
    }
  }
  return k;
}

std::vector<phrase_hit> classifier::hits(const std::u32string& text) const {
  struct span {
    std::size_t begin, end;
    int pattern;
  };
  std::vector<span> found;
  int cur = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    while (cur != 0 && nodes_[cur].child(text[i]) < 0) cur = nodes_[cur].fail;
    const int nxt = nodes_[cur].child(text[i]);
    cur = nxt < 0 ? 0 : nxt;
    for (int o = nodes_[cur].output >= 0 ? cur : nodes_[cur].output_link; o >= 0; o = nodes_[o].output_link) {
      const int p = nodes_[o].output;
      found.push_back({i + 1 - patterns_[p].length, i + 1, p});
    }
  }
  // Drop matches inside a longer match; count each remaining phrase once.
  std::vector<phrase_hit> out;
  std::vector<bool> counted(patterns_.size(), false);
  for (const auto& s : found) {
    const bool inside = std::any_of(found.begin(), found.end(), [&](const span& o) {
      return o.begin <= s.begin && s.end <= o.end && (o.end - o.begin) > (s.end - s.begin);
    });
    if (inside || counted[s.pattern]) continue;
    counted[s.pattern] = true;
    const auto& p = patterns_[s.pattern];
    out.push_back({p.category >= 0 ? category_ids_[p.category] : "", encode_utf8(p.text), p.weight});
  }
  return out;
}

std::vector<phrase_hit> classifier::explain(std::string_view text) const { return hits(normalise(text)); }

classification classifier::classify(std::string_view text) const {
  std::vector<double> score(category_ids_.size(), 0.0);
  for (const auto& h : hits(normalise(text))) {
    if (h.category_id.empty()) continue;
    const auto it = std::find(category_ids_.begin(), category_ids_.end(), h.category_id);
    score[it - category_ids_.begin()] += h.weight;
  }
  classification out;
  for (std::size_t i = 0; i < score.size(); ++i)
    if (score[i] > 0) out.ranked.push_back({category_ids_[i], score[i]});
  // Stable: equal scores keep the config's order, which lists the common categories first.
  std::stable_sort(out.ranked.begin(), out.ranked.end(),
                   [](const category_score& a, const category_score& b) { return a.score > b.score; });
  if (out.ranked.size() > cfg_.max_ranked) out.ranked.resize(cfg_.max_ranked);
  if (!out.ranked.empty()) {
    const double best = out.ranked[0].score;
    const double second = out.ranked.size() > 1 ? out.ranked[1].score : 0.0;
    out.confident = best >= cfg_.threshold && best - second >= cfg_.margin;
  }
  return out;
}

}  // namespace lianxin::workflow
