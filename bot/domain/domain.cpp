#include "bot/domain/domain.hpp"

#include "bot/config/reader.hpp"
#include "bot/core/log.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace lianxin::domain {
namespace fs = std::filesystem;

namespace {

struct file_refs {
  std::string roster, categories, groups, holidays, messages;
};

std::string resolve(const std::string& config_file, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  auto base = config_file.empty() || config_file.front() == '(' ? fs::current_path() : fs::path(config_file).parent_path();
  return (base / path).lexically_normal().string();
}

nlohmann::json read_json(const std::string& path, const std::string& config_file, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config::config_error(config_file + ": " + key + ": cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return nlohmann::json::parse(ss.str(), nullptr, true, true);
  } catch (const nlohmann::json::parse_error& e) {
    throw config::config_error(path + ": (syntax): " + std::string(e.what()));
  }
}

[[noreturn]] void fail(const std::string& file, const std::string& what) { throw config::config_error(file + ": " + what); }

template <class T>
T take(workflow::result<T> r, const std::string& file, const std::string& key) {
  if (!r) fail(file, key + ": " + r.err().message);
  return std::move(r).value();
}

}  // namespace

bool group_binding::valid_at(std::int64_t unix_seconds) const {
  if (unix_seconds < 0 || (valid_from.empty() && valid_until.empty())) return true;
  auto today = workflow::format_date(workflow::local_date(unix_seconds));
  if (!valid_from.empty() && today < valid_from) return false;
  if (!valid_until.empty() && today > valid_until) return false;
  return true;
}

workflow::result<group_binding> group_from_json(const nlohmann::json& g, const workflow::roster& r) {
  using workflow::errc;
  using workflow::make_error;
  if (!g.is_object()) return make_error(errc::invalid_argument, "(item): must be an object");
  group_binding b;
  static const std::set<std::string, std::less<>> known{"platform", "bot", "group", "village", "station",
                                                        "enterprise", "name", "valid_from", "valid_until", "id"};
  for (const auto& [k, v] : g.items()) {
    if (!k.empty() && k[0] == '_') continue;
    if (!known.count(k)) return make_error(errc::invalid_argument, k + ": unknown field");
    if (!v.is_string()) return make_error(errc::invalid_argument, k + ": must be a string");
  }
  auto s = [&](const char* k) { return g.contains(k) ? g[k].get<std::string>() : std::string(); };
  b.platform = s("platform");
  b.bot = s("bot");
  b.group = s("group");
  b.village = s("village");
  b.station = s("station");
  b.enterprise = s("enterprise");
  b.name = s("name");
  b.valid_from = s("valid_from");
  b.valid_until = s("valid_until");
  static const std::set<std::string, std::less<>> platforms{"onebot", "qq", "wecom", "wechat", "sandbox"};
  if (b.platform.empty()) return make_error(errc::invalid_argument, "platform: required");
  if (!platforms.count(b.platform)) {
    return make_error(errc::invalid_argument, "platform: must be onebot, qq, wecom, wechat or sandbox");
  }
  if (b.bot.empty()) return make_error(errc::invalid_argument, "bot: required");
  if (b.group.empty()) return make_error(errc::invalid_argument, "group: required");
  if (b.group.size() > 128 || b.bot.size() > 64) return make_error(errc::invalid_argument, "group: too long");
  int targets = !b.village.empty() + !b.station.empty() + !b.enterprise.empty();
  if (targets != 1) return make_error(errc::invalid_argument, "village: exactly one of village, station, enterprise");
  if (!b.village.empty() && !r.find_village(b.village)) {
    return make_error(errc::invalid_argument, "village: unknown village \"" + b.village + "\"");
  }
  if (!b.station.empty() && !r.find_station(b.station)) {
    return make_error(errc::invalid_argument, "station: unknown station \"" + b.station + "\"");
  }
  if (!b.enterprise.empty() && !r.find_enterprise(b.enterprise)) {
    return make_error(errc::invalid_argument, "enterprise: unknown enterprise \"" + b.enterprise + "\"");
  }
  for (const char* k : {"valid_from", "valid_until"}) {
    auto v = s(k);
    if (!v.empty() && !workflow::parse_date(v)) {
      return make_error(errc::invalid_argument, std::string(k) + ": not a date YYYY-MM-DD \"" + v + "\"");
    }
  }
  if (!b.valid_from.empty() && !b.valid_until.empty() && b.valid_until < b.valid_from) {
    return make_error(errc::invalid_argument, "valid_until: before valid_from");
  }
  if (b.name.empty()) {
    if (const auto* v = r.find_village(b.village)) b.name = v->name;
    if (const auto* st = r.find_station(b.station)) b.name = st->name;
    if (const auto* e = r.find_enterprise(b.enterprise)) b.name = e->name;
  }
  return b;
}

