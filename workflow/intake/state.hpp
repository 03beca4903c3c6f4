#pragma once
// The conversation state of one resident in one chat: what the shell stores in Redis between
// turns (keyed by tenant + platform + chat + user). Compact JSON, versioned, so a restart of
// Lianxin mid-conversation loses nothing and an old state is never misread after an upgrade.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lianxin::workflow::intake {

enum class chat_type { group, private_chat };

// Where the conversation is waiting. Every step except `none` has a prompt the resident saw.
enum class stage {
  none,             // no draft (only a pending lookup, e.g. a query)
  ask_content,      // "请说说您要反映的问题"
  choose_category,  // numbered category menu
  ask_place,        // free-text place (unbound chat)
  confirm_place,    // the text names another village than the group's
  ask_contact,      // private only: phone or 0
  confirm,          // summary + "回复 1 提交，2 修改，0 取消"
  edit_menu,        // which slot to change
  choose_similar,   // "我也遇到了" offer
};

// A lookup the shell is performing for this conversation (see dialogue.hpp for the protocol).
enum class pending { none, deputy, similar, submit, cases, case_detail };

struct place_slot {
  std::string id;    // village id when known (bound or recognised), else empty
  std::string name;  // display name or the resident's own words
  bool empty() const { return name.empty(); }
};

struct deputy_slot {
  std::string code;  // e.g. "D0123"
  std::string name;  // empty until resolved
};

struct similar_option {
  std::string case_id;
  std::string summary;  // already masked and shortened
};

struct conversation_state {
  static constexpr int current_version = 1;

  chat_type chat = chat_type::group;
  stage at = stage::none;
  pending waiting = pending::none;
  std::string sender_id;

  // Slots.
  std::string content;
  std::string category_id;
  place_slot place;
  std::vector<std::string> photos;
  std::string phone;  // private chat only; never stored from a group message
  bool anonymous = false;
  std::optional<deputy_slot> deputy;

  // Progress.
  bool contact_asked = false;
  std::vector<std::string> menu;          // category ids offered in the current menu
  std::vector<place_slot> place_options;  // confirm_place: [named, bound]
  std::vector<similar_option> similar;    // choose_similar
  std::vector<stage> back;                 // steps to return to on "返回", most recent last
  int strikes = 0;                        // unrecognised answers in a row (group nagging guard)

  std::int64_t created_at = 0;
  std::int64_t last_activity = 0;
  std::int64_t expires_at = 0;

  bool has_draft() const { return at != stage::none; }
};

// Shape (empty slots are omitted; a typical draft is 300-700 bytes, the content dominates):
//   {"v":1, "chat":"group"|"private", "step":"confirm", "pending":"similar",
//    "sender":"u-1001", "created":…, "last":…, "expires":…,
//    "content":"…", "category":"roads", "place":{"id":"v-xiaozhai","name":"小寨村"},
//    "photos":["…"], "phone":"138…", "anonymous":true, "deputy":{"code":"D0123","name":"…"},
//    "contact_asked":true, "menu":["water","farming","other"], "place_options":[{…},{…}],
//    "similar":[{"case":"RN-…","summary":"…"}], "back":["ask_contact"], "strikes":1}
nlohmann::json to_json(const conversation_state& s);

enum class state_error { malformed, unknown_version };

// A small result: the state, or why it could not be read. The shell treats any error as "no
// conversation" (and logs it) rather than failing the resident's turn.
struct state_result {
  std::optional<conversation_state> state;
  std::optional<state_error> error;
};
state_result state_from_json(const nlohmann::json& j);

const char* to_string(stage s);
const char* to_string(pending p);

}  // namespace lianxin::workflow::intake
