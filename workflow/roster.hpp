#pragma once
// Who is who in one tenant (a county): townships, villages, liaison stations with their
// specialty groups, deputies, the enterprises paired with deputies, the handling departments,
// the categories residents' suggestions fall into, the special committees and the congress
// office. Loaded from config (the admin API edits the same JSON live), never from I/O here.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "workflow/result.hpp"

namespace lianxin::workflow {

// A person on one chat platform ("wecom", "onebot", "qq", "wechat", "sandbox").
struct chat_identity {
  std::string platform;
  std::string id;
  bool operator==(const chat_identity&) const = default;
};

enum class deputy_level { province, city, county, township };
const char* to_string(deputy_level l);
std::optional<deputy_level> parse_deputy_level(std::string_view s);

struct township {
  std::string id, name;
};

struct village {
  std::string id, name;
  std::string township;  // township id
  std::string station;   // liaison station serving the village, may be empty
};

struct station {
  std::string id, name;
  std::string township;
  std::string head;                       // deputy code
  std::vector<std::string> deputy_heads;  // deputy codes
  std::vector<std::string> members;       // deputy codes (head and deputy heads included)
};

struct specialty_group {
  std::string id, name;
  std::string station;
  std::vector<std::string> categories;  // category ids it covers
  std::vector<std::string> members;     // deputy codes
};

struct deputy {
  std::string code;  // "D0123"
  std::string name;
  deputy_level level = deputy_level::township;
  std::string village;       // village id the deputy lives in / is bound to, may be empty
  std::string constituency;  // 选区, free text
  std::string station;
  std::string specialty_group;
  std::map<std::string, std::string> contacts;  // platform -> user id
};

struct enterprise {
  std::string id, name;
  std::string village;
  std::vector<std::string> deputies;      // paired deputy codes (结对子)
  std::vector<chat_identity> members;     // people who speak for the enterprise
};

struct department {
  std::string id, name;
  std::vector<chat_identity> handlers;
};

struct weighted_phrase {
  std::string text;
  double weight = 1.0;
};

struct category {
  std::string id, name;
  std::vector<weighted_phrase> phrases;
  std::string department;      // default department id
  std::string deadline_class;  // "urgent" | "standard" | "complex" (see deadlines.hpp)
};

struct committee {
  std::string id, name;
  std::vector<chat_identity> members;
};

struct congress_office {
  std::string id = "office", name;
  std::vector<chat_identity> members;
};

class roster {
 public:
  // Errors name the JSON path: `deputies[3].station: unknown station "shuwo2"`.
  static result<roster> from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  // Categories may live in their own file (config/demo/categories.json); they are validated
  // against the departments of this roster.
  static result<std::vector<category>> categories_from_json(const nlohmann::json& j,
                                                            const std::string& path = "categories");
  static nlohmann::json categories_to_json(const std::vector<category>& cats);
  result<bool> set_categories(std::vector<category> cats);

  const township* find_township(std::string_view id) const;
  const village* find_village(std::string_view id) const;
  const station* find_station(std::string_view id) const;
  const specialty_group* find_specialty_group(std::string_view id) const;
  const deputy* find_deputy(std::string_view code) const;
  const enterprise* find_enterprise(std::string_view id) const;
  const department* find_department(std::string_view id) const;
  const category* find_category(std::string_view id) const;
  const committee* find_committee(std::string_view id) const;

  // Reverse look-ups used to authorise chat commands.
  const deputy* deputy_by_contact(std::string_view platform, std::string_view user_id) const;
  std::vector<const department*> departments_of_handler(std::string_view platform, std::string_view user_id) const;
  const enterprise* enterprise_of_member(std::string_view platform, std::string_view user_id) const;
  std::vector<const deputy*> deputies_of_village(std::string_view village_id) const;

  const std::vector<township>& townships() const { return townships_; }
  const std::vector<village>& villages() const { return villages_; }
  const std::vector<station>& stations() const { return stations_; }
  const std::vector<specialty_group>& specialty_groups() const { return specialty_groups_; }
  const std::vector<deputy>& deputies() const { return deputies_; }
  const std::vector<enterprise>& enterprises() const { return enterprises_; }
  const std::vector<department>& departments() const { return departments_; }
  const std::vector<category>& categories() const { return categories_; }
  const std::vector<committee>& committees() const { return committees_; }
  const congress_office& office() const { return office_; }
  // The committee key-supervision cases go to unless a case names another.
  const std::string& default_committee() const { return default_committee_; }

 private:
  friend struct roster_parser;
  std::vector<township> townships_;
  std::vector<village> villages_;
  std::vector<station> stations_;
  std::vector<specialty_group> specialty_groups_;
  std::vector<deputy> deputies_;
  std::vector<enterprise> enterprises_;
  std::vector<department> departments_;
  std::vector<category> categories_;
  std::vector<committee> committees_;
  congress_office office_;
  std::string default_committee_;
  // deputy_by_contact runs for every inbound message: "<platform>\0<user id>" → the first
  // deputy with that contact, built by from_json (a roster made otherwise scans the list).
  void index_contacts();
  std::map<std::string, std::size_t, std::less<>> contact_index_;
  bool contacts_indexed_ = false;
};

}  // namespace lianxin::workflow
