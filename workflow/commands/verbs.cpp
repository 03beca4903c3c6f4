#include "workflow/commands/verbs.hpp"

#include <algorithm>

#include "workflow/commands/lexicon.hpp"
#include "workflow/intake/text.hpp"

namespace lianxin::workflow::commands {
namespace {

constexpr verb_spec specs[] = {
    {verb::accept, "受理", false},          {verb::return_case, "退回", true},
    {verb::transfer, "转交", true},          {verb::merge, "合并", true},
    {verb::assign, "交办", true},            {verb::mark_immediate, "立即办理", false},
    {verb::mark_key_supervision, "重点监督", true}, {verb::close, "办结", true},
    {verb::approve_extension, "同意延期", false},   {verb::deny_extension, "不同意延期", true},
    {verb::rate_department, "测评", true},   {verb::acknowledge, "签收", false},
    {verb::reply, "答复", true},             {verb::request_extension, "申请延期", true},
    {verb::list, "待办", false},             {verb::show, "查看", false},
    {verb::help, "帮助", false},
};
const verb_spec& spec_of(verb v) { return *std::find_if(std::begin(specs), std::end(specs), [&](auto& s) { return s.v == v; }); }

struct word {
  std::string_view text;
  verb v;
};
// Longer words first wherever one begins another ("不同意延期" before "同意延期" is not needed —
// matching is at the start — but "立即办理" before "立即办" is).
constexpr word shared_words[] = {
    {"我的案件", verb::list}, {"我的待办", verb::list}, {"案件列表", verb::list}, {"待办", verb::list},
    {"列表", verb::list},     {"查看", verb::show},     {"详情", verb::show},     {"查询", verb::show},
    {"帮助", verb::help},     {"菜单", verb::help},     {"命令", verb::help},     {"help", verb::help},
};
constexpr word deputy_words[] = {
    {"不同意延期", verb::deny_extension}, {"不批准延期", verb::deny_extension}, {"驳回延期", verb::deny_extension},
    {"拒绝延期", verb::deny_extension},   {"同意延期", verb::approve_extension}, {"批准延期", verb::approve_extension},
    {"立即办理", verb::mark_immediate},   {"马上办理", verb::mark_immediate},   {"立即办", verb::mark_immediate},
    {"重点监督", verb::mark_key_supervision}, {"不予受理", verb::return_case}, {"不受理", verb::return_case},
    {"退回", verb::return_case},          {"受理", verb::accept},               {"接收", verb::accept},
    {"转交", verb::transfer},             {"转给", verb::transfer},             {"移交", verb::transfer},
    {"合并", verb::merge},                {"并入", verb::merge},                {"交办", verb::assign},
    {"转办", verb::assign},               {"交给", verb::assign},               {"办结", verb::close},
    {"结案", verb::close},                {"关闭", verb::close},                {"测评", verb::rate_department},
    {"评价", verb::rate_department},      {"打分", verb::rate_department},
};
// Not "回复": a handler's "回复 收到" is chat, and a reply closes the department's part of a case.
constexpr word department_words[] = {
    {"确认签收", verb::acknowledge}, {"签收", verb::acknowledge},     {"收到", verb::acknowledge},
    {"接收", verb::acknowledge},     {"申请延期", verb::request_extension}, {"延期", verb::request_extension},
    {"已办结", verb::reply},         {"办理结果", verb::reply},       {"答复", verb::reply},
    {"办结", verb::reply},           {"反馈", verb::reply},
};

template <class Words>
std::optional<verb_found> match(std::string_view head, const Words& words) {
  std::string lowered(head.substr(0, 4));
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& w : words) {
    const bool ascii = w.text == "help";
    if (ascii ? lowered == "help" : head.substr(0, w.text.size()) == w.text)
      return verb_found{&spec_of(w.v), std::string(head.substr(w.text.size()))};
  }
  return std::nullopt;
}

const std::vector<std::string_view> reason_labels{"原因是", "原因", "理由", "因为"};

message ok(std::string key, const parsed_command& p, std::map<std::string, std::string> extra = {}) {
  extra["case"] = p.case_number;
  return message{std::move(key), std::move(extra)};
}

std::optional<parsed_command> bad(std::string key, std::map<std::string, std::string> params = {}) {
  parsed_command p;
  p.kind = command_kind::malformed;
  p.replies.push_back(message{std::move(key), std::move(params)});
  return p;
}

std::optional<parsed_command> fill_assign(std::string args, const roster& people, parsed_command& p) {
  auto& a = p.act;
  a.kind = action_kind::assign;
  args = lexicon::strip_label(args, {"给", "到"});
  if (auto d = lexicon::take_days(args, true)) {  // "交办 RN-… 7天 交通局"
    a.working_days = d->days;
    args = d->rest;
  }
  auto m = lexicon::match_department(people, args);
  if (m.query.empty()) return bad("cmd.error.no_department");
  if (m.found.empty()) return bad("cmd.error.unknown_department", {{"name", m.query}});
  if (m.found.size() > 1) {
    std::string options;
    for (const auto* d : m.found) options += (options.empty() ? "" : "、") + d->name;
    return bad("cmd.error.ambiguous_department", {{"name", m.query}, {"options", options}});
  }
  a.target = m.found.front()->id;
  std::string rest = m.rest;
  if (auto d = lexicon::take_days(rest, true)) {
    a.working_days = d->days;
    rest = d->rest;
  }
  if (a.working_days && (*a.working_days < 1 || *a.working_days > 365))
    return bad("cmd.error.bad_days", {{"days", std::to_string(*a.working_days)}});
  for (std::string_view now : {"立即办理", "立即办", "马上办"})
    if (rest.substr(0, now.size()) == now) {
      a.handling = handling_class::immediate;
      rest = lexicon::strip_label(rest.substr(now.size()), {});
    }
  a.reason = lexicon::strip_label(rest, {"要求", "备注", "原因"});
  const std::string& name = m.found.front()->name;
  p.confirmation = a.working_days ? ok("cmd.ok.assign_days", p, {{"department", name}, {"days", std::to_string(*a.working_days)}})
                                  : ok("cmd.ok.assign", p, {{"department", name}});
  return std::nullopt;
}

}  // namespace

