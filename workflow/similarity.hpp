#pragma once
// Chinese near-duplicate detection without word segmentation: character bigrams and trigrams
// of the normalised text, compared with the Dice coefficient (Decidim uses pg_trgm the same
// way). Used for "我也遇到了" suggestions at intake and for concentrated-problem clusters.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "workflow/result.hpp"

namespace lianxin::workflow {

// Sorted, unique hashes of the text's character bigrams and trigrams (a one-character text
// yields its unigram, so it is never empty unless the text is).
struct ngram_profile {
  std::vector<std::uint64_t> grams;
};
ngram_profile make_profile(std::string_view utf8);

enum class similarity_measure { dice, jaccard };
double similarity(const ngram_profile& a, const ngram_profile& b, similarity_measure m = similarity_measure::dice);
double similarity(std::string_view a, std::string_view b, similarity_measure m = similarity_measure::dice);

struct similarity_config {
  similarity_measure measure = similarity_measure::dice;
  double duplicate_threshold = 0.45;  // offer "我也遇到了" at intake at or above this
  double cluster_threshold = 0.30;    // count towards a concentrated problem at or above this
  static result<similarity_config> from_json(const nlohmann::json& j);
};

struct similar_case {
  std::string number;
  double score = 0;
};
struct candidate_text {
  std::string number, text;
};
// Candidates at or above `threshold`, best first (ties: the earlier number), at most `limit`.
std::vector<similar_case> find_similar(std::string_view text, const std::vector<candidate_text>& candidates,
                                       double threshold, std::size_t limit = 3,
                                       similarity_measure m = similarity_measure::dice);

// ---- concentrated problems (问题较为集中 → 重点监督) ----

struct case_summary {
  std::string number, category, village, township, text;
  std::int64_t at = 0;   // filing time, unix seconds
  std::string cluster;   // the cluster it already belongs to, if any
};

struct cluster_config {
  std::int64_t window_seconds = 30 * 86400;  // look back this far from the new case
  std::size_t min_cases = 5;                 // the new case included
  bool township_scope = false;               // false: same village; true: same township
  double text_threshold = 0.30;
  similarity_measure measure = similarity_measure::dice;
  static result<cluster_config> from_json(const nlohmann::json& j);
};

struct cluster_decision {
  std::vector<std::string> members;  // earlier cases that match the new one, oldest first
  std::string cluster;               // id to stamp on every member and the new case; "" if none
  bool reached = false;              // members + 1 >= min_cases
  // True only the first time a cluster reaches the threshold: the shell then marks the
  // members for key supervision (mark_key_supervision with `cluster`, `silent` for all but one)
  // so the committee hears once. When an existing cluster grows, only the new case joins it.
  bool newly_flagged = false;
};

cluster_decision detect_cluster(const case_summary& fresh, const std::vector<case_summary>& recent,
                                const cluster_config& cfg);

}  // namespace lianxin::workflow
