#include "workflow/similarity.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "workflow/text_normalise.hpp"

namespace lianxin::workflow {

ngram_profile make_profile(std::string_view utf8) {
  const std::u32string t = normalise(utf8);
  ngram_profile p;
  // Code points fit in 21 bits, so a trigram packs exactly into 63 bits; the top bits tell
  // bigrams, trigrams and the lone unigram apart.
  if (t.size() == 1) p.grams.push_back(std::uint64_t{t[0]});
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    p.grams.push_back((std::uint64_t{1} << 63) | (std::uint64_t{t[i]} << 21) | t[i + 1]);
    if (i + 2 < t.size())
      p.grams.push_back((std::uint64_t{t[i]} << 42) | (std::uint64_t{t[i + 1]} << 21) | t[i + 2] | (std::uint64_t{1} << 62));
  }
  std::sort(p.grams.begin(), p.grams.end());
  p.grams.erase(std::unique(p.grams.begin(), p.grams.end()), p.grams.end());
  return p;
}

double similarity(const ngram_profile& a, const ngram_profile& b, similarity_measure m) {
  if (a.grams.empty() || b.grams.empty()) return 0.0;
  std::size_t common = 0;
  for (auto i = a.grams.begin(), j = b.grams.begin(); i != a.grams.end() && j != b.grams.end();) {
    if (*i < *j) ++i;
    else if (*j < *i) ++j;
    else { ++common; ++i; ++j; }
  }
  const double na = static_cast<double>(a.grams.size()), nb = static_cast<double>(b.grams.size());
  if (m == similarity_measure::jaccard) return common / (na + nb - common);
  return 2.0 * common / (na + nb);
}

double similarity(std::string_view a, std::string_view b, similarity_measure m) {
  return similarity(make_profile(a), make_profile(b), m);
}

namespace {
result<similarity_measure> measure_from(const nlohmann::json& j, const std::string& path) {
  if (!j.contains("measure")) return similarity_measure::dice;
  if (j["measure"] == "dice") return similarity_measure::dice;
  if (j["measure"] == "jaccard") return similarity_measure::jaccard;
  return make_error(errc::invalid_config, path + ".measure: want \"dice\" or \"jaccard\"");
}
bool unit_interval(const nlohmann::json& j, const char* key, double& out) {
  if (!j.contains(key)) return true;
  if (!j[key].is_number() || j[key].get<double>() < 0 || j[key].get<double>() > 1) return false;
  out = j[key];
  return true;
}
}  // namespace

result<similarity_config> similarity_config::from_json(const nlohmann::json& j) {
  if (!j.is_object()) return make_error(errc::invalid_config, "similarity: not an object");
  similarity_config c;
  auto m = measure_from(j, "similarity");
  if (!m) return m.err();
  c.measure = *m;
  if (!unit_interval(j, "duplicate_threshold", c.duplicate_threshold))
    return make_error(errc::invalid_config, "similarity.duplicate_threshold: want a number in [0, 1]");
  if (!unit_interval(j, "cluster_threshold", c.cluster_threshold))
    return make_error(errc::invalid_config, "similarity.cluster_threshold: want a number in [0, 1]");
  return c;
}

result<cluster_config> cluster_config::from_json(const nlohmann::json& j) {
  if (!j.is_object()) return make_error(errc::invalid_config, "clusters: not an object");
  cluster_config c;
  auto m = measure_from(j, "clusters");
  if (!m) return m.err();
  c.measure = *m;
  if (j.contains("window_days")) {
    if (!j["window_days"].is_number_integer() || j["window_days"].get<int>() < 1)
      return make_error(errc::invalid_config, "clusters.window_days: want a positive integer");
    c.window_seconds = j["window_days"].get<std::int64_t>() * 86400;
  }
  if (j.contains("min_cases")) {
    if (!j["min_cases"].is_number_integer() || j["min_cases"].get<int>() < 2)
      return make_error(errc::invalid_config, "clusters.min_cases: want an integer >= 2");
    c.min_cases = j["min_cases"].get<std::size_t>();
  }
  if (j.contains("scope")) {
    if (j["scope"] != "village" && j["scope"] != "township")
      return make_error(errc::invalid_config, "clusters.scope: want \"village\" or \"township\"");
    c.township_scope = j["scope"] == "township";
  }
  if (!unit_interval(j, "text_threshold", c.text_threshold))
    return make_error(errc::invalid_config, "clusters.text_threshold: want a number in [0, 1]");
  return c;
}

std::vector<similar_case> find_similar(std::string_view text, const std::vector<candidate_text>& candidates,
                                       double threshold, std::size_t limit, similarity_measure m) {
  const ngram_profile p = make_profile(text);
  std::vector<similar_case> out;
  for (const auto& c : candidates) {
    const double s = similarity(p, make_profile(c.text), m);
    if (s >= threshold) out.push_back({c.number, s});
  }
  std::sort(out.begin(), out.end(), [](const similar_case& a, const similar_case& b) {
    return a.score != b.score ? a.score > b.score : a.number < b.number;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

cluster_decision detect_cluster(const case_summary& fresh, const std::vector<case_summary>& recent,
                                const cluster_config& cfg) {
  const ngram_profile p = make_profile(fresh.text);
  std::vector<const case_summary*> hits;
  for (const auto& c : recent) {
    if (c.number == fresh.number || c.category != fresh.category) continue;
    const bool same_place = cfg.township_scope ? (!fresh.township.empty() && c.township == fresh.township)
                                               : (!fresh.village.empty() && c.village == fresh.village);
    if (!same_place || c.at > fresh.at || fresh.at - c.at > cfg.window_seconds) continue;
    if (similarity(p, make_profile(c.text), cfg.measure) < cfg.text_threshold) continue;
    hits.push_back(&c);
  }
  std::sort(hits.begin(), hits.end(), [](const case_summary* a, const case_summary* b) {
    return a->at != b->at ? a->at < b->at : a->number < b->number;
  });
  cluster_decision d;
  for (const auto* h : hits) d.members.push_back(h->number);
  d.reached = hits.size() + 1 >= cfg.min_cases;
  // An existing cluster among the matches wins: the oldest one, so the id is stable.
  for (const auto* h : hits)
    if (!h->cluster.empty()) {
      d.cluster = h->cluster;
      return d;
    }
  if (d.reached) {
    d.cluster = "C-" + (hits.empty() ? fresh.number : hits.front()->number);
    d.newly_flagged = true;
  }
  return d;
}

}  // namespace lianxin::workflow
