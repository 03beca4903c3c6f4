#include "workflow/transitions.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <utility>

#include "workflow/privacy.hpp"
#include "workflow/transition_builder.hpp"

namespace lianxin::workflow {

namespace {
constexpr std::array<std::pair<action_kind, const char*>, 20> action_names{{
    {action_kind::accept, "accept"},
    {action_kind::return_case, "return"},
    {action_kind::transfer, "transfer"},
    {action_kind::merge, "merge"},
    {action_kind::assign, "assign"},
    {action_kind::acknowledge, "acknowledge"},
    {action_kind::reply, "reply"},
    {action_kind::request_extension, "request_extension"},
    {action_kind::approve_extension, "approve_extension"},
    {action_kind::deny_extension, "deny_extension"},
    {action_kind::rate, "rate"},
    {action_kind::rate_department, "rate_department"},
    {action_kind::close, "close"},
    {action_kind::mark_immediate, "mark_immediate"},
    {action_kind::mark_key_supervision, "mark_key_supervision"},
    {action_kind::add_follower, "add_follower"},
    {action_kind::absorb, "absorb"},
    {action_kind::remind, "remind"},
    {action_kind::supervise, "supervise"},
    {action_kind::escalate, "escalate"},
}};

error refuse(const action& a, const std::string& why) {
  return make_error(errc::not_authorised, std::string(to_string(a.kind)) + ": " + format_actor(a.by) + " " + why);
}
error wrong_state(const case_record& c, const action& a) {
  return make_error(errc::invalid_transition, std::string("cannot ") + to_string(a.kind) + " a case in state " +
                                                  to_string(c.state));
}
error bad_arg(const action& a, const std::string& what) {
  return make_error(errc::invalid_argument, std::string(to_string(a.kind)) + ": " + what);
}
bool in(case_state s, std::initializer_list<case_state> allowed) {
  return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
}
bool is_under_department(case_state s) { return s == case_state::assigned || s == case_state::acknowledged; }
}  // namespace

const char* to_string(action_kind k) {
  for (const auto& [v, n] : action_names)
    if (v == k) return n;
  return "?";
}
std::optional<action_kind> parse_action_kind(std::string_view s) {
  for (const auto& [v, n] : action_names)
    if (s == n) return v;
  return std::nullopt;
}

bool acts_as_deputy(const case_record& c, const actor& a) {
  if (a.role == actor_role::admin) return true;
  return a.role == actor_role::deputy && !c.deputy.empty() && a.id == c.deputy;
}

result<transition> open_case(const new_case& in_case, std::int64_t now, const workflow_context& ctx) {
  if (!parse_case_number(in_case.number)) return make_error(errc::invalid_argument, "open_case: bad case number");
  if (in_case.text.empty()) return make_error(errc::invalid_argument, "open_case: empty text");
  if (!in_case.deputy.empty() && !ctx.people.find_deputy(in_case.deputy))
    return make_error(errc::not_found, "open_case: unknown deputy " + in_case.deputy);
  case_record c;
  c.number = in_case.number;
  c.created_at = now;
  c.text = in_case.text;
  c.category = in_case.category;
  c.village = in_case.village;
  c.township = in_case.township;
  c.station = in_case.station;
  c.attachments = in_case.attachments;
  c.anonymous = in_case.anonymous;
  c.reporter = in_case.reporter;
  c.deputy = in_case.deputy;
  c.routing_rule = in_case.routing_rule;
  action filed;
  filed.kind = action_kind::accept;  // unused by the builder beyond the transition id
  filed.by = actor{actor_role::resident, in_case.reporter.identity()};
  transition_builder b(c, filed, now, ctx);
  b.log(filed.by, "filed", "", {{"category", c.category}, {"village", c.village}});
  b.log(actor{}, "routed", in_case.routing_reason, {{"rule", c.routing_rule}, {"deputy", c.deputy}});
  b.notify_residents("filed", {});
  b.notify_owner("case.new.deputy", {{"text", privacy::mask_pii(c.text)}});
  return b.finish();
}

result<transition> apply(const case_record& c, const action& a, std::int64_t now, const workflow_context& ctx) {
  if (!a.transition_id.empty() &&
      std::find(c.recent_transitions.begin(), c.recent_transitions.end(), a.transition_id) != c.recent_transitions.end()) {
    transition t;
    t.after = c;
    t.replayed = true;
    return t;
  }
  const bool deputy_ok = acts_as_deputy(c, a.by);
  const bool dept_ok = a.by.role == actor_role::department && !c.department.empty() && a.by.id == c.department;
  const bool system = a.by.role == actor_role::system;
  transition_builder b(c, a, now, ctx);
  case_record& n = b.next();

  switch (a.kind) {
    case action_kind::accept:
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (c.state != case_state::filed) return wrong_state(c, a);
      n.state = case_state::accepted;
      b.log(a.by, "accept", a.reason);
      b.notify_residents("accepted", {});
      break;

    case action_kind::return_case:
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (!in(c.state, {case_state::filed, case_state::accepted})) return wrong_state(c, a);
      if (a.reason.empty()) return bad_arg(a, "a reason is required");
      n.state = case_state::returned;
      n.return_reason = a.reason;
      b.log(a.by, "return", a.reason);
      b.notify_residents("returned", {{"reason", a.reason}});
      break;

    case action_kind::transfer: {
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (!in(c.state, {case_state::filed, case_state::accepted})) return wrong_state(c, a);
      if (!ctx.people.find_deputy(a.target)) return make_error(errc::not_found, "transfer: unknown deputy " + a.target);
      if (a.target == c.deputy) return bad_arg(a, "the case already belongs to " + a.target);
      n.deputy = a.target;
      n.state = case_state::filed;  // the new deputy accepts it afresh
      n.routing_rule = "transfer";
      b.log(a.by, "transfer", a.reason, {{"from", c.deputy}, {"to", a.target}});
      b.notify_owner("case.new.deputy", {{"text", privacy::mask_pii(c.text)}, {"from", c.deputy}});
      b.notify_residents("transferred", {});
      break;
    }

    case action_kind::merge: {
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (!in(c.state, {case_state::filed, case_state::accepted})) return wrong_state(c, a);
      if (!parse_case_number(a.target)) return bad_arg(a, "target is not a case number");
      if (a.target == c.number) return bad_arg(a, "a case cannot be merged into itself");
      n.state = case_state::merged;
      n.merged_into = a.target;
      b.log(a.by, "merge", a.reason, {{"into", a.target}});
      b.notify_residents("merged", {{"into", a.target}});
      follow_up f{a.target, {}};
      f.act.transition_id = a.transition_id.empty() ? "" : a.transition_id + ":absorb";
      f.act.kind = action_kind::absorb;
      f.act.target = c.number;
      f.act.parties.push_back(c.reporter);
      f.act.parties.insert(f.act.parties.end(), c.followers.begin(), c.followers.end());
      b.follow(std::move(f));
      break;
    }

    case action_kind::assign: {
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (!in(c.state, {case_state::filed, case_state::accepted, case_state::reopened})) return wrong_state(c, a);
      if (!ctx.people.find_department(a.target)) return make_error(errc::not_found, "assign: unknown department " + a.target);
      if (a.working_days && (*a.working_days < 1 || *a.working_days > 365)) return bad_arg(a, "working_days must be 1..365");
      if (a.handling) {
        if (*a.handling == handling_class::key_supervision) return bad_arg(a, "use mark_key_supervision");
        if (c.handling != handling_class::key_supervision) n.handling = *a.handling;
      }
      if (c.state == case_state::filed) b.log(a.by, "accept", "", {{"implied_by", "assign"}});
      n.state = case_state::assigned;
      n.department = a.target;
      n.assigned_at = now;
      n.overdue = overdue_level::none;
      n.extension.reset();
      b.schedule_deadline(a.working_days);
      b.log(a.by, "assign", a.reason,
            {{"department", a.target}, {"deadline", n.deadline_at}, {"handling", to_string(n.handling)}});
      b.notify_department("case.assigned.department", {{"text", privacy::mask_pii(c.text)}});
      b.notify_residents("assigned", {{"department", b.department_name()}});
      break;
    }

    case action_kind::acknowledge:
      if (!dept_ok) return refuse(a, "is not the assigned department");
      if (c.state != case_state::assigned) return wrong_state(c, a);
      n.state = case_state::acknowledged;
      b.log(a.by, "acknowledge", a.reason);
      b.notify_residents("acknowledged", {{"department", b.department_name()}});
      break;

    case action_kind::reply:
      if (!dept_ok) return refuse(a, "is not the assigned department");
      if (!is_under_department(c.state)) return wrong_state(c, a);
      if (a.text.empty()) return bad_arg(a, "the result text is required");
      n.state = case_state::replied;
      n.reply = a.text;
      n.replied_at = now;
      n.extension.reset();
      b.cancel_timers();
      b.log(a.by, "reply", "", {{"on_time", now <= c.deadline_at}});
      b.notify_residents("replied", {{"result", a.text}});
      b.notify_owner("case.replied.deputy", {{"result", a.text}});
      break;

    case action_kind::request_extension:
      if (!dept_ok) return refuse(a, "is not the assigned department");
      if (!is_under_department(c.state)) return wrong_state(c, a);
      if (c.extension) return make_error(errc::already_exists, "request_extension: one is already pending");
      if (!a.working_days || *a.working_days < 1 || *a.working_days > ctx.max_extension_working_days)
        return bad_arg(a, "working_days must be 1.." + std::to_string(ctx.max_extension_working_days));
      if (a.reason.empty()) return bad_arg(a, "a reason is required");
      n.extension = pending_extension{*a.working_days, a.reason, now};
      b.log(a.by, "request_extension", a.reason, {{"working_days", *a.working_days}});
      b.notify_owner("case.extension_requested.deputy", {{"days", std::to_string(*a.working_days)}, {"reason", a.reason}});
      break;

    case action_kind::approve_extension:
    case action_kind::deny_extension: {
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (!is_under_department(c.state) || !c.extension) return wrong_state(c, a);
      const bool approve = a.kind == action_kind::approve_extension;
      if (approve) {
        b.extend_deadline(c.extension->working_days);
        n.extensions_granted += 1;
      }
      n.extension.reset();
      b.log(a.by, to_string(a.kind), a.reason, {{"working_days", c.extension->working_days}, {"deadline", n.deadline_at}});
      b.notify_department(approve ? "case.extension_approved.department" : "case.extension_denied.department",
                          {{"reason", a.reason}});
      break;
    }

    case action_kind::rate: {
      if (a.by.role != actor_role::resident || !c.has_party(a.by.id))
        return refuse(a, "did not raise or follow this case");
      if (c.state != case_state::replied) return wrong_state(c, a);
      if (!a.value) return bad_arg(a, "a rating is required");
      n.resident_rating = a.value;
      b.log(a.by, "rate", a.reason, {{"rating", to_string(*a.value)}});
      if (*a.value == rating::dissatisfied && c.reopen_count == 0) {
        n.state = case_state::reopened;
        n.reopen_count = 1;
        b.log(actor{}, "reopen", "dissatisfied rating", {});
        b.notify_residents("reopened", {});
        b.notify_owner("case.reopened.deputy", {{"reason", a.reason}});
      } else {
        n.state = case_state::rated;
        b.notify_owner("case.rated.deputy", {{"rating", to_string(*a.value)}, {"reason", a.reason}});
      }
      break;
    }

    case action_kind::rate_department:
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (!in(c.state, {case_state::replied, case_state::rated, case_state::closed})) return wrong_state(c, a);
      if (c.deputy_rating) return make_error(errc::already_exists, "rate_department: already rated");
      if (!a.value) return bad_arg(a, "a rating is required");
      n.deputy_rating = a.value;
      b.log(a.by, "rate_department", a.reason, {{"rating", to_string(*a.value)}, {"department", c.department}});
      b.notify_department("case.rated.department", {{"rating", to_string(*a.value)}});
      break;

    case action_kind::close:
      if (!deputy_ok && !system) return refuse(a, "is not this case's deputy");
      if (!in(c.state, {case_state::replied, case_state::rated})) return wrong_state(c, a);
      n.state = case_state::closed;
      b.log(a.by, "close", a.reason);
      b.notify_residents("closed", {});
      break;

    case action_kind::mark_immediate:
      if (!deputy_ok) return refuse(a, "is not this case's deputy");
      if (!in(c.state, {case_state::filed, case_state::accepted, case_state::reopened})) return wrong_state(c, a);
      if (c.handling == handling_class::key_supervision) return bad_arg(a, "the case is under key supervision");
      if (c.handling == handling_class::immediate) return make_error(errc::already_exists, "mark_immediate: already marked");
      n.handling = handling_class::immediate;
      b.log(a.by, "mark_immediate", a.reason);
      break;

    case action_kind::mark_key_supervision: {
      if (!deputy_ok && !system && a.by.role != actor_role::committee) return refuse(a, "may not mark key supervision");
      if (!c.is_open()) return wrong_state(c, a);
      if (c.handling == handling_class::key_supervision)
        return make_error(errc::already_exists, "mark_key_supervision: already under key supervision");
      const std::string cmt = a.target.empty() ? ctx.people.default_committee() : a.target;
      if (cmt.empty() || !ctx.people.find_committee(cmt)) return make_error(errc::not_found, "unknown committee " + cmt);
      n.handling = handling_class::key_supervision;
      n.committee = cmt;
      if (!a.cluster.empty()) n.cluster = a.cluster;
      b.log(a.by, "mark_key_supervision", a.reason, {{"committee", cmt}, {"cluster", a.cluster}});
      if (!a.silent) b.notify_committee("case.key_supervision.committee", {{"reason", a.reason}});
      b.notify_owner("case.key_supervision.deputy", {{"reason", a.reason}});
      break;
    }

    case action_kind::add_follower: {
      if (a.parties.size() != 1) return bad_arg(a, "exactly one follower");
      const party& p = a.parties.front();
      if (!system && !(a.by.role == actor_role::resident && a.by.id == p.identity()))
        return refuse(a, "may only add themselves");
      if (!c.is_open()) return wrong_state(c, a);
      if (c.has_party(p.identity())) return make_error(errc::already_exists, "add_follower: already follows the case");
      n.followers.push_back(p);
      b.log(a.by, "add_follower", "", {{"followers", n.followers.size()}});
      b.notify_chat(p, "followed", {});
      break;
    }

    case action_kind::absorb: {
      if (!system) return refuse(a, "is not the system");
      if (!c.is_open()) return wrong_state(c, a);
      for (const party& p : a.parties)
        if (!n.has_party(p.identity())) n.followers.push_back(p);
      n.merged_from.push_back(a.target);
      b.log(a.by, "absorb", "", {{"from", a.target}, {"followers", n.followers.size()}});
      break;
    }

    case action_kind::remind:
    case action_kind::supervise:
    case action_kind::escalate: {
      if (!system) return refuse(a, "is not the system");
      const std::int64_t due = a.kind == action_kind::remind      ? c.remind_at
                               : a.kind == action_kind::supervise ? c.supervise_at
                                                                  : c.escalate_at;
      if (!is_under_department(c.state) || due == 0 || a.timer_due != due)
        return make_error(errc::stale_timer, std::string(to_string(a.kind)) + ": timer no longer applies");
      if (a.kind == action_kind::remind) {
        n.overdue = overdue_level::reminded;
        b.log(a.by, "remind", "");
        b.notify_department("case.remind.department", {});
      } else if (a.kind == action_kind::supervise) {
        n.overdue = overdue_level::supervised;
        b.log(a.by, "supervise", "deadline passed without a reply");
        b.notify_department("case.supervise.department", {});
        b.notify_owner("case.overdue.deputy", {});
      } else {
        n.overdue = overdue_level::escalated;
        const bool was_key = c.handling == handling_class::key_supervision;
        n.handling = handling_class::key_supervision;
        if (n.committee.empty()) n.committee = ctx.people.default_committee();
        b.log(a.by, "escalate", "overdue", {{"committee", n.committee}, {"already_key", was_key}});
        b.notify_committee("case.escalated.committee", {});
        b.notify_owner("case.escalated.deputy", {});
        b.notify_department("case.escalated.department", {});
      }
      break;
    }
  }
  return b.finish();
}

}  // namespace lianxin::workflow
