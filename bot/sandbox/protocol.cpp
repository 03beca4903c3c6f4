#include "bot/sandbox/protocol.hpp"

#include <cstdio>

namespace lianxin::sandbox {

using nlohmann::json;

bool valid_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

bool valid_stream_id(std::string_view s) {
  auto dash = s.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == s.size() || s.size() > 41) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == dash) continue;
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

namespace {

std::optional<std::string> str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<bool> flag(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return false;
  if (!it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::optional<std::int64_t> integer(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

}  // namespace

std::variant<post_message, std::string> parse_post(const json& j) {
  if (!j.is_object()) return std::string("the body must be a JSON object");
  post_message p;
  auto type = str(j, "type");
  if (!type) return std::string("type: must be \"group\" or \"private\"");
  if (*type == "group" || type->empty()) {
    p.type = adapters::chat_type::group;
  } else if (*type == "private") {
    p.type = adapters::chat_type::private_chat;
  } else {
    return std::string("type: must be \"group\" or \"private\"");
  }
  auto sender = str(j, "sender");
  if (!sender || !valid_id(*sender)) return std::string("sender: 1-64 of A-Z a-z 0-9 _ - . @");
  p.sender = *sender;
  auto chat = str(j, "chat");
  if (!chat) return std::string("chat: must be a string");
  p.chat = chat->empty() && p.type == adapters::chat_type::private_chat ? p.sender : *chat;
  if (!valid_id(p.chat)) return std::string("chat: 1-64 of A-Z a-z 0-9 _ - . @");
  if (p.type == adapters::chat_type::private_chat && p.chat != p.sender) {
    return std::string("chat: a private chat's id is the sender's id");
  }
  auto name = str(j, "name");
  if (!name || name->size() > 64) return std::string("name: a string of at most 64 bytes");
  p.name = *name;
  auto text = str(j, "text");
  if (!text || text->size() > 8192) return std::string("text: a string of at most 8192 bytes");
  p.text = adapters::clean_text(*text);
  auto mention = flag(j, "mention");
  auto image = flag(j, "image");
  if (!mention) return std::string("mention: must be true or false");
  if (!image) return std::string("image: must be true or false");
  p.mention = *mention;
  p.image = *image;
  if (p.text.empty() && !p.image) return std::string("text: empty (send text or an image)");
  auto id = str(j, "message_id");
  if (!id || (!id->empty() && !valid_id(*id))) return std::string("message_id: 1-64 of A-Z a-z 0-9 _ - . @");
  p.message_id = *id;
  return p;
}

adapters::inbound_message to_inbound(const post_message& p, const std::string& bot, const std::string& message_id,
                                     std::int64_t now) {
  adapters::inbound_message m;
  m.source = adapters::platform::sandbox;
  m.bot = bot;
  m.kind = adapters::event_kind::message;
  m.chat = p.type;
  m.chat_id = p.chat;
  m.sender_id = p.sender;
  m.sender_name = p.name;
  m.role = adapters::sender_role::member;
  m.message_id = message_id;
  m.time = now;
  m.text = p.text;
  if (p.mention) m.segments.push_back(adapters::segment::make(adapters::segment_kind::mention_bot, bot));
  if (!p.text.empty()) m.segments.push_back(adapters::segment::make_text(p.text));
  if (p.image) {
    m.segments.push_back(
        adapters::segment::make(adapters::segment_kind::image, "sandbox-image-" + message_id, "sandbox://image/" + message_id));
  }
  m.dedupe_key = "sandbox:" + bot + ":" + message_id;
  return m;
}

std::variant<std::int64_t, std::string> clock_advance(const json& j, const workflow::working_calendar& cal,
                                                      std::int64_t now) {
  if (!j.is_object()) return std::string("the body must be a JSON object");
  bool has_s = j.contains("advance_seconds"), has_d = j.contains("working_days");
  if (has_s == has_d) return std::string("give exactly one of advance_seconds and working_days");
  if (has_s) {
    auto s = integer(j, "advance_seconds");
    if (!s || *s < 0 || *s > 366LL * 86400) return std::string("advance_seconds: 0 to 31622400");
    return *s;
  }
  auto d = integer(j, "working_days");
  if (!d || *d < 1 || *d > 250) return std::string("working_days: 1 to 250");
  auto today = workflow::local_date(now);
  auto target = cal.add_working_days(today, static_cast<int>(*d));
  auto then = workflow::local_to_unix(target) + workflow::local_seconds_of_day(now);
  return std::max<std::int64_t>(0, then - now);
}

std::variant<quirk, std::string> parse_quirk(const json& j) {
  if (!j.is_object()) return std::string("the body must be a JSON object");
  auto kind = str(j, "kind");
  quirk q;
  if (!kind) return std::string("kind: duplicate, rate_limit or redis_outage");
  if (*kind == "duplicate") {
    q.what = quirk::kind::duplicate;
    return q;
  }
  auto num = [&](const char* key, int& out, int lo, int hi) -> bool {
    if (!j.contains(key)) return true;
    auto v = integer(j, key);
    if (!v || *v < lo || *v > hi) return false;
    out = static_cast<int>(*v);
    return true;
  };
  if (*kind == "rate_limit") {
    q.what = quirk::kind::rate_limit;
    auto chat = str(j, "chat");
    if (!chat || !valid_id(*chat)) return std::string("chat: the target chat id");
    q.chat = *chat;
    if (!num("limit", q.limit, 1, 1000)) return std::string("limit: 1 to 1000");
    if (!num("window_seconds", q.window_seconds, 1, 3600)) return std::string("window_seconds: 1 to 3600");
    if (!num("seconds", q.seconds, 1, 3600)) return std::string("seconds: 1 to 3600");
    return q;
  }
  if (*kind == "redis_outage") {
    q.what = quirk::kind::redis_outage;
    q.seconds = 3;
    if (!num("seconds", q.seconds, 1, 30)) return std::string("seconds: 1 to 30");
    return q;
  }
  return std::string("kind: duplicate, rate_limit or redis_outage");
}

std::string resident_id(std::string_view name) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : name) {
    h ^= c;
    h *= 16777619u;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "r-%08x", h);
  return buf;
}

std::string local_time_label(std::int64_t unix_seconds) {
  auto d = workflow::local_date(unix_seconds);
  int s = workflow::local_seconds_of_day(unix_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day, s / 3600, (s / 60) % 60);
  return buf;
}

}  // namespace lianxin::sandbox
