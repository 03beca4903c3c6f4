// Compact JSON for cases: short keys, defaults omitted. The shell stores one JSON document per
// case in Redis and the tracking page reads the log from it.
#include "workflow/case.hpp"

namespace lianxin::workflow {

using nlohmann::json;

json to_json(const party& p) {
  json j{{"p", p.platform}, {"c", p.chat}, {"u", p.user}};
  if (p.group) j["g"] = true;
  return j;
}

namespace {

std::optional<party> party_from(const json& j) {
  if (!j.is_object()) return std::nullopt;
  party p;
  p.platform = j.value("p", "");
  p.chat = j.value("c", "");
  p.user = j.value("u", "");
  p.group = j.value("g", false);
  return p;
}

template <class T>
void put(json& j, const char* key, const T& v, const T& def) {
  if (!(v == def)) j[key] = v;
}

}  // namespace

json to_json(const log_entry& e) {
  json j{{"at", e.at}, {"by", format_actor(e.by)}, {"what", e.what}};
  if (!e.why.empty()) j["why"] = e.why;
  if (!e.data.empty()) j["data"] = e.data;
  return j;
}

result<log_entry> log_entry_from_json(const json& j) {
  if (!j.is_object() || !j.contains("at") || !j["at"].is_number_integer() || !j.contains("by") ||
      !j["by"].is_string() || !j.contains("what") || !j["what"].is_string())
    return make_error(errc::invalid_argument, "log entry: want {at, by, what}");
  auto by = parse_actor(j["by"].get<std::string>());
  if (!by) return make_error(errc::invalid_argument, "log entry.by: want role:id");
  log_entry e;
  e.at = j["at"];
  e.by = *by;
  e.what = j["what"];
  e.why = j.value("why", "");
  if (j.contains("data")) e.data = j["data"];
  return e;
}

json to_json(const case_record& c) {
  json j{{"no", c.number}, {"st", to_string(c.state)}, {"v", c.version}, {"ca", c.created_at},
         {"ua", c.updated_at}, {"text", c.text}, {"cat", c.category}, {"rep", to_json(c.reporter)}};
  const std::string e;
  put(j, "vil", c.village, e);
  put(j, "twp", c.township, e);
  put(j, "sta", c.station, e);
  if (!c.attachments.empty()) j["att"] = c.attachments;
  put(j, "anon", c.anonymous, false);
  if (!c.followers.empty()) {
    j["fol"] = json::array();
    for (const auto& p : c.followers) j["fol"].push_back(to_json(p));
  }
  put(j, "dep", c.deputy, e);
  put(j, "rule", c.routing_rule, e);
  put(j, "dept", c.department, e);
  if (c.handling != handling_class::normal) j["hc"] = to_string(c.handling);
  put(j, "cmt", c.committee, e);
  if (c.overdue != overdue_level::none) j["od"] = to_string(c.overdue);
  const std::int64_t z = 0;
  put(j, "asg", c.assigned_at, z);
  put(j, "due", c.deadline_at, z);
  put(j, "rem", c.remind_at, z);
  put(j, "sup", c.supervise_at, z);
  put(j, "esc", c.escalate_at, z);
  if (c.extension)
    j["ext"] = {{"d", c.extension->working_days}, {"r", c.extension->reason}, {"at", c.extension->requested_at}};
  put(j, "extn", c.extensions_granted, 0);
  put(j, "reply", c.reply, e);
  put(j, "rpa", c.replied_at, z);
  if (c.resident_rating) j["rr"] = to_string(*c.resident_rating);
  if (c.deputy_rating) j["dr"] = to_string(*c.deputy_rating);
  put(j, "reo", c.reopen_count, 0);
  put(j, "ret", c.return_reason, e);
  put(j, "into", c.merged_into, e);
  if (!c.merged_from.empty()) j["from"] = c.merged_from;
  put(j, "clu", c.cluster, e);
  if (!c.recent_transitions.empty()) j["tx"] = c.recent_transitions;
  j["log"] = json::array();
  for (const auto& l : c.log) j["log"].push_back(to_json(l));
  return j;
}

result<case_record> case_from_json(const json& j) {
  auto bad = [](const std::string& what) { return make_error(errc::invalid_argument, "case: " + what); };
  if (!j.is_object()) return bad("not an object");
  case_record c;
  try {
    c.number = j.at("no").get<std::string>();
    auto st = parse_case_state(j.at("st").get<std::string>());
    if (!st) return bad("st: unknown state");
    c.state = *st;
    c.version = j.value("v", std::uint64_t{0});
    c.created_at = j.value("ca", std::int64_t{0});
    c.updated_at = j.value("ua", std::int64_t{0});
    c.text = j.value("text", "");
    c.category = j.value("cat", "");
    c.village = j.value("vil", "");
    c.township = j.value("twp", "");
    c.station = j.value("sta", "");
    c.attachments = j.value("att", std::vector<std::string>{});
    c.anonymous = j.value("anon", false);
    auto rep = party_from(j.at("rep"));
    if (!rep) return bad("rep: not an object");
    c.reporter = *rep;
    if (j.contains("fol"))
      for (const auto& f : j["fol"])
        if (auto p = party_from(f)) c.followers.push_back(*p);
    c.deputy = j.value("dep", "");
    c.routing_rule = j.value("rule", "");
    c.department = j.value("dept", "");
    if (j.contains("hc")) {
      auto h = parse_handling_class(j["hc"].get<std::string>());
      if (!h) return bad("hc: unknown handling class");
      c.handling = *h;
    }
    c.committee = j.value("cmt", "");
    const std::string od = j.value("od", "none");
    for (auto o : {overdue_level::none, overdue_level::reminded, overdue_level::supervised, overdue_level::escalated})
      if (od == to_string(o)) c.overdue = o;
    c.assigned_at = j.value("asg", std::int64_t{0});
    c.deadline_at = j.value("due", std::int64_t{0});
    c.remind_at = j.value("rem", std::int64_t{0});
    c.supervise_at = j.value("sup", std::int64_t{0});
    c.escalate_at = j.value("esc", std::int64_t{0});
    if (j.contains("ext"))
      c.extension = pending_extension{j["ext"].at("d").get<int>(), j["ext"].value("r", ""), j["ext"].value("at", std::int64_t{0})};
    c.extensions_granted = j.value("extn", 0);
    c.reply = j.value("reply", "");
    c.replied_at = j.value("rpa", std::int64_t{0});
    if (j.contains("rr")) c.resident_rating = parse_rating(j["rr"].get<std::string>());
    if (j.contains("dr")) c.deputy_rating = parse_rating(j["dr"].get<std::string>());
    c.reopen_count = j.value("reo", 0);
    c.return_reason = j.value("ret", "");
    c.merged_into = j.value("into", "");
    c.merged_from = j.value("from", std::vector<std::string>{});
    c.cluster = j.value("clu", "");
    c.recent_transitions = j.value("tx", std::vector<std::string>{});
    if (j.contains("log")) {
      for (std::size_t i = 0; i < j["log"].size(); ++i) {
        auto e = log_entry_from_json(j["log"][i]);
        if (!e) return bad("log[" + std::to_string(i) + "]: " + e.err().message);
        c.log.push_back(std::move(e.value()));
      }
    }
  } catch (const json::exception& ex) {
    // nlohmann reports type errors by exception; the stored document is ours, so this only
    // happens on corruption or a hand edit, and becomes a domain error here.
    return bad(ex.what());
  }
  return c;
}

}  // namespace lianxin::workflow
