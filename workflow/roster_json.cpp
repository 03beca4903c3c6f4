// JSON (de)serialisation of the roster. Every error names the JSON path so an admin editing
// the file by hand can find the mistake without reading code.
#include <set>

#include <nlohmann/json.hpp>

#include "workflow/roster.hpp"

namespace lianxin::workflow {

using nlohmann::json;

struct roster_parser {
  std::optional<error> err;

  bool fail(const std::string& path, const std::string& what) {
    if (!err) err = make_error(errc::invalid_config, path + ": " + what);
    return false;
  }
  bool str(const json& o, const std::string& p, const char* key, std::string& out, bool required) {
    if (!o.contains(key)) return required ? fail(p + "." + key, "missing") : true;
    if (!o[key].is_string()) return fail(p + "." + key, "not a string");
    out = o[key];
    if (required && out.empty()) return fail(p + "." + key, "empty");
    return true;
  }
  bool strs(const json& o, const std::string& p, const char* key, std::vector<std::string>& out) {
    if (!o.contains(key)) return true;
    if (!o[key].is_array()) return fail(p + "." + key, "not an array");
    for (std::size_t i = 0; i < o[key].size(); ++i) {
      if (!o[key][i].is_string()) return fail(p + "." + key + "[" + std::to_string(i) + "]", "not a string");
      out.push_back(o[key][i]);
    }
    return true;
  }
  bool identities(const json& o, const std::string& p, const char* key, std::vector<chat_identity>& out) {
    if (!o.contains(key)) return true;
    if (!o[key].is_array()) return fail(p + "." + key, "not an array");
    for (std::size_t i = 0; i < o[key].size(); ++i) {
      const std::string ip = p + "." + key + "[" + std::to_string(i) + "]";
      if (!o[key][i].is_object()) return fail(ip, "not an object {\"platform\", \"id\"}");
      chat_identity c;
      if (!str(o[key][i], ip, "platform", c.platform, true) || !str(o[key][i], ip, "id", c.id, true)) return false;
      out.push_back(c);
    }
    return true;
  }
  template <class F>
  bool each(const json& j, const char* key, F f) {
    if (!j.contains(key)) return true;
    if (!j[key].is_array()) return fail(key, "not an array");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < j[key].size(); ++i) {
      const std::string p = std::string(key) + "[" + std::to_string(i) + "]";
      if (!j[key][i].is_object()) return fail(p, "not an object");
      std::string id;
      if (!f(j[key][i], p, id)) return false;
      if (!seen.insert(id).second) return fail(p, "duplicate id \"" + id + "\"");
    }
    return true;
  }
  template <class Find>
  bool ref(const std::string& p, const std::string& id, const char* what, Find find) {
    if (id.empty() || find(id)) return true;
    return fail(p, std::string("unknown ") + what + " \"" + id + "\"");
  }

