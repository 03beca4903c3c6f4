#include "workflow/intake/state.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace lianxin::workflow::intake {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<stage, std::string_view>, 9> step_names{{
    {stage::none, "none"},
    {stage::ask_content, "ask_content"},
    {stage::choose_category, "choose_category"},
    {stage::ask_place, "ask_place"},
    {stage::confirm_place, "confirm_place"},
    {stage::ask_contact, "ask_contact"},
    {stage::confirm, "confirm"},
    {stage::edit_menu, "edit_menu"},
    {stage::choose_similar, "choose_similar"},
}};

constexpr std::array<std::pair<pending, std::string_view>, 6> pending_names{{
    {pending::none, "none"},
    {pending::deputy, "deputy"},
    {pending::similar, "similar"},
    {pending::submit, "submit"},
    {pending::cases, "cases"},
    {pending::case_detail, "case_detail"},
}};

template <class E, std::size_t N>
std::optional<E> parse_enum(const std::array<std::pair<E, std::string_view>, N>& names,
                            std::string_view s) {
  for (auto& [e, name] : names) {
    if (name == s) return e;
  }
  return std::nullopt;
}

json place_json(const place_slot& p) { return json{{"id", p.id}, {"name", p.name}}; }

place_slot place_from(const json& j) {
  return place_slot{j.value("id", std::string{}), j.value("name", std::string{})};
}

}  // namespace

const char* to_string(stage s) {
  for (auto& [e, name] : step_names) {
    if (e == s) return name.data();
  }
  return "none";
}

const char* to_string(pending p) {
  for (auto& [e, name] : pending_names) {
    if (e == p) return name.data();
  }
  return "none";
}

// Empty and default slots are left out: the state lives in Redis for every active resident.
json to_json(const conversation_state& s) {
  json j{{"v", conversation_state::current_version},
         {"chat", s.chat == chat_type::group ? "group" : "private"},
         {"step", to_string(s.at)},
         {"sender", s.sender_id},
         {"created", s.created_at},
         {"last", s.last_activity},
         {"expires", s.expires_at}};
  if (s.waiting != pending::none) j["pending"] = to_string(s.waiting);
  if (!s.content.empty()) j["content"] = s.content;
  if (!s.category_id.empty()) j["category"] = s.category_id;
  if (!s.place.empty()) j["place"] = place_json(s.place);
  if (!s.photos.empty()) j["photos"] = s.photos;
  if (!s.phone.empty()) j["phone"] = s.phone;
  if (s.anonymous) j["anonymous"] = true;
  if (s.deputy) j["deputy"] = json{{"code", s.deputy->code}, {"name", s.deputy->name}};
  if (s.contact_asked) j["contact_asked"] = true;
  if (!s.menu.empty()) j["menu"] = s.menu;
  if (!s.place_options.empty()) {
    json a = json::array();
    for (auto& p : s.place_options) a.push_back(place_json(p));
    j["place_options"] = a;
  }
  if (!s.similar.empty()) {
    json a = json::array();
    for (auto& o : s.similar) a.push_back(json{{"case", o.case_id}, {"summary", o.summary}});
    j["similar"] = a;
  }
  if (!s.back.empty()) {
    json a = json::array();
    for (auto b : s.back) a.push_back(to_string(b));
    j["back"] = a;
  }
  if (s.strikes) j["strikes"] = s.strikes;
  return j;
}

state_result state_from_json(const json& j) {
  if (!j.is_object() || !j.contains("v") || !j["v"].is_number_integer()) {
    return {std::nullopt, state_error::malformed};
  }
  if (j["v"].get<int>() != conversation_state::current_version) {
    return {std::nullopt, state_error::unknown_version};
  }
  try {
    conversation_state s;
    s.chat = j.value("chat", std::string{"group"}) == "private" ? chat_type::private_chat
                                                                : chat_type::group;
    auto at = parse_enum(step_names, j.value("step", std::string{"none"}));
    auto waiting = parse_enum(pending_names, j.value("pending", std::string{"none"}));
    if (!at || !waiting) return {std::nullopt, state_error::malformed};
    s.at = *at;
    s.waiting = *waiting;
    s.sender_id = j.value("sender", std::string{});
    s.created_at = j.value("created", std::int64_t{0});
    s.last_activity = j.value("last", std::int64_t{0});
    s.expires_at = j.value("expires", std::int64_t{0});
    s.content = j.value("content", std::string{});
    s.category_id = j.value("category", std::string{});
    if (j.contains("place")) s.place = place_from(j["place"]);
    s.photos = j.value("photos", std::vector<std::string>{});
    s.phone = j.value("phone", std::string{});
    s.anonymous = j.value("anonymous", false);
    if (j.contains("deputy")) {
      s.deputy = deputy_slot{j["deputy"].value("code", std::string{}),
                             j["deputy"].value("name", std::string{})};
    }
    s.contact_asked = j.value("contact_asked", false);
    s.menu = j.value("menu", std::vector<std::string>{});
    for (auto& p : j.value("place_options", json::array())) s.place_options.push_back(place_from(p));
    for (auto& o : j.value("similar", json::array())) {
      s.similar.push_back({o.value("case", std::string{}), o.value("summary", std::string{})});
    }
    for (auto& b : j.value("back", json::array())) {
      auto parsed = parse_enum(step_names, b.get<std::string>());
      if (!parsed) return {std::nullopt, state_error::malformed};
      s.back.push_back(*parsed);
    }
    s.strikes = j.value("strikes", 0);
    return {std::move(s), std::nullopt};
  } catch (const json::exception&) {
    // Type mismatches in stored data are a domain error, not a crash of the turn.
    return {std::nullopt, state_error::malformed};
  }
}

}  // namespace lianxin::workflow::intake
