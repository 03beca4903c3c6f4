#include "bot/domain/domain.hpp"

#include "bot/config/reader.hpp"
#include "bot/core/log.hpp"

#include <filesystem>
#include <fstream>
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

void load_groups(tenant_domain& d, const nlohmann::json& j, const std::string& file) {
  const auto& list = j.is_object() && j.contains("groups") ? j["groups"] : j;
  if (!list.is_array()) fail(file, "groups: must be an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& g = list[i];
    std::string at = "groups[" + std::to_string(i) + "]";
    if (!g.is_object()) fail(file, at + ": must be an object");
    group_binding b;
    auto s = [&](const char* k) { return g.contains(k) && g[k].is_string() ? g[k].get<std::string>() : std::string(); };
    b.platform = s("platform");
    b.bot = s("bot");
    b.group = s("group");
    b.village = s("village");
    b.station = s("station");
    b.enterprise = s("enterprise");
    b.name = s("name");
    if (b.platform.empty() || b.bot.empty() || b.group.empty()) fail(file, at + ": platform, bot and group are required");
    if (!b.village.empty() && !d.roster.find_village(b.village)) fail(file, at + ".village: unknown village \"" + b.village + "\"");
    if (!b.station.empty() && !d.roster.find_station(b.station)) fail(file, at + ".station: unknown station \"" + b.station + "\"");
    if (!b.enterprise.empty() && !d.roster.find_enterprise(b.enterprise)) {
      fail(file, at + ".enterprise: unknown enterprise \"" + b.enterprise + "\"");
    }
    auto key = b.platform + ":" + b.bot + ":" + b.group;
    if (!d.groups.emplace(key, std::move(b)).second) fail(file, at + ": group bound twice");
  }
}

template <class T>
T take(workflow::result<T> r, const std::string& file, const std::string& key) {
  if (!r) fail(file, key + ": " + r.err().message);
  return std::move(r).value();
}

}  // namespace

const group_binding* tenant_domain::find_group(std::string_view platform, std::string_view bot,
                                               std::string_view group) const {
  std::string key(platform);
  key += ':';
  key += bot;
  key += ':';
  key += group;
  auto it = groups.find(key);
  return it == groups.end() ? nullptr : &it->second;
}

workflow::intake::group_binding tenant_domain::binding_for(const adapters::inbound_message& m) const {
  workflow::intake::group_binding b;
  if (m.chat != adapters::chat_type::group) return b;
  const auto* g = find_group(adapters::to_string(m.source), m.bot, m.chat_id);
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

std::shared_ptr<const tenant_domain> load_domain(const config::config& cfg) {
  auto d = std::make_shared<tenant_domain>();
  const std::string& file = cfg.source_file.empty() ? std::string("(defaults)") : cfg.source_file;
  static const nlohmann::json empty = nlohmann::json::object();
  auto section = [&](const char* k) -> const nlohmann::json& {
    return cfg.raw.contains(k) && cfg.raw[k].is_object() ? cfg.raw[k] : empty;
  };

  file_refs refs;
  config::object_reader r(section("roster"), "roster", file);
  r.read("file", refs.roster);
  r.read("categories_file", refs.categories);
  r.read("groups_file", refs.groups);
  r.read("holidays_file", refs.holidays);
  r.read("messages_file", refs.messages);
  r.finish();

  if (!refs.roster.empty()) {
    auto path = resolve(file, refs.roster);
    d->roster = take(workflow::roster::from_json(read_json(path, file, "roster.file")), path, "roster");
  }
  nlohmann::json classifier_json = nlohmann::json::object();
  if (!refs.categories.empty()) {
    auto path = resolve(file, refs.categories);
    auto j = read_json(path, file, "roster.categories_file");
    auto cats = take(workflow::roster::categories_from_json(j.contains("categories") ? j["categories"] : j), path,
                     "categories");
    take(d->roster.set_categories(std::move(cats)), path, "categories");
    if (j.is_object() && j.contains("classifier")) classifier_json = j["classifier"];
  }
  auto ccfg = take(workflow::classifier_config::from_json(classifier_json), file, "classifier");
  d->classifier = take(workflow::classifier::build(d->roster.categories(), ccfg), file, "classifier");

  if (!refs.groups.empty()) {
    auto path = resolve(file, refs.groups);
    load_groups(*d, read_json(path, file, "roster.groups_file"), path);
  }
  if (!refs.holidays.empty()) {
    auto path = resolve(file, refs.holidays);
    d->calendar = take(workflow::working_calendar::from_json(read_json(path, file, "roster.holidays_file")), path,
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
      d->messages = std::move(*c.value);
    } else {
      throw config::config_error(file + ": roster.messages_file: cannot read " + path);
    }
  }

  d->limits.resident_per_minute = cfg.limits.resident_per_minute;
  d->limits.group_per_minute = cfg.limits.group_per_minute;
  const auto& wf = section("workflow");
  auto sub = [&](const char* k) -> const nlohmann::json& { return wf.contains(k) ? wf[k] : empty; };
  config::object_reader wr(wf, "workflow", file);
  for (auto k : {"deadlines", "routing", "similarity", "clusters"}) wr.take(k);
  wr.finish();
  d->deadlines = take(workflow::deadline_table::from_json(sub("deadlines")), file, "workflow.deadlines");
  d->routing = take(workflow::routing_config::from_json(sub("routing")), file, "workflow.routing");
  d->similarity = take(workflow::similarity_config::from_json(sub("similarity")), file, "workflow.similarity");
  d->clusters = take(workflow::cluster_config::from_json(sub("clusters")), file, "workflow.clusters");

  nlohmann::json intake_json = section("intake");
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
  if (!ic.config) fail(file, "intake." + ic.field + ": invalid");
  d->intake = std::move(*ic.config);

  for (const auto& v : d->roster.villages()) {
    workflow::intake::known_place p{v.id, v.name, {}};
    // "小寨村" is also called "小寨" in speech.
    if (v.name.size() > 3 && v.name.substr(v.name.size() - 3) == "村") p.aliases.push_back(v.name.substr(0, v.name.size() - 3));
    d->places.push_back(std::move(p));
  }
  return d;
}

}  // namespace lianxin::domain
