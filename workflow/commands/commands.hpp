#pragma once
// Chat commands of deputies, department handlers, admins and residents, parsed into a workflow
// action (or a query) without touching any state. The shell resolves who is speaking from the
// roster by the stable chat id (never by nickname), loads the case the command names, calls
// workflow::apply() and, on success, sends `confirmation`. Whether the sender may act on that
// case is decided by apply(), not here: the parser only understands the words, so one refusal
// path serves chat and API alike.
//
//   受理 RN-20261128-0042            交办 rn-20261128-0042 交通局 七天
//   退回 RN-… 原因：属于法院诉讼      签收 / 答复 RN-… 已修好 / 申请延期 RN-… 5天 等配件
//   3（a resident's rating of the case awaiting it）
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/intake/dialogue.hpp"
#include "workflow/result.hpp"
#include "workflow/roster.hpp"
#include "workflow/transitions.hpp"

namespace lianxin::workflow::commands {

using message = intake::message;  // {key, params}, rendered by the shell from the catalogue

enum class command_kind {
  action,         // apply `act` to `case_number`
  list_open,      // "待办" / "我的案件": list the sender's open cases (cmd.list.*)
  show_case,      // "查看 RN-…": show one case (cmd.case.*)
  help,           // "帮助": send `replies`
  malformed,      // a command word with bad or missing arguments: send `replies`
  not_a_command,  // not for the command parser: hand the text to intake (residents) or ignore
};
const char* to_string(command_kind k);

// What the shell knows about the sender before parsing.
struct command_context {
  const roster& people;
  actor sender;  // role and id resolved from the roster; residents: "platform:user"
  // The sender's open cases (a deputy's cases, a department's assigned cases), so the number may
  // be left out when there is exactly one.
  std::vector<std::string> open_cases;
  // Residents: the cases replied to and awaiting this resident's rating. A bare "1"/"满意" rates
  // the only one; with none, a bare digit is not a command (it may answer an intake menu).
  std::vector<std::string> awaiting_rating;
};

struct parsed_command {
  command_kind kind = command_kind::not_a_command;
  // kind == action: kind, by (the sender), target, text, reason, working_days, handling, value.
  // transition_id is left empty for the shell (platform event id + command).
  action act;
  std::string case_number;       // action / show_case: canonical "RN-20261128-0042"
  bool case_inferred = false;    // the number was left out and taken from the only open case
  message confirmation;          // action: what to tell the sender once apply() succeeded
  std::vector<message> replies;  // help lines, or the one error (cmd.error.*)
};

// Parses one chat message. Forgiving about full-width digits and punctuation, extra spaces, a
// leading @mention, lower-case case numbers, Chinese numerals for days ("三天", "十个工作日").
parsed_command parse(std::string_view text, const command_context& ctx);

// Whether a resident's text could be a command at all, whatever awaits their rating: false means
// parse() gives not_a_command for it with any awaiting_rating list, so the caller need not look
// up the resident's cases (ordinary group chat costs no Redis round trip).
bool may_be_resident_command(std::string_view text, const roster& people);

// The chat reply for an apply() error on `case_number`: cmd.refused.<errc>.
message refusal(const error& e, const std::string& case_number);

// Help lines for a role: cmd.help.deputy.* (deputies and admins) or cmd.help.department.*.
std::vector<message> help_for(actor_role role);

}  // namespace lianxin::workflow::commands
