#pragma once
// Summaries (汇总): counts and rates over a set of cases, computed from the case records alone
// (no I/O, no clock: `now` is passed in). The shell loads the cases filed in a period that the
// caller may see and hands them here; the same function feeds GET /api/v1/stats and the
// monthly summary to the congress office.
//
// Definitions (README "Statistics" repeats them for admins):
//   response rate     cases whose deputy (or the office) first accepted, returned or merged
//                     them within `response_window_seconds` of filing (an assignment counts as
//                     acceptance), among cases that were responded to at all or whose window
//                     has ended. Cases still inside their window without a response are left
//                     out: they can be neither on time nor late yet. A transfer to another
//                     deputy is no response: the clock keeps running from filing.
//   resolution rate   cases now replied, rated or closed, among cases ever assigned to a
//                     department (a reopened case counts as unresolved until replied again).
//   satisfaction rate residents' "satisfied" ratings among rated cases (the latest rating of
//                     each case; "basically satisfied" is reported but not counted).
//   on-time rate      cases whose department replied by the deadline of the current
//                     assignment, among cases with a deadline that was met (replied) or has
//                     passed.
//   median handling   hours from filing to the department's (latest) reply, over the cases
//                     now replied, rated or closed; the mean of the two middle values when
//                     the count is even.
//   overdue           open cases with the department (assigned, acknowledged) whose deadline
//                     has passed; days overdue are whole days after the deadline, rounded up.
//   concentrated      clusters of similar cases (the scheduler's cluster ids), largest first.
//
// Nothing here carries residents' personal data: no text, no reporter, only case numbers,
// places, categories, deputies and departments.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/case.hpp"
#include "workflow/roster.hpp"

namespace lianxin::workflow::stats {

enum class grouping { none, category, village, township, deputy, department };
const char* to_string(grouping g);
std::optional<grouping> parse_grouping(std::string_view s);  // "category" … "department"

struct options {
  std::int64_t now = 0;
  std::int64_t response_window_seconds = 72 * 3600;
  grouping by = grouping::none;
  std::size_t top_clusters = 5;
  std::size_t max_overdue = 500;  // the list is cut (most overdue first); the count is not
};

// A share: count of `of`. The rate is null when `of` is 0.
struct ratio {
  std::size_t count = 0, of = 0;
  std::optional<double> rate() const;
};

// The predicates, exposed for the ledger, the digests and tests.
bool responded_within(const case_record& c, std::int64_t window_seconds);
std::optional<std::int64_t> first_response_at(const case_record& c);
bool is_resolved(const case_record& c);  // replied, rated or closed
bool was_assigned(const case_record& c);
bool is_overdue(const case_record& c, std::int64_t now);
int days_overdue(const case_record& c, std::int64_t now);  // 0 when not overdue
// Replied (for the current assignment) after its deadline, or open and past it.
bool missed_deadline(const case_record& c, std::int64_t now);

struct figures {
  std::size_t cases = 0;
  std::vector<std::size_t> by_state = std::vector<std::size_t>(10, 0);  // index: case_state
  ratio response, resolution, satisfaction, on_time;
  std::size_t basically_satisfied = 0, dissatisfied = 0;
  std::vector<double> handling_hours;  // one per resolved case
  std::size_t overdue = 0;
  std::optional<double> median_handling_hours() const;
  void add(const case_record& c, const options& o);
};

struct overdue_item {
  std::string number, category, village, township, department;
  std::int64_t deadline_at = 0;
  int days = 0;
};

struct cluster_item {
  std::string id, category, village, township;  // village empty when the cluster spans several
  std::size_t count = 0;
};

struct summary {
  figures totals;
  std::vector<std::pair<std::string, figures>> groups;  // key (id; "" for none) → figures, by key
  std::vector<overdue_item> overdue;                     // most days overdue first
  std::vector<cluster_item> clusters;                    // largest first
};

summary summarise(const std::vector<case_record>& cases, const options& o);

// The JSON answer of GET /api/v1/stats without the period (the shell adds it): names from
// the roster next to every id.
nlohmann::json to_json(const summary& s, const roster& r, grouping by);
nlohmann::json to_json(const figures& f);
nlohmann::json to_json(const ratio& r);

}  // namespace lianxin::workflow::stats
