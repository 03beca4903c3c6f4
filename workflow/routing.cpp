#include "workflow/routing.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <nlohmann/json.hpp>

namespace lianxin::workflow {

namespace {
constexpr std::array<std::pair<routing_rule, const char*>, 6> rule_names{{
    {routing_rule::explicit_deputy, "explicit_deputy"},
    {routing_rule::enterprise, "enterprise"},
    {routing_rule::specialty_group, "specialty_group"},
    {routing_rule::village, "village"},
    {routing_rule::station_head, "station_head"},
    {routing_rule::congress_office, "congress_office"},
}};

// Fewest open cases first, then the lowest code.
std::string pick(std::vector<std::string> candidates, const std::map<std::string, int>& open) {
  auto load = [&](const std::string& d) {
    auto it = open.find(d);
    return it == open.end() ? 0 : it->second;
  };
  std::sort(candidates.begin(), candidates.end(), [&](const std::string& a, const std::string& b) {
    return std::pair(load(a), a) < std::pair(load(b), b);
  });
  return candidates.front();
}

std::vector<std::string> unique_known(const roster& r, const std::vector<std::string>& codes) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const auto& c : codes)
    if (r.find_deputy(c) && seen.insert(c).second) out.push_back(c);
  return out;
}

std::string name_of(const roster& r, const std::string& code) {
  const auto* d = r.find_deputy(code);
  return d ? d->name : code;
}
}  // namespace

const char* to_string(routing_rule r) {
  for (const auto& [v, n] : rule_names)
    if (v == r) return n;
  return "?";
}
std::optional<routing_rule> parse_routing_rule(std::string_view s) {
  for (const auto& [v, n] : rule_names)
    if (s == n) return v;
  return std::nullopt;
}

bool routing_config::is_on(routing_rule r) const {
  auto it = enabled.find(r);
  return it == enabled.end() || it->second;
}

result<routing_config> routing_config::from_json(const nlohmann::json& j) {
  routing_config cfg;
  if (!j.is_object()) return make_error(errc::invalid_config, "routing: not an object");
  for (const auto& [k, v] : j.items()) {
    auto rule = parse_routing_rule(k);
    if (!rule) return make_error(errc::invalid_config, "routing." + k + ": unknown rule");
    if (!v.is_boolean()) return make_error(errc::invalid_config, "routing." + k + ": want true or false");
    cfg.enabled[*rule] = v.get<bool>();
  }
  return cfg;
}

nlohmann::json routing_config::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [v, n] : rule_names) j[n] = is_on(v);
  return j;
}

result<routing_decision> route(const roster& r, const routing_config& cfg, const routing_request& req,
                               const std::map<std::string, int>& open) {
  auto decide = [&](routing_rule rule, std::vector<std::string> cands, std::string zh, std::string en) {
    routing_decision d;
    d.rule = rule;
    d.deputy = pick(cands, open);
    d.candidates = std::move(cands);
    const std::string who = name_of(r, d.deputy) + "（" + d.deputy + "）";
    d.reason_zh = zh + "，由" + who + "代表接收";
    d.reason_en = en + "; deputy " + d.deputy + " receives it";
    if (d.candidates.size() > 1) {
      d.reason_zh += "（" + std::to_string(d.candidates.size()) + "名候选中在办件最少）";
      d.reason_en += " (fewest open cases of " + std::to_string(d.candidates.size()) + ")";
    }
    return d;
  };

  if (cfg.is_on(routing_rule::explicit_deputy) && !req.explicit_deputy.empty() && r.find_deputy(req.explicit_deputy))
    return decide(routing_rule::explicit_deputy, {req.explicit_deputy}, "群众指定了代表", "the resident named the deputy");

  if (cfg.is_on(routing_rule::enterprise)) {
    const enterprise* e = nullptr;
    if (!req.sender_id.empty()) e = r.enterprise_of_member(req.sender_platform, req.sender_id);
    if (!e && !req.group_enterprise.empty()) e = r.find_enterprise(req.group_enterprise);
    if (e) {
      auto cands = unique_known(r, e->deputies);
      if (!cands.empty())
        return decide(routing_rule::enterprise, cands, "反映人来自结对企业" + e->name,
                      "the sender or group belongs to paired enterprise " + e->id);
    }
  }

  std::string station_id = req.station;
  if (station_id.empty())
    if (const auto* v = r.find_village(req.village)) station_id = v->station;

  if (cfg.is_on(routing_rule::specialty_group) && !station_id.empty() && !req.category.empty()) {
    std::vector<std::string> members;
    std::string groups;
    for (const auto& g : r.specialty_groups()) {
      if (g.station != station_id) continue;
      if (std::find(g.categories.begin(), g.categories.end(), req.category) == g.categories.end()) continue;
      members.insert(members.end(), g.members.begin(), g.members.end());
      groups += (groups.empty() ? "" : "、") + g.name;
    }
    auto cands = unique_known(r, members);
    if (!cands.empty())
      return decide(routing_rule::specialty_group, cands, "该类问题归" + groups + "负责",
                    "specialty group of station " + station_id + " covers category " + req.category);
  }

  if (cfg.is_on(routing_rule::village) && !req.village.empty()) {
    std::vector<std::string> codes;
    for (const auto* d : r.deputies_of_village(req.village)) codes.push_back(d->code);
    auto cands = unique_known(r, codes);
    if (!cands.empty()) {
      const auto* v = r.find_village(req.village);
      return decide(routing_rule::village, cands, "本群绑定" + (v ? v->name : req.village) + "的代表",
                    "deputies of the bound village " + req.village);
    }
  }

  if (cfg.is_on(routing_rule::station_head) && !station_id.empty()) {
    const auto* s = r.find_station(station_id);
    if (s && r.find_deputy(s->head))
      return decide(routing_rule::station_head, {s->head}, s->name + "站长", "head of station " + station_id);
  }

  if (cfg.is_on(routing_rule::congress_office)) {
    routing_decision d;
    d.rule = routing_rule::congress_office;
    const std::string office = r.office().name.empty() ? "人大代表工委" : r.office().name;
    d.reason_zh = "没有匹配的代表，由" + office + "接收";
    d.reason_en = "no deputy matched; the congress office receives it";
    return d;
  }
  return make_error(errc::no_candidate, "routing: no rule produced a deputy");
}

}  // namespace lianxin::workflow
