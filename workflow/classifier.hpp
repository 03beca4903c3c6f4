#pragma once
// Classifies a resident's text into the configured categories. All phrases of all categories
// go into one Aho–Corasick automaton over normalised code points, so a message is scanned
// once whatever the number of phrases. Each distinct phrase found adds its weight to its
// category; a phrase contained in a longer phrase that also matched is ignored, so "电话"
// (a neutral phrase) keeps "电" from voting for electricity, and "水泥路" beats "水".
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "workflow/classification.hpp"
#include "workflow/result.hpp"
#include "workflow/roster.hpp"

namespace lianxin::workflow {

struct classifier_config {
  double threshold = 3.0;     // the best score must reach this to be confident …
  double margin = 1.5;        // … and lead the runner-up by this much
  std::size_t max_ranked = 5;
  // Phrases that match but score nothing, to shadow shorter phrases inside them.
  std::vector<std::string> neutral{"电话", "手机", "电视", "微信", "打电话"};

  // {"threshold": 3, "margin": 1.5, "max_ranked": 5, "neutral": ["电话", ...]}
  static result<classifier_config> from_json(const nlohmann::json& j);
};

struct phrase_hit {
  std::string category_id;  // empty for a neutral phrase
  std::string phrase;       // normalised
  double weight = 0;
};

class classifier {
 public:
  static result<classifier> build(const std::vector<category>& categories, classifier_config cfg = {});
  classification classify(std::string_view text) const;
  // The phrases that counted, for logs and for tuning the category file.
  std::vector<phrase_hit> explain(std::string_view text) const;
  const classifier_config& config() const { return cfg_; }

 private:
  struct node {
    std::vector<std::pair<char32_t, int>> next;  // sorted by code point
    int fail = 0;
    int output = -1;       // pattern ending here
    int output_link = -1;  // nearest node on the fail chain that has an output
    int child(char32_t c) const;
  };
  struct pattern {
    int category = -1;  // index into category_ids_; -1 = neutral
    double weight = 0;
    std::size_t length = 0;
    std::u32string text;
  };
  std::vector<phrase_hit> hits(const std::u32string& text) const;

  classifier_config cfg_;
  std::vector<std::string> category_ids_;
  std::vector<pattern> patterns_;
  std::vector<node> nodes_;
};

}  // namespace lianxin::workflow