std::optional<verb_found> find_verb(std::string_view head, actor_role role) {
  if (auto f = match(head, shared_words)) return f;
  if (role == actor_role::department) return match(head, department_words);
  return match(head, deputy_words);
}

std::optional<parsed_command> fill_action(const verb_spec& spec, const std::string& args, const roster& people,
                                          parsed_command& p) {
  auto& a = p.act;
  const std::string tail = lexicon::strip_label(args, {});
  const std::string reason = lexicon::strip_label(args, reason_labels);
  auto need_reason = [&]() { return bad("cmd.error.no_reason", {{"command", std::string(spec.example)}}); };
  switch (spec.v) {
    case verb::accept: a.kind = action_kind::accept; a.reason = tail; p.confirmation = ok("cmd.ok.accept", p); break;
    case verb::return_case:
      a.kind = action_kind::return_case;
      if ((a.reason = reason).empty()) return need_reason();
      p.confirmation = ok("cmd.ok.return", p);
      break;
    case verb::transfer: {
      a.kind = action_kind::transfer;
      auto m = lexicon::match_deputy(people, lexicon::strip_label(args, {"给", "到"}));
      if (m.query.empty()) return bad("cmd.error.no_deputy");
      if (!m.found) return bad("cmd.error.unknown_deputy", {{"name", m.query}});
      a.target = m.found->code;
      a.reason = lexicon::strip_label(m.rest, reason_labels);
      p.confirmation = ok("cmd.ok.transfer", p, {{"deputy", m.found->name}});
      break;
    }
    case verb::merge: {
      a.kind = action_kind::merge;
      auto into = lexicon::find_case_numbers(args);
      if (into.empty()) return bad("cmd.error.no_merge_target");
      a.target = into.front().number;
      a.reason = lexicon::strip_label(lexicon::cut(args, into.front().begin, into.front().end),
                                      {"合并到", "并入", "合并", "到", "进", "入"});
      p.confirmation = ok("cmd.ok.merge", p, {{"into", a.target}});
      break;
    }
    case verb::assign: return fill_assign(args, people, p);
    case verb::mark_immediate:
      a.kind = action_kind::mark_immediate;
      a.reason = tail;
      p.confirmation = ok("cmd.ok.mark_immediate", p);
      break;
    case verb::mark_key_supervision:
      a.kind = action_kind::mark_key_supervision;
      if ((a.reason = reason).empty()) return need_reason();
      p.confirmation = ok("cmd.ok.mark_key_supervision", p);
      break;
    case verb::close: a.kind = action_kind::close; a.reason = reason; p.confirmation = ok("cmd.ok.close", p); break;
    case verb::approve_extension:
      a.kind = action_kind::approve_extension;
      a.reason = tail;
      p.confirmation = ok("cmd.ok.approve_extension", p);
      break;
    case verb::deny_extension:
      a.kind = action_kind::deny_extension;
      if ((a.reason = reason).empty()) return need_reason();
      p.confirmation = ok("cmd.ok.deny_extension", p);
      break;
    case verb::rate_department: {
      a.kind = action_kind::rate_department;
      auto r = lexicon::take_rating(args);
      if (!r) return bad("cmd.error.no_rating");
      a.value = r->value;
      a.reason = r->rest;
      p.confirmation = ok("cmd.ok.rate_department", p, {{"rating", lexicon::rating_label(r->value)}});
      break;
    }
    case verb::acknowledge: a.kind = action_kind::acknowledge; a.reason = tail; p.confirmation = ok("cmd.ok.acknowledge", p); break;
    case verb::reply:
      a.kind = action_kind::reply;
      a.text = lexicon::strip_label(args, {"办理结果", "结果", "办理情况", "情况"});
      if (a.text.empty()) return bad("cmd.error.no_result");
      p.confirmation = ok("cmd.ok.reply", p);
      break;
    case verb::request_extension: {
      a.kind = action_kind::request_extension;
      auto d = lexicon::take_days(args, false);
      if (!d) return bad("cmd.error.no_days");
      if (d->days < 1 || d->days > 365) return bad("cmd.error.bad_days", {{"days", std::to_string(d->days)}});
      a.working_days = d->days;
      if ((a.reason = lexicon::strip_label(d->rest, reason_labels)).empty()) return need_reason();
      p.confirmation = ok("cmd.ok.request_extension", p, {{"days", std::to_string(d->days)}});
      break;
    }
    case verb::list:
    case verb::show:
    case verb::help: break;  // handled by parse() before any action is built
  }
  return std::nullopt;
}

}  // namespace lianxin::workflow::commands
