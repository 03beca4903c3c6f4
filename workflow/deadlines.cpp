#include "workflow/deadlines.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace lianxin::workflow {

const char* to_string(handling_class h) {
  switch (h) {
    case handling_class::normal: return "normal";
    case handling_class::immediate: return "immediate";
    case handling_class::key_supervision: return "key_supervision";
  }
  return "normal";
}

std::optional<handling_class> parse_handling_class(std::string_view s) {
  if (s == "normal") return handling_class::normal;
  if (s == "immediate") return handling_class::immediate;
  if (s == "key_supervision") return handling_class::key_supervision;
  return std::nullopt;
}

deadline_table::deadline_table() {
  table_[handling_class::normal]["urgent"] = {3, 1, 2};
  table_[handling_class::normal]["standard"] = {7, 1, 3};
  table_[handling_class::normal]["complex"] = {15, 2, 5};
  table_[handling_class::immediate]["*"] = {2, 0, 1};
  table_[handling_class::key_supervision]["*"] = {20, 3, 5};
}

result<deadline_table> deadline_table::from_json(const nlohmann::json& j) {
  auto fail = [](const std::string& path, const std::string& what) {
    return make_error(errc::invalid_config, path + ": " + what);
  };
  deadline_table t;
  if (!j.is_object()) return fail("deadlines", "not an object");
  if (j.contains("office_hour")) {
    if (!j["office_hour"].is_number_integer() || j["office_hour"] < 0 || j["office_hour"] > 23)
      return fail("deadlines.office_hour", "want an integer 0..23");
    t.office_hour_ = j["office_hour"];
  }
  for (auto h : {handling_class::normal, handling_class::immediate, handling_class::key_supervision}) {
    const std::string hk = to_string(h);
    if (!j.contains(hk)) continue;
    if (!j[hk].is_object()) return fail("deadlines." + hk, "not an object");
    for (const auto& [cls, pj] : j[hk].items()) {
      const std::string p = "deadlines." + hk + "." + cls;
      if (!pj.is_object()) return fail(p, "not an object");
      deadline_policy pol = t.policy(h, cls);
      auto read = [&](const char* key, int& out, int min) -> bool {
        if (!pj.contains(key)) return true;
        if (!pj[key].is_number_integer() || pj[key].get<int>() < min || pj[key].get<int>() > 365) return false;
        out = pj[key];
        return true;
      };
      if (!read("working_days", pol.working_days, 1)) return fail(p + ".working_days", "want an integer 1..365");
      if (!read("reminder_before_working_days", pol.reminder_before_working_days, 0))
        return fail(p + ".reminder_before_working_days", "want an integer 0..365");
      if (!read("escalate_after_overdue_working_days", pol.escalate_after_overdue_working_days, 1))
        return fail(p + ".escalate_after_overdue_working_days", "want an integer 1..365");
      if (pol.reminder_before_working_days >= pol.working_days)
        return fail(p + ".reminder_before_working_days", "must be less than working_days");
      t.table_[h][cls] = pol;
    }
  }
  return t;
}

nlohmann::json deadline_table::to_json() const {
  nlohmann::json j{{"office_hour", office_hour_}};
  for (const auto& [h, classes] : table_) {
    auto& hj = j[to_string(h)];
    for (const auto& [cls, p] : classes)
      hj[cls] = {{"working_days", p.working_days},
                 {"reminder_before_working_days", p.reminder_before_working_days},
                 {"escalate_after_overdue_working_days", p.escalate_after_overdue_working_days}};
  }
  return j;
}

deadline_policy deadline_table::policy(handling_class h, std::string_view cls) const {
  auto hit = table_.find(h);
  if (hit != table_.end()) {
    if (auto it = hit->second.find(cls); it != hit->second.end()) return it->second;
    if (auto it = hit->second.find("*"); it != hit->second.end()) return it->second;
  }
  if (h != handling_class::normal) return policy(handling_class::normal, cls);
  auto& normal = table_.at(handling_class::normal);
  if (auto it = normal.find("standard"); it != normal.end()) return it->second;
  return deadline_policy{};
}

deadline_times deadline_table::compute(const working_calendar& cal, std::int64_t now,
                                       const deadline_policy& p) const {
  deadline_times t;
  t.deadline_at = cal.deadline_after(now, p.working_days);
  const civil_date last_day = local_date(t.deadline_at - 1);
  t.remind_at = std::max(now, cal.working_morning(last_day, p.reminder_before_working_days, office_hour_));
  t.supervise_at = cal.working_morning(last_day, -1, office_hour_);
  t.escalate_at = cal.working_morning(last_day, -(p.escalate_after_overdue_working_days + 1), office_hour_);
  return t;
}

}  // namespace lianxin::workflow