nlohmann::json group_to_json(const group_binding& g) {
  nlohmann::json j{{"id", g.platform + ":" + g.bot + ":" + g.group}, {"platform", g.platform}, {"bot", g.bot},
                   {"group", g.group}, {"name", g.name}};
  if (!g.village.empty()) j["village"] = g.village;
  if (!g.station.empty()) j["station"] = g.station;
  if (!g.enterprise.empty()) j["enterprise"] = g.enterprise;
  if (!g.valid_from.empty()) j["valid_from"] = g.valid_from;
  if (!g.valid_until.empty()) j["valid_until"] = g.valid_until;
  return j;
}

const group_binding* tenant_domain::find_group(std::string_view platform, std::string_view bot,
                                               std::string_view group, std::int64_t now) const {
  std::string key(platform);
  key += ':';
  key += bot;
  key += ':';
  key += group;
  auto it = groups.find(key);
  if (it == groups.end() || !it->second.valid_at(now)) return nullptr;
  return &it->second;
}

workflow::intake::group_binding tenant_domain::binding_for(const adapters::inbound_message& m,
                                                           std::int64_t now) const {
  workflow::intake::group_binding b;
  if (m.chat != adapters::chat_type::group) return b;
  const auto* g = find_group(adapters::to_string(m.source), m.bot, m.chat_id, now);
  if (!g) return b;
  if (!g->village.empty()) {
    b.village_id = g->village;
    if (const auto* v = roster.find_village(g->village)) {
      b.village_name = v->name;
      b.station_id = v->station;
    }
  }
  if (!g->station.empty()) b.station_id = g->station;
  if (!g->enterprise.empty()) {
    if (const auto* e = roster.find_enterprise(g->enterprise)) {
      if (!e->village.empty()) {
        b.village_id = e->village;
        if (const auto* v = roster.find_village(e->village)) {
          b.village_name = v->name;
          b.station_id = v->station;
        }
      }
    }
  }
  return b;
}

workflow::classification tenant_domain::classify(std::string_view text) const {
  return classifier ? classifier->classify(text) : workflow::classification{};
}

std::string tenant_domain::render(const std::vector<workflow::intake::message>& lines) const {
  std::string out;
  for (const auto& line : lines) {
    std::string text;
    if (messages) {
      auto r = messages->render(line);
      if (r.ok()) {
        text = std::move(r.text);
      } else {
        log::error("messages", "cannot render ", line.key, ": ", workflow::intake::to_string(*r.error), " ", r.detail);
        text = line.key;
      }
    } else {
      text = line.key;
    }
    if (!out.empty()) out += '\n';
    out += text;
  }
  return out;
}

namespace {

file_refs read_refs(const config::config& cfg, const std::string& file) {
  static const nlohmann::json empty = nlohmann::json::object();
  file_refs refs;
  config::object_reader r(cfg.raw.contains("roster") && cfg.raw["roster"].is_object() ? cfg.raw["roster"] : empty,
                          "roster", file);
  r.read("file", refs.roster);
  r.read("categories_file", refs.categories);
  r.read("groups_file", refs.groups);
  r.read("holidays_file", refs.holidays);
  r.read("messages_file", refs.messages);
  r.finish();
  return refs;
}

const nlohmann::json& section_of(const config::config& cfg, const char* k) {
  static const nlohmann::json empty = nlohmann::json::object();
  return cfg.raw.contains(k) && cfg.raw[k].is_object() ? cfg.raw[k] : empty;
}

// "intake.<key>: <what it must be>", for the one-line startup error.
std::string intake_problem(const workflow::intake::config_result& r) {
  return (r.field.empty() ? "intake" : "intake." + r.field) + ": " + r.problem;
}

}  // namespace

