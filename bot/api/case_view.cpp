#include "bot/api/case_view.hpp"

#include "adapters/common/wx_api.hpp"
#include "workflow/privacy.hpp"

namespace lianxin::api {
namespace {

using nlohmann::json;

std::string category_name(const domain::tenant_domain& d, const std::string& id) {
  const auto* c = d.roster.find_category(id);
  return c ? c->name : id;
}
std::string village_name(const domain::tenant_domain& d, const std::string& id) {
  const auto* v = d.roster.find_village(id);
  return v ? v->name : id;
}

// Log steps a resident may see on the tracking page, and how they read.
bool public_step(const std::string& what) {
  static const char* shown[] = {"filed",   "routed",   "accept",   "assign",   "acknowledge", "reply",
                                "rate",    "close",    "reopen",   "return",      "merge",
                                "transfer", "extension_approved", "approve_extension", "mark_immediate",
                                "mark_key_supervision", "supervise", "escalate"};
  for (const char* s : shown) {
    if (what == s) return true;
  }
  return false;
}

json actor_json(const workflow::actor& a, const domain::tenant_domain& d, view_level level) {
  using workflow::actor_role;
  json j{{"role", workflow::to_string(a.role)}};
  switch (a.role) {
    case actor_role::resident:
      j["name"] = "群众";
      if (level == view_level::full) j["id"] = a.id;
      break;
    case actor_role::deputy:
      if (const auto* dep = d.roster.find_deputy(a.id)) {
        j["name"] = dep->name + "代表";
        if (level != view_level::public_view) j["id"] = a.id;
      } else {
        j["name"] = "代表";
      }
      break;
    case actor_role::department:
      if (const auto* dept = d.roster.find_department(a.id)) j["name"] = dept->name;
      if (level != view_level::public_view) j["id"] = a.id;
      break;
    case actor_role::committee:
      if (const auto* cm = d.roster.find_committee(a.id)) j["name"] = cm->name;
      if (level != view_level::public_view) j["id"] = a.id;
      break;
    case actor_role::admin:
      j["name"] = "人大办";
      if (level != view_level::public_view) j["id"] = a.id;
      break;
    case actor_role::system:
      j["name"] = "系统";
      break;
  }
  return j;
}

}  // namespace

std::string status_label(const domain::tenant_domain& d, workflow::case_state s) {
  return d.render({{std::string("status.") + workflow::to_string(s), {}}});
}

json case_summary_json(const workflow::case_record& c, const domain::tenant_domain& d, view_level level) {
  json j{{"number", c.number},
         {"state", workflow::to_string(c.state)},
         {"status", status_label(d, c.state)},
         {"category", {{"id", c.category}, {"name", category_name(d, c.category)}}},
         {"village", {{"id", c.village}, {"name", village_name(d, c.village)}}},
         {"created_at", c.created_at},
         {"updated_at", c.updated_at}};
  const std::string text = level == view_level::full ? c.text : privacy::mask_pii(c.text);
  j["summary"] = text.size() > 180 ? adapters::common::truncate_utf8(text, 180) + "…" : text;
  if (level != view_level::public_view) {
    j["deputy"] = c.deputy;
    j["department"] = c.department;
    j["deadline_at"] = c.deadline_at;
    j["overdue"] = workflow::to_string(c.overdue);
    j["handling"] = c.handling == workflow::handling_class::immediate ? "immediate" : "normal";
    if (!c.committee.empty()) j["committee"] = c.committee;
  }
  return j;
}

json case_json(const workflow::case_record& c, const domain::tenant_domain& d, view_level level) {
  json j = case_summary_json(c, d, level);
  j.erase("summary");
  j["text"] = level == view_level::full ? c.text : privacy::mask_pii(c.text);
  j["township"] = c.township;
  if (!c.reply.empty()) {
    j["reply"] = c.reply;
    j["replied_at"] = c.replied_at;
  }
  if (c.resident_rating) j["resident_rating"] = workflow::to_string(*c.resident_rating);
  if (!c.merged_into.empty()) j["merged_into"] = c.merged_into;
  j["anonymous"] = c.anonymous;
  j["photos"] = c.attachments.size();
  if (level != view_level::public_view) {
    if (const auto* dep = d.roster.find_deputy(c.deputy)) j["deputy_name"] = dep->name;
    if (const auto* dept = d.roster.find_department(c.department)) j["department_name"] = dept->name;
    j["station"] = c.station;
    j["routing_rule"] = c.routing_rule;
    j["assigned_at"] = c.assigned_at;
    j["remind_at"] = c.remind_at;
    j["supervise_at"] = c.supervise_at;
    j["escalate_at"] = c.escalate_at;
    j["reopen_count"] = c.reopen_count;
    j["extensions_granted"] = c.extensions_granted;
    if (c.extension) j["extension"] = {{"working_days", c.extension->working_days}, {"reason", c.extension->reason}};
    if (c.deputy_rating) j["deputy_rating"] = workflow::to_string(*c.deputy_rating);
    if (!c.return_reason.empty()) j["return_reason"] = c.return_reason;
    j["merged_from"] = c.merged_from;
    if (!c.cluster.empty()) j["cluster"] = c.cluster;
    j["followers"] = c.followers.size();
    j["version"] = c.version;
  }
  if (level == view_level::full) {
    j["reporter"] = workflow::to_json(c.reporter);
    j["attachments"] = c.attachments;
  }
  json log = json::array();
  for (const auto& e : c.log) {
    if (level == view_level::public_view && !public_step(e.what)) continue;
    json le{{"at", e.at}, {"what", e.what}, {"by", actor_json(e.by, d, level)}};
    // Reasons are the staff's words; residents see the department's reply (in "reply") and
    // return reasons, which they were told anyway.
    if (!e.why.empty() && (level != view_level::public_view || e.what == "return")) {
      le["why"] = level == view_level::full ? e.why : privacy::mask_pii(e.why);
    }
    if (level != view_level::public_view && !e.data.empty()) le["data"] = e.data;
    log.push_back(std::move(le));
  }
  j["log"] = std::move(log);
  return j;
}

}  // namespace lianxin::api
