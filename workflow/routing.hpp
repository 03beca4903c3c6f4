#pragma once
// Which deputy receives a new suggestion, and why. The rules run in a fixed order, each one
// switchable in config; the first that yields candidates wins, and among several candidates
// the one with the fewest open cases gets it (ties: the lowest deputy code, so the choice is
// reproducible). The reason is written into the case log so a deputy or admin can see why.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "workflow/result.hpp"
#include "workflow/roster.hpp"

namespace lianxin::workflow {

enum class routing_rule { explicit_deputy, enterprise, specialty_group, village, station_head, congress_office };
const char* to_string(routing_rule r);
std::optional<routing_rule> parse_routing_rule(std::string_view s);

struct routing_config {
  // All on by default. Turning off congress_office makes route() fail with no_candidate when
  // nothing else matched, which the shell reports to the resident as "no deputy available".
  std::map<routing_rule, bool> enabled{{routing_rule::explicit_deputy, true}, {routing_rule::enterprise, true},
                                       {routing_rule::specialty_group, true}, {routing_rule::village, true},
                                       {routing_rule::station_head, true},    {routing_rule::congress_office, true}};
  bool is_on(routing_rule r) const;
  // {"explicit_deputy": true, "enterprise": false, ...}; unknown keys are errors.
  static result<routing_config> from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

struct routing_request {
  std::string explicit_deputy{};  // code from a QR scan, "找代表 D0123" or an @-mention
  std::string sender_platform{}, sender_id{};  // the resident, to find an enterprise they speak for
  std::string group_enterprise{};  // enterprise the chat group is bound to, if any
  std::string village{};           // village the chat group is bound to (or the place named)
  std::string station{};           // station the chat group is bound to; default: the village's
  std::string category{};
};

struct routing_decision {
  std::string deputy;  // empty when the congress office takes the case
  routing_rule rule = routing_rule::congress_office;
  std::string reason_zh, reason_en;
  std::vector<std::string> candidates;  // the rule's candidates, for the log
};

// open_cases: deputy code -> number of open cases (missing = 0).
result<routing_decision> route(const roster& r, const routing_config& cfg, const routing_request& req,
                               const std::map<std::string, int>& open_cases);

}  // namespace lianxin::workflow
