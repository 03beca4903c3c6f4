#include "workflow/stats.hpp"

#include <algorithm>
#include <map>

namespace lianxin::workflow::stats {
namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 86400;

const case_state kStates[] = {case_state::filed,    case_state::accepted,     case_state::returned, case_state::merged,
                              case_state::assigned, case_state::acknowledged, case_state::replied,  case_state::rated,
                              case_state::closed,   case_state::reopened};

std::size_t state_index(case_state s) { return static_cast<std::size_t>(s); }

std::string group_key(const case_record& c, grouping by) {
  switch (by) {
    case grouping::none: return {};
    case grouping::category: return c.category;
    case grouping::village: return c.village;
    case grouping::township: return c.township;
    case grouping::deputy: return c.deputy;
    case grouping::department: return c.department;
  }
  return {};
}

json named(const std::string& id, const std::string& name) {
  return json{{"id", id}, {"name", name.empty() ? id : name}};
}

std::string category_name(const roster& r, const std::string& id) {
  const auto* c = r.find_category(id);
  return c ? c->name : id;
}
std::string village_name(const roster& r, const std::string& id) {
  const auto* v = r.find_village(id);
  return v ? v->name : id;
}
std::string township_name(const roster& r, const std::string& id) {
  const auto* t = r.find_township(id);
  return t ? t->name : id;
}
std::string department_name(const roster& r, const std::string& id) {
  const auto* d = r.find_department(id);
  return d ? d->name : id;
}

json group_name(const roster& r, grouping by, const std::string& key) {
  switch (by) {
    case grouping::category: return category_name(r, key);
    case grouping::village: return village_name(r, key);
    case grouping::township: return township_name(r, key);
    case grouping::deputy:
      if (key.empty()) return r.office().name;  // the congress office holds cases with no deputy
      if (const auto* d = r.find_deputy(key)) return d->name;
      return key;
    case grouping::department:
      if (key.empty()) return nullptr;  // not assigned (yet)
      return department_name(r, key);
    case grouping::none: break;
  }
  return key;
}

}  // namespace

const char* to_string(grouping g) {
  switch (g) {
    case grouping::none: return "none";
    case grouping::category: return "category";
    case grouping::village: return "village";
    case grouping::township: return "township";
    case grouping::deputy: return "deputy";
    case grouping::department: return "department";
  }
  return "none";
}

std::optional<grouping> parse_grouping(std::string_view s) {
  for (auto g : {grouping::category, grouping::village, grouping::township, grouping::deputy, grouping::department}) {
    if (s == to_string(g)) return g;
  }
  return std::nullopt;
}

std::optional<double> ratio::rate() const {
  if (of == 0) return std::nullopt;
  return static_cast<double>(count) / static_cast<double>(of);
}

std::optional<std::int64_t> first_response_at(const case_record& c) {
  for (const auto& e : c.log) {
    if (e.what == "accept" || e.what == "assign" || e.what == "return" || e.what == "merge") return e.at;
  }
  return std::nullopt;
}

bool responded_within(const case_record& c, std::int64_t window_seconds) {
  auto at = first_response_at(c);
  return at && *at <= c.created_at + window_seconds;
}

bool is_resolved(const case_record& c) {
  return c.state == case_state::replied || c.state == case_state::rated || c.state == case_state::closed;
}

bool was_assigned(const case_record& c) { return c.assigned_at > 0; }

namespace {
// The department replied to the case's current assignment.
bool replied_current(const case_record& c) { return c.replied_at > 0 && c.replied_at >= c.assigned_at; }
}  // namespace

bool is_overdue(const case_record& c, std::int64_t now) {
  return (c.state == case_state::assigned || c.state == case_state::acknowledged) && c.deadline_at > 0 &&
         now > c.deadline_at;
}

int days_overdue(const case_record& c, std::int64_t now) {
  if (!is_overdue(c, now)) return 0;
  return static_cast<int>((now - c.deadline_at + kDay - 1) / kDay);
}

bool missed_deadline(const case_record& c, std::int64_t now) {
  if (c.deadline_at <= 0) return false;
  if (replied_current(c)) return c.replied_at > c.deadline_at;
  return is_overdue(c, now);
}

