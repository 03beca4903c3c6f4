// The sentences the parser points at that do not depend on the text parsed: help, refusals.
#include "workflow/commands/commands.hpp"

namespace lianxin::workflow::commands {

const char* to_string(command_kind k) {
  switch (k) {
    case command_kind::action: return "action";
    case command_kind::list_open: return "list_open";
    case command_kind::show_case: return "show_case";
    case command_kind::help: return "help";
    case command_kind::malformed: return "malformed";
    case command_kind::not_a_command: return "not_a_command";
  }
  return "?";
}

message refusal(const error& e, const std::string& case_number) {
  // Timers, config and routing errors never come from a chat command; one plain sentence covers
  // them rather than a key per code nobody will see.
  std::string key;
  switch (e.code) {
    case errc::not_authorised: key = "cmd.refused.not_authorised"; break;
    case errc::invalid_transition: key = "cmd.refused.invalid_transition"; break;
    case errc::invalid_argument: key = "cmd.refused.invalid_argument"; break;
    case errc::not_found: key = "cmd.refused.not_found"; break;
    case errc::already_exists: key = "cmd.refused.already_exists"; break;
    case errc::reopen_limit: key = "cmd.refused.reopen_limit"; break;
    case errc::invalid_config:
    case errc::stale_timer:
    case errc::no_candidate: key = "cmd.refused.other"; break;
  }
  return message{key, {{"case", case_number}}};
}

std::vector<message> help_for(actor_role role) {
  std::vector<message> lines;
  const char* who = role == actor_role::department ? "cmd.help.department." : "cmd.help.deputy.";
  const int count = role == actor_role::department ? 3 : 5;
  for (int i = 1; i <= count; ++i) lines.push_back(message{who + std::to_string(i), {}});
  return lines;
}

}  // namespace lianxin::workflow::commands