nlohmann::json read_document(const config::config& cfg) {
  const std::string& file = cfg.source_file.empty() ? std::string("(defaults)") : cfg.source_file;
  auto refs = read_refs(cfg, file);
  workflow::roster roster;
  if (!refs.roster.empty()) {
    auto path = resolve(file, refs.roster);
    roster = take(workflow::roster::from_json(read_json(path, file, "roster.file")), path, "roster");
  }
  nlohmann::json classifier_json = nlohmann::json::object();
  if (!refs.categories.empty()) {
    auto path = resolve(file, refs.categories);
    auto j = read_json(path, file, "roster.categories_file");
    auto cats = take(workflow::roster::categories_from_json(j.contains("categories") ? j["categories"] : j), path,
                     "categories");
    take(roster.set_categories(std::move(cats)), path, "categories");
    if (j.is_object() && j.contains("classifier")) classifier_json = j["classifier"];
  }
  take(workflow::classifier_config::from_json(classifier_json), file, "classifier");
  auto doc = roster.to_json();
  if (!doc.contains("categories")) doc["categories"] = nlohmann::json::array();
  doc["classifier"] = classifier_json;
  doc["groups"] = nlohmann::json::array();
  if (!refs.groups.empty()) {
    auto path = resolve(file, refs.groups);
    auto j = read_json(path, file, "roster.groups_file");
    const auto& list = j.is_object() && j.contains("groups") ? j["groups"] : j;
    if (!list.is_array()) fail(path, "groups: must be an array");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string at = "groups[" + std::to_string(i) + "]";
      auto g = group_from_json(list[i], roster);
      if (!g) fail(path, at + "." + g.err().message);
      if (!seen.insert(g->platform + ":" + g->bot + ":" + g->group).second) fail(path, at + ": group bound twice");
      doc["groups"].push_back(group_to_json(*g));
    }
  }
  const auto& wf = section_of(cfg, "workflow");
  auto deadlines = take(workflow::deadline_table::from_json(wf.contains("deadlines") ? wf["deadlines"]
                                                                                    : nlohmann::json::object()),
                        file, "workflow.deadlines");
  doc["deadlines"] = deadlines.to_json();
  return doc;
}

workflow::result<std::shared_ptr<const tenant_domain>> rebuild_domain(const tenant_domain& base,
                                                                      const nlohmann::json& doc) {
  using workflow::errc;
  using workflow::make_error;
  auto d = std::make_shared<tenant_domain>();
  d->limits = base.limits;
  d->calendar = base.calendar;
  d->deadlines = base.deadlines;
  d->routing = base.routing;
  d->similarity = base.similarity;
  d->clusters = base.clusters;
  d->messages = base.messages;
  d->intake_source = base.intake_source;
  if (!doc.is_object()) return make_error(errc::invalid_config, "$: not an object");
  auto roster = workflow::roster::from_json(doc);
  if (!roster) return roster.err();
  d->roster = std::move(roster).value();
  auto ccfg = workflow::classifier_config::from_json(doc.contains("classifier") ? doc["classifier"]
                                                                                : nlohmann::json::object());
  if (!ccfg) return make_error(errc::invalid_config, "classifier: " + ccfg.err().message);
  auto cl = workflow::classifier::build(d->roster.categories(), *ccfg);
  if (!cl) return cl.err();  // names the path: categories.<id>.phrases: …
  d->classifier = std::move(cl).value();
  d->classifier_source = doc.contains("classifier") ? doc["classifier"] : nlohmann::json::object();
  if (doc.contains("groups")) {
    const auto& list = doc["groups"];
    if (!list.is_array()) return make_error(errc::invalid_config, "groups: not an array");
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto g = group_from_json(list[i], d->roster);
      std::string at = "groups[" + std::to_string(i) + "].";
      if (!g) return make_error(errc::invalid_config, at + g.err().message);
      auto key = g->platform + ":" + g->bot + ":" + g->group;
      if (!d->groups.emplace(key, std::move(g).value()).second) {
        return make_error(errc::invalid_config, at + "group: bound twice");
      }
    }
  }
  if (doc.contains("deadlines")) {
    auto dl = workflow::deadline_table::from_json(doc["deadlines"]);
    if (!dl) return make_error(errc::invalid_config, "deadlines." + dl.err().message);
    d->deadlines = std::move(dl).value();
  }

  nlohmann::json intake_json = d->intake_source.is_object() ? d->intake_source : nlohmann::json::object();
  if (!intake_json.contains("categories")) {
    auto cats = nlohmann::json::array();
    bool has_other = false;
    for (const auto& c : d->roster.categories()) {
      cats.push_back({{"id", c.id}, {"name", c.name}});
      has_other = has_other || c.id == "other";
    }
    if (!has_other) cats.push_back({{"id", "other"}, {"name", "其他"}});
    intake_json["categories"] = cats;
  }
  auto ic = workflow::intake::intake_config_from_json(intake_json);
  if (!ic.config) return make_error(errc::invalid_config, intake_problem(ic));
  d->intake = std::move(*ic.config);

  for (const auto& v : d->roster.villages()) {
    workflow::intake::known_place p{v.id, v.name, {}};
    // "小寨村" is also called "小寨" in speech.
    if (v.name.size() > 3 && v.name.substr(v.name.size() - 3) == "村") p.aliases.push_back(v.name.substr(0, v.name.size() - 3));
    d->places.push_back(std::move(p));
  }
  return std::shared_ptr<const tenant_domain>(std::move(d));
}

