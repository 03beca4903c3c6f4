#pragma once
// The sandbox's wire format, pure (no I/O): what the page and `lianxin chat` post, how a post
// becomes a neutral inbound message, the clock and quirk requests, and transcript entries.
//
//   POST /sandbox/api/messages  {"type": "group"|"private", "chat": "village-1", "sender": "r-…",
//                                "name": "老李", "text": "…", "mention": true, "image": false,
//                                "message_id": "optional, for replays"}
//   POST /sandbox/api/clock     {"advance_seconds": N} | {"working_days": N}
//   POST /sandbox/api/quirks    {"kind": "duplicate"} | {"kind": "rate_limit", "chat": ID,
//                                "limit": 1, "window_seconds": 20, "seconds": 120}
//                                | {"kind": "redis_outage", "seconds": 3}
#include "adapters/message.hpp"
#include "workflow/calendar.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace lianxin::sandbox {

struct post_message {
  adapters::chat_type type = adapters::chat_type::group;
  std::string chat;  // group id; for private chats the sender id
  std::string sender;
  std::string name;
  std::string text;
  bool mention = false;
  bool image = false;
  std::string message_id;  // empty: the server numbers it
};

// Ids of chats and people: 1..64 of [A-Za-z0-9_.@-].
bool valid_id(std::string_view s);
// A Redis stream id "123-4" (the `after` of a transcript poll).
bool valid_stream_id(std::string_view s);

// The post, or one line saying what is wrong.
std::variant<post_message, std::string> parse_post(const nlohmann::json& j);

// The neutral message the platform webhooks would have produced; dedupe key
// "sandbox:<bot>:<message_id>".
adapters::inbound_message to_inbound(const post_message& p, const std::string& bot, const std::string& message_id,
                                     std::int64_t now);

// Seconds to move the clock for {"advance_seconds": N} or {"working_days": N} (the same local
// time of day on the N-th working day after today, by the tenant's calendar), or an error.
std::variant<std::int64_t, std::string> clock_advance(const nlohmann::json& j, const workflow::working_calendar& cal,
                                                      std::int64_t now);

struct quirk {
  enum class kind { duplicate, rate_limit, redis_outage } what = kind::duplicate;
  std::string chat;        // rate_limit: the target chat
  int limit = 1;           // rate_limit: messages per window
  int window_seconds = 20;
  int seconds = 120;       // rate_limit: how long it lasts; redis_outage: how long Redis is away
};
std::variant<quirk, std::string> parse_quirk(const nlohmann::json& j);

// A deterministic sender id for a display name ("r-" + 8 hex digits), so the page and the
// terminal chat agree on who "老李" is.
std::string resident_id(std::string_view name);

// "2026-03-02 09:30" in China time.
std::string local_time_label(std::int64_t unix_seconds);

}  // namespace lianxin::sandbox
