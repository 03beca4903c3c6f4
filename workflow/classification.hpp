#pragma once
// The result of classifying a resident's text into a configured category. Shared by the
// classifier (workflow/classifier) and the intake dialogue (workflow/intake), which receives
// it from the caller instead of classifying itself.
#include <string>
#include <vector>

namespace lianxin::workflow {

struct category_score {
  std::string category_id;
  double score = 0.0;
};

struct classification {
  std::vector<category_score> ranked;  // best first; empty when nothing matched
  bool confident = false;              // the best score clears the configured threshold
};

}  // namespace lianxin::workflow
