#pragma once
// Internal to the command parser: the command words of each role and how each command's
// arguments become a workflow action.
#include <optional>
#include <string>
#include <string_view>

#include "workflow/commands/commands.hpp"

namespace lianxin::workflow::commands {

enum class verb {
  accept, return_case, transfer, merge, assign, mark_immediate, mark_key_supervision, close,
  approve_extension, deny_extension, rate_department,  // deputies and admins
  acknowledge, reply, request_extension,               // departments
  list, show, help,                                    // everyone but residents
};

struct verb_spec {
  verb v;
  std::string_view example;  // the canonical word, quoted back in error sentences
  bool takes_text;           // free text follows (a reason, a department, a result)
};

struct verb_found {
  const verb_spec* spec = nullptr;
  std::string args;  // what followed the command word, untrimmed
};

// The command word at the start of `head` for a sender of `role` (admins use the deputies').
std::optional<verb_found> find_verb(std::string_view head, actor_role role);

// Fills p.act (kind, target, text, reason, working_days, handling, value) and p.confirmation
// from the arguments; returns the malformed reply instead when they do not make sense.
std::optional<parsed_command> fill_action(const verb_spec& spec, const std::string& args, const roster& people,
                                          parsed_command& p);

}  // namespace lianxin::workflow::commands
