#pragma once
// The case state machine: apply(case, action, now) -> the new case plus effects as data
// (log entries, notifications for the outbox, timers for the scheduler, follow-up actions on
// other cases). The shell writes all of it in one atomic Redis step; nothing here does I/O.
//
//   new ──accept──▶ accepted ──assign──▶ assigned ──acknowledge──▶ acknowledged ──reply──▶ replied
//    │  ╲return / merge / transfer(stays new)                 ▲                              │rate
//    └───assign (accept implied)                               │                              ▼
//                          reopened ◀──rate 不满意 (once)── replied      rated ──close──▶ closed
//                              └──assign──▶ assigned
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workflow/calendar.hpp"
#include "workflow/case.hpp"
#include "workflow/deadlines.hpp"
#include "workflow/result.hpp"
#include "workflow/roster.hpp"

namespace lianxin::workflow {

enum class action_kind {
  accept, return_case, transfer, merge, assign,          // deputy (or admin)
  acknowledge, reply, request_extension,                 // department
  approve_extension, deny_extension,                     // deputy (or admin)
  rate,                                                  // resident (reporter or follower)
  rate_department, close, mark_immediate, mark_key_supervision,  // deputy (or admin; system may close/mark)
  add_follower,                                          // resident ("我也遇到了") or system
  absorb,                                                // system: followers of a case merged into this one
  remind, supervise, escalate,                           // system timers
};
const char* to_string(action_kind k);
std::optional<action_kind> parse_action_kind(std::string_view s);

struct action {
  // Chosen by the shell per request (e.g. the platform event id + command); a repeat of a
  // recent id is recognised and returns `replayed` with no effects.
  std::string transition_id;
  action_kind kind = action_kind::accept;
  actor by;
  std::string reason;  // return / transfer / extension / close / key supervision: the "why"
  std::string target;  // transfer: deputy code; merge: case number; assign: department id;
                       // mark_key_supervision: committee id (default: the roster's)
  std::string text;    // reply: the department's result (办结情况)
  std::optional<int> working_days;        // assign: deadline override; request_extension: days
  std::optional<handling_class> handling;  // assign: immediate handling in the same step
  std::optional<rating> value;            // rate / rate_department
  std::vector<party> parties;             // add_follower: the follower; absorb: those to add
  std::int64_t timer_due = 0;             // timers: the due time they were scheduled for
  std::string cluster;                    // mark_key_supervision from clustering
  bool silent = false;                    // mark_key_supervision: the committee hears once per cluster
};

enum class audience { resident, group, deputy, department, committee, office };
const char* to_string(audience a);

// One message for the outbox. The shell renders `key` from the message catalogue with
// `params`. Group posts carry only the case number, category name and a neutral status.
struct notification {
  audience to = audience::resident;
  std::string target;  // deputy code / department id / committee id / office id; "" for chats
  std::optional<party> chat;  // resident and group audiences: where to post
  std::string key;            // e.g. "case.assigned.department"
  std::map<std::string, std::string> params;
  std::string dedupe_key;  // "<case>/<version>/<index>": lets the notifier send once
};

enum class timer_kind { remind, supervise, escalate };
const char* to_string(timer_kind k);

struct timer_effect {
  bool cancel = false;  // false: schedule (replacing any timer with the same key)
  timer_kind kind = timer_kind::remind;
  std::string case_number;
  std::int64_t at = 0;
  std::string key() const;  // "<case>:<kind>", stable so a reschedule replaces
};

// An action the shell must apply to another case in the same step (merge → absorb).
struct follow_up {
  std::string case_number;
  action act;
};

struct transition {
  case_record after;
  std::vector<log_entry> entries;  // appended to after.log already; listed for the stream
  std::vector<notification> notifications;
  std::vector<timer_effect> timers;
  std::vector<follow_up> follow_ups;
  bool replayed = false;  // the transition id was seen: nothing changed, nothing to do
};

struct workflow_context {
  const roster& people;
  const working_calendar& calendar;
  const deadline_table& deadlines;
  std::size_t idempotency_window = 32;  // how many recent transition ids a case remembers
  int max_extension_working_days = 30;
};

// What intake hands over when a resident confirms a suggestion.
struct new_case {
  std::string number;
  std::string text, category, village, township, station;
  std::vector<std::string> attachments;
  bool anonymous = false;
  party reporter;
  std::string deputy;  // from routing; empty: the congress office
  std::string routing_rule, routing_reason;
};

// Files a case: state new, the routing decision in the log, the deputy (or the office) told.
result<transition> open_case(const new_case& input, std::int64_t now, const workflow_context& ctx);

// Applies one action. Errors: not_authorised (wrong actor), invalid_transition (wrong state),
// invalid_argument / not_found (bad parameters), reopen_limit, already_exists, stale_timer.
result<transition> apply(const case_record& c, const action& a, std::int64_t now, const workflow_context& ctx);

// Whether `a` may act as the case's deputy (the case's deputy, or an admin; only an admin when
// the congress office holds the case).
bool acts_as_deputy(const case_record& c, const actor& a);

}  // namespace lianxin::workflow