  bool parse(const json& j, roster& r) {
    if (!j.is_object()) return fail("$", "roster is not an object");
    bool ok = each(j, "townships", [&](const json& o, const std::string& p, std::string& id) {
      township t;
      if (!str(o, p, "id", t.id, true) || !str(o, p, "name", t.name, true)) return false;
      id = t.id;
      r.townships_.push_back(t);
      return true;
    }) && each(j, "villages", [&](const json& o, const std::string& p, std::string& id) {
      village v;
      if (!str(o, p, "id", v.id, true) || !str(o, p, "name", v.name, true) || !str(o, p, "township", v.township, false) ||
          !str(o, p, "station", v.station, false))
        return false;
      id = v.id;
      r.villages_.push_back(v);
      return true;
    }) && each(j, "stations", [&](const json& o, const std::string& p, std::string& id) {
      station s;
      if (!str(o, p, "id", s.id, true) || !str(o, p, "name", s.name, true) || !str(o, p, "township", s.township, false) ||
          !str(o, p, "head", s.head, false) || !strs(o, p, "deputy_heads", s.deputy_heads) || !strs(o, p, "members", s.members))
        return false;
      id = s.id;
      r.stations_.push_back(s);
      return true;
    }) && each(j, "specialty_groups", [&](const json& o, const std::string& p, std::string& id) {
      specialty_group g;
      if (!str(o, p, "id", g.id, true) || !str(o, p, "name", g.name, true) || !str(o, p, "station", g.station, true) ||
          !strs(o, p, "categories", g.categories) || !strs(o, p, "members", g.members))
        return false;
      id = g.id;
      r.specialty_groups_.push_back(g);
      return true;
    }) && each(j, "deputies", [&](const json& o, const std::string& p, std::string& id) {
      deputy d;
      std::string level = "township";
      if (!str(o, p, "code", d.code, true) || !str(o, p, "name", d.name, true) || !str(o, p, "level", level, false) ||
          !str(o, p, "village", d.village, false) || !str(o, p, "constituency", d.constituency, false) ||
          !str(o, p, "station", d.station, false) || !str(o, p, "specialty_group", d.specialty_group, false))
        return false;
      auto l = parse_deputy_level(level);
      if (!l) return fail(p + ".level", "want province|city|county|township, got \"" + level + "\"");
      d.level = *l;
      if (o.contains("contacts")) {
        if (!o["contacts"].is_object()) return fail(p + ".contacts", "not an object {platform: id}");
        for (const auto& [k, v] : o["contacts"].items()) {
          if (!v.is_string()) return fail(p + ".contacts." + k, "not a string");
          d.contacts[k] = v;
        }
      }
      id = d.code;
      r.deputies_.push_back(d);
      return true;
    }) && each(j, "enterprises", [&](const json& o, const std::string& p, std::string& id) {
      enterprise e;
      if (!str(o, p, "id", e.id, true) || !str(o, p, "name", e.name, true) || !str(o, p, "village", e.village, false) ||
          !strs(o, p, "deputies", e.deputies) || !identities(o, p, "members", e.members))
        return false;
      id = e.id;
      r.enterprises_.push_back(e);
      return true;
    }) && each(j, "departments", [&](const json& o, const std::string& p, std::string& id) {
      department d;
      if (!str(o, p, "id", d.id, true) || !str(o, p, "name", d.name, true) || !identities(o, p, "handlers", d.handlers))
        return false;
      id = d.id;
      r.departments_.push_back(d);
      return true;
    }) && each(j, "committees", [&](const json& o, const std::string& p, std::string& id) {
      committee c;
      if (!str(o, p, "id", c.id, true) || !str(o, p, "name", c.name, true) || !identities(o, p, "members", c.members))
        return false;
      id = c.id;
      r.committees_.push_back(c);
      return true;
    });
    if (!ok) return false;
    if (j.contains("congress_office")) {
      const auto& o = j["congress_office"];
      if (!o.is_object()) return fail("congress_office", "not an object");
      if (!str(o, "congress_office", "id", r.office_.id, false) || !str(o, "congress_office", "name", r.office_.name, false) ||
          !identities(o, "congress_office", "members", r.office_.members))
        return false;
    }
    if (!str(j, "$", "default_committee", r.default_committee_, false)) return false;
    if (r.default_committee_.empty() && !r.committees_.empty()) r.default_committee_ = r.committees_.front().id;
    return check_refs(r);
  }

  bool check_refs(const roster& r) {
    auto dep = [&](const std::string& s) { return r.find_deputy(s); };
    auto sta = [&](const std::string& s) { return r.find_station(s); };
    for (std::size_t i = 0; i < r.villages_.size(); ++i) {
      const std::string p = "villages[" + std::to_string(i) + "]";
      if (!ref(p + ".township", r.villages_[i].township, "township", [&](auto& s) { return r.find_township(s); }) ||
          !ref(p + ".station", r.villages_[i].station, "station", sta))
        return false;
    }
    for (std::size_t i = 0; i < r.stations_.size(); ++i) {
      const auto& s = r.stations_[i];
      const std::string p = "stations[" + std::to_string(i) + "]";
      if (!ref(p + ".head", s.head, "deputy", dep)) return false;
      for (std::size_t k = 0; k < s.deputy_heads.size(); ++k)
        if (!ref(p + ".deputy_heads[" + std::to_string(k) + "]", s.deputy_heads[k], "deputy", dep)) return false;
      for (std::size_t k = 0; k < s.members.size(); ++k)
        if (!ref(p + ".members[" + std::to_string(k) + "]", s.members[k], "deputy", dep)) return false;
    }
    for (std::size_t i = 0; i < r.specialty_groups_.size(); ++i) {
      const auto& g = r.specialty_groups_[i];
      const std::string p = "specialty_groups[" + std::to_string(i) + "]";
      if (!ref(p + ".station", g.station, "station", sta)) return false;
      for (std::size_t k = 0; k < g.members.size(); ++k)
        if (!ref(p + ".members[" + std::to_string(k) + "]", g.members[k], "deputy", dep)) return false;
    }
    for (std::size_t i = 0; i < r.deputies_.size(); ++i) {
      const auto& d = r.deputies_[i];
      const std::string p = "deputies[" + std::to_string(i) + "]";
      if (!ref(p + ".village", d.village, "village", [&](auto& s) { return r.find_village(s); }) ||
          !ref(p + ".station", d.station, "station", sta) ||
          !ref(p + ".specialty_group", d.specialty_group, "specialty group", [&](auto& s) { return r.find_specialty_group(s); }))
        return false;
    }
    for (std::size_t i = 0; i < r.enterprises_.size(); ++i)
      for (std::size_t k = 0; k < r.enterprises_[i].deputies.size(); ++k)
        if (!ref("enterprises[" + std::to_string(i) + "].deputies[" + std::to_string(k) + "]", r.enterprises_[i].deputies[k],
                 "deputy", dep))
          return false;
    if (!r.default_committee_.empty() && !r.find_committee(r.default_committee_))
      return fail("default_committee", "unknown committee \"" + r.default_committee_ + "\"");
    return true;
  }
};

