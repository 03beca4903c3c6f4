#include "workflow/transition_builder.hpp"

#include <set>

namespace lianxin::workflow {

const char* to_string(audience a) {
  switch (a) {
    case audience::resident: return "resident";
    case audience::group: return "group";
    case audience::deputy: return "deputy";
    case audience::department: return "department";
    case audience::committee: return "committee";
    case audience::office: return "office";
  }
  return "?";
}

const char* to_string(timer_kind k) {
  switch (k) {
    case timer_kind::remind: return "remind";
    case timer_kind::supervise: return "supervise";
    case timer_kind::escalate: return "escalate";
  }
  return "?";
}

std::string timer_effect::key() const { return case_number + ":" + to_string(kind); }

transition_builder::transition_builder(const case_record& c, const action& a, std::int64_t now,
                                       const workflow_context& ctx)
    : act_(a), now_(now), ctx_(ctx) {
  t_.after = c;
}

void transition_builder::log(const actor& by, std::string what, std::string why, nlohmann::json data) {
  // Drop empty values so the stored log stays small.
  nlohmann::json kept = nlohmann::json::object();
  for (auto it = data.begin(); it != data.end(); ++it)
    if (!(it->is_string() && it->get<std::string>().empty())) kept[it.key()] = *it;
  t_.entries.push_back(log_entry{now_, by, std::move(what), std::move(why), std::move(kept)});
}

transition_builder::params transition_builder::base() const {
  const auto* cat = ctx_.people.find_category(t_.after.category);
  return {{"case", t_.after.number}, {"category", cat ? cat->name : t_.after.category}};
}

void transition_builder::push(notification n) { t_.notifications.push_back(std::move(n)); }

void transition_builder::notify_chat(const party& p, const std::string& status, params details) {
  notification n;
  n.to = p.group ? audience::group : audience::resident;
  n.chat = p;
  n.params = base();
  n.params["status"] = status;
  if (p.group) {
    // Group etiquette: number, category and a neutral status only — never names, reasons,
    // results or anything a neighbour could read as an accusation.
    n.key = "case.status.group";
  } else {
    n.key = "case." + status + ".resident";
    for (auto& [k, v] : details) n.params[k] = v;
  }
  push(std::move(n));
}

void transition_builder::notify_residents(const std::string& status, params details) {
  std::set<std::string> groups_done;
  auto one = [&](const party& p) {
    if (p.group && !groups_done.insert(p.platform + ":" + p.chat).second) return;
    notify_chat(p, status, details);
  };
  one(t_.after.reporter);
  for (const auto& f : t_.after.followers) one(f);
}

void transition_builder::notify_owner(const std::string& key, params extra) {
  notification n;
  const bool office = t_.after.deputy.empty();
  n.to = office ? audience::office : audience::deputy;
  n.target = office ? ctx_.people.office().id : t_.after.deputy;
  n.key = key;
  n.params = base();
  n.params.merge(extra);
  push(std::move(n));
}

void transition_builder::notify_department(const std::string& key, params extra) {
  notification n;
  n.to = audience::department;
  n.target = t_.after.department;
  n.key = key;
  n.params = base();
  if (t_.after.deadline_at) n.params["deadline"] = format_date(local_date(t_.after.deadline_at - 1));
  if (const auto* v = ctx_.people.find_village(t_.after.village)) n.params["village"] = v->name;
  n.params.merge(extra);
  push(std::move(n));
}

void transition_builder::notify_committee(const std::string& key, params extra) {
  notification n;
  n.to = audience::committee;
  n.target = t_.after.committee.empty() ? ctx_.people.default_committee() : t_.after.committee;
  n.key = key;
  n.params = base();
  n.params.merge(extra);
  push(std::move(n));
}

std::string transition_builder::department_name() const {
  const auto* d = ctx_.people.find_department(t_.after.department);
  return d ? d->name : t_.after.department;
}

deadline_policy transition_builder::policy() const {
  const auto* cat = ctx_.people.find_category(t_.after.category);
  return ctx_.deadlines.policy(t_.after.handling, cat ? cat->deadline_class : "standard");
}

void transition_builder::schedule_deadline(std::optional<int> working_days) {
  deadline_policy p = policy();
  if (working_days) {
    p.working_days = *working_days;
    if (p.reminder_before_working_days >= p.working_days) p.reminder_before_working_days = p.working_days - 1;
  }
  const deadline_times times = ctx_.deadlines.compute(ctx_.calendar, now_, p);
  auto& c = t_.after;
  c.deadline_at = times.deadline_at;
  c.remind_at = times.remind_at;
  c.supervise_at = times.supervise_at;
  c.escalate_at = times.escalate_at;
  auto missing = ctx_.calendar.uncovered_years(local_date(now_), local_date(times.escalate_at));
  if (!missing.empty())
    log(actor{}, "calendar_uncovered", "holiday calendar lacks a year; Mon–Fri assumed", {{"years", missing}});
  schedule_timers();
}

void transition_builder::extend_deadline(int working_days) {
  auto& c = t_.after;
  const deadline_policy p = policy();
  const civil_date last = ctx_.calendar.add_working_days(local_date(c.deadline_at - 1), working_days);
  const int hour = ctx_.deadlines.office_hour();
  c.deadline_at = local_to_unix(add_days(last, 1));
  c.remind_at = std::max(now_, ctx_.calendar.working_morning(last, p.reminder_before_working_days, hour));
  c.supervise_at = ctx_.calendar.working_morning(last, -1, hour);
  c.escalate_at = ctx_.calendar.working_morning(last, -(p.escalate_after_overdue_working_days + 1), hour);
  if (c.overdue != overdue_level::escalated) c.overdue = overdue_level::none;
  schedule_timers();
}

void transition_builder::schedule_timers() {
  const auto& c = t_.after;
  t_.timers.push_back({false, timer_kind::remind, c.number, c.remind_at});
  t_.timers.push_back({false, timer_kind::supervise, c.number, c.supervise_at});
  t_.timers.push_back({false, timer_kind::escalate, c.number, c.escalate_at});
}

void transition_builder::cancel_timers() {
  auto& c = t_.after;
  for (auto k : {timer_kind::remind, timer_kind::supervise, timer_kind::escalate})
    t_.timers.push_back({true, k, c.number, 0});
  // Zeroed so a timer that was already claimed when the case moved on is seen as stale.
  c.remind_at = c.supervise_at = c.escalate_at = 0;
}

transition transition_builder::finish() {
  auto& c = t_.after;
  c.version += 1;
  c.updated_at = now_;
  for (const auto& e : t_.entries) c.log.push_back(e);
  if (!act_.transition_id.empty()) {
    c.recent_transitions.push_back(act_.transition_id);
    const std::size_t window = ctx_.idempotency_window ? ctx_.idempotency_window : 1;
    if (c.recent_transitions.size() > window)
      c.recent_transitions.erase(c.recent_transitions.begin(),
                                 c.recent_transitions.end() - static_cast<std::ptrdiff_t>(window));
  }
  for (std::size_t i = 0; i < t_.notifications.size(); ++i)
    t_.notifications[i].dedupe_key = c.number + "/" + std::to_string(c.version) + "/" + std::to_string(i);
  return std::move(t_);
}

}  // namespace lianxin::workflow
