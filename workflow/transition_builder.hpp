#pragma once
// Internal helper of transitions.cpp: accumulates the new case, log entries and effects of one
// transition, so that the state machine's switch reads as rules, not bookkeeping.
#include <map>
#include <optional>
#include <string>

#include "workflow/transitions.hpp"

namespace lianxin::workflow {

class transition_builder {
 public:
  using params = std::map<std::string, std::string>;

  transition_builder(const case_record& c, const action& a, std::int64_t now, const workflow_context& ctx);

  case_record& next() { return t_.after; }
  void log(const actor& by, std::string what, std::string why, nlohmann::json data = nlohmann::json::object());

  // Residents hear each visible step where they raised it: private chats get `case.<status>.resident`
  // with the details; a group gets one neutral `case.status.group` post per chat.
  void notify_residents(const std::string& status, params details);
  void notify_chat(const party& p, const std::string& status, params details);
  // The case's deputy, or the congress office when no deputy holds the case.
  void notify_owner(const std::string& key, params extra);
  void notify_department(const std::string& key, params extra);
  void notify_committee(const std::string& key, params extra);
  std::string department_name() const;

  // Computes the deadline and timers from the category's deadline class and the handling
  // class (an explicit working-day count overrides the class's), and schedules them.
  void schedule_deadline(std::optional<int> working_days);
  void extend_deadline(int working_days);
  void cancel_timers();
  void follow(follow_up f) { t_.follow_ups.push_back(std::move(f)); }

  transition finish();

 private:
  params base() const;
  void push(notification n);
  void schedule_timers();
  deadline_policy policy() const;

  transition t_;
  const action& act_;
  std::int64_t now_;
  const workflow_context& ctx_;
};

}  // namespace lianxin::workflow
