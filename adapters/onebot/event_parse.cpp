// OneBot v11 event JSON → neutral messages, and the HTTP POST entry point.
#include "adapters/common/codec.hpp"
#include "adapters/common/digest.hpp"
#include "adapters/onebot/cq_code.hpp"
#include "adapters/onebot/onebot.hpp"

namespace lianxin::adapters::onebot {
namespace {

using common::json;
using messages = std::vector<inbound_message>;

// message_id is an int32 that may be negative (go-cqhttp hashes it); accept integers only.
std::optional<std::string> message_id_text(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    const std::string_view digits = !s.empty() && s[0] == '-' ? std::string_view(s).substr(1) : std::string_view(s);
    if (digits.empty() || digits.size() > 19) return std::nullopt;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    return s;
  }
  return std::nullopt;
}

sender_role role_from(std::string_view r) {
  if (r == "owner") return sender_role::owner;
  if (r == "admin") return sender_role::admin;
  if (r == "member") return sender_role::member;
  return sender_role::unknown;
}

void add_segment(inbound_message& m, std::string_view type, auto&& get, const std::string& self_id) {
  if (type == "text") {
    const std::string t(get("text"));
    m.text += t;
    m.segments.push_back(segment::make_text(t));
  } else if (type == "at") {
    const std::string qq(get("qq"));
    if (qq == "all") {
      m.segments.push_back(segment::make(segment_kind::mention_all, qq));
    } else if (qq == self_id) {
      m.segments.push_back(segment::make(segment_kind::mention_bot, qq));
    } else {
      m.segments.push_back(segment::make(segment_kind::mention_user, qq));
    }
  } else if (type == "reply") {
    m.segments.push_back(segment::make(segment_kind::reply, std::string(get("id"))));
  } else if (type == "image") {
    std::string url(get("url"));
    const std::string file(get("file"));
    if (url.empty() && (file.rfind("http://", 0) == 0 || file.rfind("https://", 0) == 0)) url = file;
    m.segments.push_back(segment::make(segment_kind::image, file, url));
  } else if (type == "face") {
    m.segments.push_back(segment::make(segment_kind::face, std::string(get("id"))));
  }
  // record, video, forward, json, xml …: not used by Lianxin
}

bool read_message(inbound_message& m, const json& message, const std::string& self_id) {
  if (message.is_string()) {
    for (const auto& seg : parse_cq_string(message.get_ref<const std::string&>())) {
      add_segment(m, seg.type, [&](std::string_view k) { return seg.get(k); }, self_id);
    }
    return true;
  }
  if (!message.is_array()) return false;
  for (const auto& seg : message) {
    const std::string* type = common::find_string(seg, "type");
    const json* data = common::find_object(seg, "data");
    if (!type) return false;
    // Array data values are strings by spec, but numbers occur (qq ids); read both.
    auto get = [&](std::string_view k) -> std::string {
      const json* v = data ? common::find_field(*data, k) : nullptr;
      if (!v) return {};
      if (v->is_string()) return v->get<std::string>();
      if (v->is_number_integer() || v->is_number_unsigned()) return v->dump();
      return {};
    };
    add_segment(m, *type, get, self_id);
  }
  return true;
}

}  // namespace

std::string sign_body(std::string_view secret, std::string_view body) {
  return "sha1=" + common::hex_encode(common::hmac_sha1(secret, body));
}

result<messages, std::string> parse_event(const bot_config& cfg, const json& event) {
  if (!event.is_object()) return fail(std::string("event is not an object"));
  const std::string* post_type = common::find_string(event, "post_type");
  if (const json* self = common::find_field(event, "self_id")) {
    if (common::canonical_id(*self) != cfg.self_id) return fail(std::string("self_id does not match"));
  }
  if (!post_type || *post_type != "message") return messages{};  // notice/request/meta: ack only
  const std::string* message_type = common::find_string(event, "message_type");
  const json* user = common::find_field(event, "user_id");
  const json* mid = common::find_field(event, "message_id");
  const json* message = common::find_field(event, "message");
  if (!message_type || !user || !mid || !message) return fail(std::string("message event missing fields"));
  inbound_message m;
  m.source = platform::onebot;
  m.bot = cfg.name;
  auto sender = common::canonical_id(*user);
  auto message_id = message_id_text(*mid);
  if (!sender || !message_id) return fail(std::string("bad user_id or message_id"));
  m.sender_id = *sender;
  m.message_id = *message_id;
  if (*message_type == "group") {
    const json* group = common::find_field(event, "group_id");
    auto gid = group ? common::canonical_id(*group) : std::nullopt;
    if (!gid) return fail(std::string("bad group_id"));
    m.chat = chat_type::group;
    m.chat_id = *gid;
  } else if (*message_type == "private") {
    m.chat = chat_type::private_chat;
    m.chat_id = m.sender_id;
  } else {
    return messages{};  // guild and other extensions
  }
  if (const json* t = common::find_field(event, "time")) {
    auto v = common::as_int64(*t);
    if (!v) return fail(std::string("bad time"));
    m.time = *v;
  }
  if (const json* s = common::find_object(event, "sender")) {
    const std::string* card = common::find_string(*s, "card");
    const std::string* nick = common::find_string(*s, "nickname");
    m.sender_name = card && !card->empty() ? *card : nick ? *nick : std::string();
    if (const std::string* role = common::find_string(*s, "role")) m.role = role_from(*role);
  }
  if (!read_message(m, *message, cfg.self_id)) return fail(std::string("bad message field"));
  m.text = clean_text(m.text);
  m.dedupe_key = "onebot:" + cfg.self_id + ":" + m.message_id;
  return messages{std::move(m)};
}

http_output handle_post(const bot_config& cfg, const http_input& input) {
  if (input.method != "POST") return error_output(error_kind::method_not_allowed, "only POST");
  if (!cfg.secret.empty()) {
    const std::string* sig = input.headers.find("X-Signature");
    if (!sig) return error_output(error_kind::bad_signature, "missing X-Signature");
    // Lengths are public (sha1= + 40 hex); the compare itself is constant-time.
    if (!common::constant_time_equal(sign_body(cfg.secret, input.body), *sig)) {
      return error_output(error_kind::bad_signature, "X-Signature mismatch");
    }
  }
  const std::string* self = input.headers.find("X-Self-ID");
  if (!self || *self != cfg.self_id) return error_output(error_kind::forbidden, "X-Self-ID is not this bot");
  auto event = common::parse_json(input.body);
  if (!event) {
    const auto kind = event.error() == common::json_error::too_large ? error_kind::too_large : error_kind::bad_request;
    return error_output(kind, std::string(common::to_string(event.error())));
  }
  // A body for another bot behind a matching header is as foreign as a wrong header.
  if (const common::json* body_self = common::find_field(*event, "self_id")) {
    if (common::canonical_id(*body_self) != cfg.self_id) {
      return error_output(error_kind::forbidden, "self_id is not this bot");
    }
  }
  auto parsed = parse_event(cfg, *event);
  if (!parsed) return error_output(error_kind::bad_request, parsed.error());
  http_output out = empty_output(204);
  out.messages = std::move(parsed).value();
  return out;
}

}  // namespace lianxin::adapters::onebot