result<roster> roster::from_json(const json& j) {
  roster r;
  roster_parser p;
  if (!p.parse(j, r)) return *p.err;
  r.index_contacts();
  if (j.contains("categories")) {
    auto cats = categories_from_json(j["categories"]);
    if (!cats) return cats.err();
    auto set = r.set_categories(std::move(cats.value()));
    if (!set) return set.err();
  }
  return r;
}

result<std::vector<category>> roster::categories_from_json(const json& j, const std::string& path) {
  roster_parser p;
  std::vector<category> out;
  const json& arr = j.is_object() && j.contains("categories") ? j["categories"] : j;
  if (!arr.is_array()) return make_error(errc::invalid_config, path + ": not an array");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string cp = path + "[" + std::to_string(i) + "]";
    const json& o = arr[i];
    if (!o.is_object()) return make_error(errc::invalid_config, cp + ": not an object");
    category c;
    c.deadline_class = "standard";
    if (!p.str(o, cp, "id", c.id, true) || !p.str(o, cp, "name", c.name, true) ||
        !p.str(o, cp, "department", c.department, false) || !p.str(o, cp, "deadline_class", c.deadline_class, false))
      return *p.err;
    if (!seen.insert(c.id).second) return make_error(errc::invalid_config, cp + ": duplicate id \"" + c.id + "\"");
    // Phrases as {"路灯": 3, "修路": 2} (easy to edit by hand) or ["路灯", ...] (weight 1).
    if (o.contains("phrases")) {
      const json& ph = o["phrases"];
      if (ph.is_object()) {
        for (const auto& [text, w] : ph.items()) {
          if (!w.is_number() || w.get<double>() <= 0)
            return make_error(errc::invalid_config, cp + ".phrases." + text + ": weight must be a positive number");
          c.phrases.push_back({text, w.get<double>()});
        }
      } else if (ph.is_array()) {
        for (std::size_t k = 0; k < ph.size(); ++k) {
          if (!ph[k].is_string())
            return make_error(errc::invalid_config, cp + ".phrases[" + std::to_string(k) + "]: not a string");
          c.phrases.push_back({ph[k].get<std::string>(), 1.0});
        }
      } else {
        return make_error(errc::invalid_config, cp + ".phrases: want an object {phrase: weight} or an array");
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

json roster::categories_to_json(const std::vector<category>& cats) {
  json arr = json::array();
  for (const auto& c : cats) {
    json ph = json::object();
    for (const auto& p : c.phrases) ph[p.text] = p.weight;
    arr.push_back({{"id", c.id}, {"name", c.name}, {"department", c.department}, {"deadline_class", c.deadline_class},
                   {"phrases", ph}});
  }
  return arr;
}

namespace {
json identities_json(const std::vector<chat_identity>& v) {
  json a = json::array();
  for (const auto& c : v) a.push_back({{"platform", c.platform}, {"id", c.id}});
  return a;
}
}  // namespace

json roster::to_json() const {
  json j;
  for (const auto& t : townships_) j["townships"].push_back({{"id", t.id}, {"name", t.name}});
  for (const auto& v : villages_)
    j["villages"].push_back({{"id", v.id}, {"name", v.name}, {"township", v.township}, {"station", v.station}});
  for (const auto& s : stations_)
    j["stations"].push_back({{"id", s.id}, {"name", s.name}, {"township", s.township}, {"head", s.head},
                             {"deputy_heads", s.deputy_heads}, {"members", s.members}});
  for (const auto& g : specialty_groups_)
    j["specialty_groups"].push_back({{"id", g.id}, {"name", g.name}, {"station", g.station},
                                     {"categories", g.categories}, {"members", g.members}});
  for (const auto& d : deputies_)
    j["deputies"].push_back({{"code", d.code}, {"name", d.name}, {"level", to_string(d.level)}, {"village", d.village},
                             {"constituency", d.constituency}, {"station", d.station},
                             {"specialty_group", d.specialty_group}, {"contacts", d.contacts}});
  for (const auto& e : enterprises_)
    j["enterprises"].push_back({{"id", e.id}, {"name", e.name}, {"village", e.village}, {"deputies", e.deputies},
                                {"members", identities_json(e.members)}});
  for (const auto& d : departments_)
    j["departments"].push_back({{"id", d.id}, {"name", d.name}, {"handlers", identities_json(d.handlers)}});
  for (const auto& c : committees_)
    j["committees"].push_back({{"id", c.id}, {"name", c.name}, {"members", identities_json(c.members)}});
  j["congress_office"] = {{"id", office_.id}, {"name", office_.name}, {"members", identities_json(office_.members)}};
  if (!default_committee_.empty()) j["default_committee"] = default_committee_;
  if (!categories_.empty()) j["categories"] = categories_to_json(categories_);
  return j;
}

}  // namespace lianxin::workflow
