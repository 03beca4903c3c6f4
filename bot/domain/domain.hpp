#pragma once
// Everything the pure workflow needs about one tenant, assembled from config files: roster,
// categories and classifier, chat-group bindings, holiday calendar, deadline and routing
// rules, the intake dialogue's settings and the message catalogue. Immutable once built;
// the app holds it in a shared_ptr so a reload can swap it without stopping work.
//
//   "roster": {
//     "file": "roster.json", "categories_file": "categories.json", "groups_file": "groups.json",
//     "holidays_file": "../holidays/cn.json", "messages_file": "../messages.zh-CN.json"
//   },
//   "intake": { ...workflow/intake/config.hpp... },
//   "workflow": { "deadlines": {...}, "routing": {...}, "similarity": {...}, "clusters": {...} }
//
// Relative paths are resolved against the directory of the config file.
#include "adapters/message.hpp"
#include "bot/config/config.hpp"
#include "workflow/calendar.hpp"
#include "workflow/classifier.hpp"
#include "workflow/deadlines.hpp"
#include "workflow/intake/catalogue.hpp"
#include "workflow/intake/config.hpp"
#include "workflow/intake/dialogue.hpp"
#include "workflow/roster.hpp"
#include "workflow/routing.hpp"
#include "workflow/similarity.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace lianxin::domain {

struct group_binding {
  std::string platform, bot, group;
  std::string village, station, enterprise;  // one of them is set
  std::string name;
  // Optional validity ("YYYY-MM-DD", local dates, both inclusive); outside it the group is
  // treated as unbound. Empty: open-ended.
  std::string valid_from, valid_until;
  bool valid_at(std::int64_t unix_seconds) const;
};

// Per-minute limits on what the bot answers, counted in Redis so they hold across instances.
//   "limits": { "resident_per_minute": 12, "group_per_minute": 60 }
struct rate_limits {
  int resident_per_minute = 12;
  int group_per_minute = 60;
};

struct tenant_domain {
  rate_limits limits;
  workflow::roster roster;
  std::optional<workflow::classifier> classifier;
  workflow::working_calendar calendar;
  workflow::deadline_table deadlines;
  workflow::routing_config routing;
  workflow::similarity_config similarity;
  workflow::cluster_config clusters;
  workflow::intake::intake_config intake;
  std::optional<workflow::intake::catalogue> messages;
  std::map<std::string, group_binding, std::less<>> groups;  // key: platform:bot:group
  std::vector<workflow::intake::known_place> places;

  // The editable part (see document below), kept so a live edit can rebuild from it.
  nlohmann::json intake_source;      // the config's "intake" section as written
  nlohmann::json classifier_source;  // the classifier's settings (categories file / document)

  // `now` (unix seconds) checks the binding's validity dates; a negative `now` ignores them.
  const group_binding* find_group(std::string_view platform, std::string_view bot, std::string_view group,
                                  std::int64_t now = -1) const;
  // The dialogue's view of a chat's binding (village, or station only, or nothing).
  workflow::intake::group_binding binding_for(const adapters::inbound_message& m, std::int64_t now = -1) const;
  workflow::classification classify(std::string_view text) const;
  // Renders a reply (lines joined with "\n"); unknown keys render as the key itself and are logged.
  std::string render(const std::vector<workflow::intake::message>& lines) const;
};

// The tenant's editable document — what the admin API changes live and Redis holds
// (bot/admin/directory.hpp): the roster (townships, villages, stations, specialty_groups,
// deputies, enterprises, departments, committees, congress_office, default_committee),
// "categories" and "classifier" (categories file), "groups" (bindings) and "deadlines"
// (workflow.deadlines). Read from the files the config names; throws config::config_error.
nlohmann::json read_document(const config::config& cfg);

// Validates one group binding entry against a roster; the error names the field
// ("village: unknown village \"x\""). Used by the files, the admin API and chat binding.
workflow::result<group_binding> group_from_json(const nlohmann::json& g, const workflow::roster& r);
nlohmann::json group_to_json(const group_binding& g);

// Throws config::config_error naming the file, key and problem.
std::shared_ptr<const tenant_domain> load_domain(const config::config& cfg);

// A domain with the same fixed parts as `base` (calendar, messages, routing, limits…) and the
// editable parts from `doc`. Errors name the JSON path (`deputies[3].station: unknown …`).
workflow::result<std::shared_ptr<const tenant_domain>> rebuild_domain(const tenant_domain& base,
                                                                      const nlohmann::json& doc);

}  // namespace lianxin::domain
