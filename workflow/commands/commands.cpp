#include "workflow/commands/commands.hpp"

#include <algorithm>

#include "workflow/commands/lexicon.hpp"
#include "workflow/commands/verbs.hpp"
#include "workflow/intake/text.hpp"

namespace lianxin::workflow::commands {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "@连心桥 受理 …", "/受理 …", "请受理 …": the address and the politeness are not the command.
std::string strip_address(std::string s) {
  if (starts_with(s, "@")) {
    auto space = s.find(' ');
    s = space == std::string::npos ? "" : s.substr(space + 1);
  }
  for (std::string_view lead : {"/", "请"})
    if (starts_with(s, lead)) s.erase(0, lead.size());
  return std::string(intake::text::trim_separators(s));
}

parsed_command malformed(std::string key, std::map<std::string, std::string> params = {}) {
  parsed_command p;
  p.kind = command_kind::malformed;
  p.replies.push_back(message{std::move(key), std::move(params)});
  return p;
}

// The case a command is about: the number written, else the only candidate.
struct case_choice {
  std::string number;
  bool inferred = false;
  std::optional<parsed_command> problem;
};
case_choice choose_case(const std::optional<std::string>& written, const std::vector<std::string>& candidates,
                        std::string_view command) {
  if (written) return {*written, false, std::nullopt};
  if (candidates.size() == 1) return {candidates.front(), true, std::nullopt};
  if (candidates.empty()) return {"", false, malformed("cmd.error.no_case", {{"command", std::string(command)}})};
  return {"", false,
          malformed("cmd.error.which_case", {{"command", std::string(command)}, {"count", std::to_string(candidates.size())}})};
}

// Residents only rate: "1"/"满意", "评价 RN-… 不满意 路还是坑". Anything else goes to intake.
parsed_command parse_resident(const std::string& head, const std::optional<std::string>& written,
                              const command_context& ctx) {
  std::string_view body = head;
  bool explicit_verb = false;
  for (std::string_view verb : {"评价", "打分", "测评"})
    if (starts_with(body, verb)) {
      body.remove_prefix(verb.size());
      explicit_verb = true;
      break;
    }
  auto hit = lexicon::take_rating(body);
  if (!hit) {
    if (explicit_verb) return malformed("cmd.error.no_rating");
    return {};
  }
  // A bare digit with nothing awaiting a rating is likely an answer to an intake menu.
  if (!written && ctx.awaiting_rating.empty()) {
    if (explicit_verb) return malformed("cmd.error.nothing_to_rate");
    return {};
  }
  if (!written && ctx.awaiting_rating.size() > 1)
    return malformed("cmd.error.which_rating", {{"count", std::to_string(ctx.awaiting_rating.size())}});
  parsed_command p;
  p.kind = command_kind::action;
  p.case_number = written ? *written : ctx.awaiting_rating.front();
  p.case_inferred = !written;
  p.act.kind = action_kind::rate;
  p.act.by = ctx.sender;
  p.act.value = hit->value;
  p.act.reason = hit->rest;
  p.confirmation = message{"cmd.ok.rate", {{"case", p.case_number}, {"rating", lexicon::rating_label(hit->value)}}};
  return p;
}

}  // namespace

bool may_be_resident_command(std::string_view text, const roster& people) {
  // With one case awaiting, the awaiting list no longer decides (parse_resident): only the words.
  const command_context ctx{people, actor{actor_role::resident, ""}, {}, {std::string("?")}};
  return parse(text, ctx).kind != command_kind::not_a_command;
}

parsed_command parse(std::string_view text, const command_context& ctx) {
  const std::string norm = strip_address(intake::text::normalize(text));
  if (norm.empty()) return {};

  // The command's case is the first number written; the words around it are the command.
  std::optional<std::string> written;
  std::string head = norm;
  if (auto hits = lexicon::find_case_numbers(norm); !hits.empty()) {
    written = hits.front().number;
    head = std::string(intake::text::trim_separators(lexicon::cut(norm, hits.front().begin, hits.front().end)));
  }

  if (ctx.sender.role == actor_role::resident) return parse_resident(head, written, ctx);
  const bool deputy_like = ctx.sender.role == actor_role::deputy || ctx.sender.role == actor_role::admin;
  if (!deputy_like && ctx.sender.role != actor_role::department) return {};

  auto found = find_verb(head, ctx.sender.role);
  if (!found) return {};
  const verb_spec& spec = *found->spec;
  const std::string& args = found->args;

  // Without a number the words must read as a command on their own, so that chat such as
  // "退回去再说" or "帮助群众是本分" never acts on the sender's only open case.
  if (!written) {
    const bool joined = !args.empty() && !lexicon::starts_with_separator(args);
    const auto tail = intake::text::code_points(intake::text::compact(args));
    if (spec.takes_text ? joined : tail > 2) return {};
  }

  if (spec.v == verb::help) {
    parsed_command p;
    p.kind = command_kind::help;
    p.replies = help_for(ctx.sender.role);
    return p;
  }
  if (spec.v == verb::list) {
    parsed_command p;
    p.kind = command_kind::list_open;
    return p;
  }

  // Merge may name only the target when the sender holds exactly one open case.
  std::optional<std::string> own = written;
  // "受理了": the filler is not a reason.
  std::string rest = written || spec.takes_text ? args : std::string();
  if (spec.v == verb::merge && written) {
    auto more = lexicon::find_case_numbers(args);
    if (more.empty() && ctx.open_cases.size() == 1 && ctx.open_cases.front() != *written) {
      own.reset();
      rest = args + " " + *written;
    }
  }
  case_choice choice = choose_case(own, ctx.open_cases, spec.example);
  if (choice.problem) return *choice.problem;

  parsed_command p;
  p.case_number = choice.number;
  p.case_inferred = choice.inferred;
  if (spec.v == verb::show) {
    p.kind = command_kind::show_case;
    return p;
  }
  p.kind = command_kind::action;
  p.act.by = ctx.sender;
  if (auto problem = fill_action(spec, rest, ctx.people, p)) return *problem;
  return p;
}

}  // namespace lianxin::workflow::commands