std::optional<double> figures::median_handling_hours() const {
  if (handling_hours.empty()) return std::nullopt;
  auto v = handling_hours;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void figures::add(const case_record& c, const options& o) {
  ++cases;
  ++by_state[state_index(c.state)];

  const bool responded = first_response_at(c).has_value();
  if (responded || o.now >= c.created_at + o.response_window_seconds) {
    ++response.of;
    if (responded_within(c, o.response_window_seconds)) ++response.count;
  }

  if (was_assigned(c)) {
    ++resolution.of;
    if (is_resolved(c)) ++resolution.count;
  }

  if (c.resident_rating) {
    ++satisfaction.of;
    if (*c.resident_rating == rating::satisfied) ++satisfaction.count;
    if (*c.resident_rating == rating::basically_satisfied) ++basically_satisfied;
    if (*c.resident_rating == rating::dissatisfied) ++dissatisfied;
  }

  if (c.deadline_at > 0) {
    const bool replied = replied_current(c);
    if (replied || o.now > c.deadline_at) {
      ++on_time.of;
      if (replied && c.replied_at <= c.deadline_at) ++on_time.count;
    }
  }

  if (is_resolved(c) && c.replied_at > 0) {
    handling_hours.push_back(static_cast<double>(c.replied_at - c.created_at) / 3600.0);
  }
  if (is_overdue(c, o.now)) ++overdue;
}

summary summarise(const std::vector<case_record>& cases, const options& o) {
  summary s;
  std::map<std::string, figures> groups;
  struct cluster_acc {
    std::string category, township;
    std::vector<std::string> villages;
    std::size_t count = 0;
  };
  std::map<std::string, cluster_acc> clusters;

  for (const auto& c : cases) {
    s.totals.add(c, o);
    if (o.by != grouping::none) groups[group_key(c, o.by)].add(c, o);
    if (is_overdue(c, o.now)) {
      s.overdue.push_back({c.number, c.category, c.village, c.township, c.department, c.deadline_at,
                           days_overdue(c, o.now)});
    }
    if (!c.cluster.empty()) {
      auto& acc = clusters[c.cluster];
      if (acc.count == 0) {
        acc.category = c.category;
        acc.township = c.township;
      }
      if (std::find(acc.villages.begin(), acc.villages.end(), c.village) == acc.villages.end()) {
        acc.villages.push_back(c.village);
      }
      ++acc.count;
    }
  }
  for (auto& [k, f] : groups) s.groups.emplace_back(k, std::move(f));

  std::sort(s.overdue.begin(), s.overdue.end(), [](const overdue_item& a, const overdue_item& b) {
    return a.days != b.days ? a.days > b.days : a.number < b.number;
  });
  if (s.overdue.size() > o.max_overdue) s.overdue.resize(o.max_overdue);

  for (auto& [id, acc] : clusters) {
    s.clusters.push_back({id, acc.category, acc.villages.size() == 1 ? acc.villages.front() : std::string(),
                          acc.township, acc.count});
  }
  std::sort(s.clusters.begin(), s.clusters.end(), [](const cluster_item& a, const cluster_item& b) {
    return a.count != b.count ? a.count > b.count : a.id < b.id;
  });
  if (s.clusters.size() > o.top_clusters) s.clusters.resize(o.top_clusters);
  return s;
}

json to_json(const ratio& r) {
  json j{{"count", r.count}, {"of", r.of}};
  if (auto v = r.rate()) j["rate"] = *v;
  else j["rate"] = nullptr;
  return j;
}

json to_json(const figures& f) {
  json states = json::object();
  for (auto st : kStates) states[to_string(st)] = f.by_state[state_index(st)];
  json j{{"cases", f.cases},
         {"states", std::move(states)},
         {"response_rate", to_json(f.response)},
         {"resolution_rate", to_json(f.resolution)},
         {"satisfaction_rate", to_json(f.satisfaction)},
         {"on_time_rate", to_json(f.on_time)},
         {"ratings", {{"satisfied", f.satisfaction.count},
                      {"basically_satisfied", f.basically_satisfied},
                      {"dissatisfied", f.dissatisfied}}},
         {"handled", f.handling_hours.size()},
         {"overdue", f.overdue}};
  if (auto m = f.median_handling_hours()) j["median_handling_hours"] = *m;
  else j["median_handling_hours"] = nullptr;
  return j;
}

json to_json(const summary& s, const roster& r, grouping by) {
  json j{{"totals", to_json(s.totals)}};
  if (by != grouping::none) {
    json groups = json::array();
    for (const auto& [key, f] : s.groups) {
      json g = to_json(f);
      g["key"] = key;
      g["name"] = group_name(r, by, key);
      groups.push_back(std::move(g));
    }
    j["by"] = to_string(by);
    j["groups"] = std::move(groups);
  }
  json overdue = json::array();
  for (const auto& o : s.overdue) {
    overdue.push_back({{"number", o.number},
                       {"category", named(o.category, category_name(r, o.category))},
                       {"village", named(o.village, village_name(r, o.village))},
                       {"township", named(o.township, township_name(r, o.township))},
                       {"department", named(o.department, department_name(r, o.department))},
                       {"deadline_at", o.deadline_at},
                       {"days_overdue", o.days}});
  }
  j["overdue"] = std::move(overdue);
  json clusters = json::array();
  for (const auto& c : s.clusters) {
    json cj{{"id", c.id},
            {"category", named(c.category, category_name(r, c.category))},
            {"township", named(c.township, township_name(r, c.township))},
            {"count", c.count}};
    cj["village"] = c.village.empty() ? json(nullptr) : named(c.village, village_name(r, c.village));
    clusters.push_back(std::move(cj));
  }
  j["clusters"] = std::move(clusters);
  return j;
}

}  // namespace lianxin::workflow::stats