std::shared_ptr<const tenant_domain> load_domain(const config::config& cfg) {
  const std::string& file = cfg.source_file.empty() ? std::string("(defaults)") : cfg.source_file;
  auto refs = read_refs(cfg, file);
  tenant_domain base;
  if (!refs.holidays.empty()) {
    auto path = resolve(file, refs.holidays);
    base.calendar = take(workflow::working_calendar::from_json(read_json(path, file, "roster.holidays_file")), path,
                         "holidays");
  }
  {
    // An explicit messages_file must exist; otherwise the shipped catalogue is used: next to
    // the config, one folder up (config/demo → config/), or in the build's config folder.
    std::string path;
    if (!refs.messages.empty()) {
      path = resolve(file, refs.messages);
    } else {
      for (auto candidate : {resolve(file, "messages.zh-CN.json"), resolve(file, "../messages.zh-CN.json"),
                             std::string(LIANXIN_CONFIG_DIR) + "/messages.zh-CN.json"}) {
        if (fs::exists(candidate)) {
          path = candidate;
          break;
        }
      }
      if (path.empty()) path = std::string(LIANXIN_CONFIG_DIR) + "/messages.zh-CN.json";
    }
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      auto c = workflow::intake::catalogue::parse(ss.str());
      if (!c.value) fail(path, std::string("messages: ") + workflow::intake::to_string(*c.error) + " " + c.detail);
      base.messages = std::move(*c.value);
    } else {
      throw config::config_error(file + ": roster.messages_file: cannot read " + path);
    }
  }

  base.limits.resident_per_minute = cfg.limits.resident_per_minute;
  base.limits.group_per_minute = cfg.limits.group_per_minute;
  const auto& wf = section_of(cfg, "workflow");
  static const nlohmann::json empty = nlohmann::json::object();
  auto sub = [&](const char* k) -> const nlohmann::json& { return wf.contains(k) ? wf[k] : empty; };
  config::object_reader wr(wf, "workflow", file);
  for (auto k : {"deadlines", "routing", "similarity", "clusters"}) wr.take(k);
  wr.finish();
  base.routing = take(workflow::routing_config::from_json(sub("routing")), file, "workflow.routing");
  base.similarity = take(workflow::similarity_config::from_json(sub("similarity")), file, "workflow.similarity");
  base.clusters = take(workflow::cluster_config::from_json(sub("clusters")), file, "workflow.clusters");
  base.intake_source = section_of(cfg, "intake");
  {
    // The intake section is checked on its own so its errors name the config file.
    nlohmann::json probe = base.intake_source;
    if (!probe.contains("categories")) probe["categories"] = nlohmann::json::array({{{"id", "other"}, {"name", "其他"}}});
    auto ic = workflow::intake::intake_config_from_json(probe);
    if (!ic.config) fail(file, intake_problem(ic));
  }
  auto doc = read_document(cfg);
  auto built = rebuild_domain(base, doc);
  if (!built) fail(file, "roster: " + built.err().message);
  return std::move(built).value();
}

}  // namespace lianxin::domain
