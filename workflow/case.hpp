#pragma once
// A resident's suggestion as it moves through the workflow (收集 → 交办 → 督办 → 反馈 → 评价).
// A plain value: the shell loads it from Redis, calls apply() (transitions.hpp) and writes the
// returned value back with a version check. Contact details (phone, real name) are stored apart
// by the shell and never enter this type, so a case can be shown to a department as is.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/calendar.hpp"
#include "workflow/deadlines.hpp"
#include "workflow/result.hpp"

namespace lianxin::workflow {

// ---- case numbers: "RN-20261128-0042" (tenant prefix, local filing date, daily sequence) ----

struct case_number {
  std::string prefix;  // 1..8 of A-Z0-9
  civil_date date;
  std::uint32_t sequence = 0;  // 1..; printed with at least 4 digits
  bool operator==(const case_number&) const = default;
};
std::string format_case_number(const case_number& n);
std::optional<case_number> parse_case_number(std::string_view text);

// ---- states and small enums ----

enum class case_state { filed, accepted, returned, merged, assigned, acknowledged, replied, rated, closed, reopened };
const char* to_string(case_state s);
std::optional<case_state> parse_case_state(std::string_view s);
// Returned, merged and closed cases take no more actions (except a deputy's rating of the
// department after closing).
bool is_terminal(case_state s);

enum class rating { satisfied, basically_satisfied, dissatisfied };
const char* to_string(rating r);
std::optional<rating> parse_rating(std::string_view s);  // also accepts 满意 / 基本满意 / 不满意, 1/2/3

enum class overdue_level { none, reminded, supervised, escalated };
const char* to_string(overdue_level o);

enum class actor_role { resident, deputy, department, admin, committee, system };
const char* to_string(actor_role r);

// Who did something. id: deputy code, department id, admin user, committee id, "system", or
// for a resident "platform:user_id".
struct actor {
  actor_role role = actor_role::system;
  std::string id = "system";
  bool operator==(const actor&) const = default;
};
std::string format_actor(const actor& a);  // "deputy:D0123"
std::optional<actor> parse_actor(std::string_view s);

// Where a resident is reached: the chat the suggestion was raised in (a group or a private
// chat) on one platform. `user` identifies the resident for authorising a rating.
struct party {
  std::string platform;
  std::string chat;  // group id or the private chat id
  std::string user;
  bool group = false;
  bool operator==(const party&) const = default;
  std::string identity() const { return platform + ":" + user; }
};

// One line of the append-only case log: who, when, what, why, plus small structured data.
struct log_entry {
  std::int64_t at = 0;
  actor by;
  std::string what;  // the action or event name, e.g. "assign", "remind", "filed"
  std::string why;   // the actor's reason or the rule's explanation, may be empty
  nlohmann::json data = nlohmann::json::object();
  bool operator==(const log_entry&) const = default;
};

struct pending_extension {
  int working_days = 0;
  std::string reason;
  std::int64_t requested_at = 0;
  bool operator==(const pending_extension&) const = default;
};

struct case_record {
  std::string number;
  case_state state = case_state::filed;
  std::uint64_t version = 0;  // bumped by every transition; the shell's optimistic lock
  std::int64_t created_at = 0, updated_at = 0;

  // What and where.
  std::string text;
  std::string category;
  std::string village, township, station;
  std::vector<std::string> attachments;
  bool anonymous = false;

  // Who.
  party reporter;
  std::vector<party> followers;   // "我也遇到了", and residents of merged cases
  std::string deputy;             // code; empty means the congress office holds the case
  std::string routing_rule;       // which routing rule chose the deputy
  std::string department;

  // Handling.
  handling_class handling = handling_class::normal;
  std::string committee;  // owner while under key supervision
  overdue_level overdue = overdue_level::none;
  std::int64_t assigned_at = 0, deadline_at = 0, remind_at = 0, supervise_at = 0, escalate_at = 0;
  std::optional<pending_extension> extension;
  int extensions_granted = 0;
  std::string reply;
  std::int64_t replied_at = 0;
  std::optional<rating> resident_rating;
  std::optional<rating> deputy_rating;  // the deputy's rating of the department (代表测评)
  int reopen_count = 0;
  std::string return_reason;
  std::string merged_into;
  std::vector<std::string> merged_from;
  std::string cluster;  // concentrated-problem cluster id, if any

  // The last few transition ids applied, so a retried action is recognised (see apply()).
  std::vector<std::string> recent_transitions;
  std::vector<log_entry> log;

  bool operator==(const case_record&) const = default;
  bool is_open() const { return !is_terminal(state); }
  bool has_party(const std::string& identity) const;
};

// Compact JSON (short keys, empty fields omitted) for Redis; a typical case with its log stays
// well under 8 KiB.
nlohmann::json to_json(const case_record& c);
result<case_record> case_from_json(const nlohmann::json& j);
nlohmann::json to_json(const log_entry& e);
result<log_entry> log_entry_from_json(const nlohmann::json& j);
nlohmann::json to_json(const party& p);

}  // namespace lianxin::workflow
