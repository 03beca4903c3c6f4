#pragma once
// How long a department has to reply, when it is reminded, and when an overdue case is
// escalated — per category deadline class and per handling class. Numbers follow 12345
// practice (7 working days for ordinary matters, 15 for complex ones, a short clock for
// water/power outages) scaled to a county congress office's pace.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "workflow/calendar.hpp"
#include "workflow/result.hpp"

namespace lianxin::workflow {

enum class handling_class { normal, immediate, key_supervision };
const char* to_string(handling_class h);
std::optional<handling_class> parse_handling_class(std::string_view s);

struct deadline_policy {
  int working_days = 7;                        // the reply is due by 24:00 of the n-th working day
  int reminder_before_working_days = 1;        // reminder at `office_hour` this many working days before
  int escalate_after_overdue_working_days = 3; // overdue this long → key supervision
};

// The moments the scheduler should fire for one assignment, all unix seconds.
struct deadline_times {
  std::int64_t deadline_at = 0;   // 24:00 local of the last working day
  std::int64_t remind_at = 0;     // office hour, before the deadline (never before `now`)
  std::int64_t supervise_at = 0;  // office hour of the first working day after the deadline
  std::int64_t escalate_at = 0;   // office hour, N working days after the deadline day
};

class deadline_table {
 public:
  // Defaults (documented here because admins read this when they tune the JSON):
  //   normal handling:  urgent 3 wd (outages: water, power), standard 7 wd, complex 15 wd;
  //                     reminder 1 wd before (2 for complex); escalate after 3 wd overdue
  //                     (5 for complex).
  //   immediate (立即办理): 2 wd whatever the class, reminder on the deadline morning,
  //                     escalate after 1 wd overdue.
  //   key supervision (重点监督): 20 wd, reminder 3 wd before; already escalated, so the
  //                     "escalation" step re-notifies the committee after 5 wd overdue.
  //   office_hour 9 (reminders and notices land at 09:00 local).
  deadline_table();

  // {"office_hour": 9, "normal": {"standard": {"working_days": 7, ...}, ...},
  //  "immediate": {"*": {...}}, "key_supervision": {"*": {...}}}
  // Missing entries keep their defaults; errors name the JSON path.
  static result<deadline_table> from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  // Falls back to the handling class's "*" entry, then to "standard".
  deadline_policy policy(handling_class h, std::string_view deadline_class) const;
  int office_hour() const { return office_hour_; }

  deadline_times compute(const working_calendar& cal, std::int64_t now, const deadline_policy& p) const;

 private:
  int office_hour_ = 9;
  std::map<handling_class, std::map<std::string, deadline_policy, std::less<>>> table_;
};

}  // namespace lianxin::workflow
