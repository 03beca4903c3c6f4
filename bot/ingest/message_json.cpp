#include "bot/ingest/message_json.hpp"

#include "adapters/common/safe_json.hpp"

namespace lianxin::ingest {
namespace {

using adapters::segment_kind;
using json = nlohmann::json;

const char* kind_name(segment_kind k) {
  switch (k) {
    case segment_kind::text: return "text";
    case segment_kind::mention_bot: return "at_bot";
    case segment_kind::mention_user: return "at";
    case segment_kind::mention_all: return "at_all";
    case segment_kind::image: return "image";
    case segment_kind::reply: return "reply";
    case segment_kind::face: return "face";
  }
  return "text";
}

std::optional<segment_kind> parse_kind(std::string_view s) {
  for (auto k : {segment_kind::text, segment_kind::mention_bot, segment_kind::mention_user, segment_kind::mention_all,
                 segment_kind::image, segment_kind::reply, segment_kind::face}) {
    if (s == kind_name(k)) return k;
  }
  return std::nullopt;
}

const char* event_name(adapters::event_kind k) {
  switch (k) {
    case adapters::event_kind::message: return "message";
    case adapters::event_kind::qr_scan: return "qr_scan";
    case adapters::event_kind::follow: return "follow";
    case adapters::event_kind::unfollow: return "unfollow";
    case adapters::event_kind::enter_chat: return "enter_chat";
  }
  return "message";
}

std::string str(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const char* out_kind_name(adapters::out_segment_kind k) {
  switch (k) {
    case adapters::out_segment_kind::text: return "text";
    case adapters::out_segment_kind::mention: return "at";
    case adapters::out_segment_kind::image_url: return "image_url";
    case adapters::out_segment_kind::image_ref: return "image_ref";
  }
  return "text";
}

}  // namespace

std::optional<adapters::platform> parse_platform(std::string_view s) {
  for (auto p : {adapters::platform::onebot, adapters::platform::qq, adapters::platform::wecom,
                 adapters::platform::wechat, adapters::platform::sandbox}) {
    if (s == adapters::to_string(p)) return p;
  }
  return std::nullopt;
}

json to_json(const adapters::inbound_message& m) {
  json j = {{"p", adapters::to_string(m.source)},
            {"b", m.bot},
            {"e", event_name(m.kind)},
            {"c", m.chat == adapters::chat_type::group ? "g" : "p"},
            {"cid", m.chat_id},
            {"sid", m.sender_id},
            {"mid", m.message_id},
            {"t", m.time},
            {"x", m.text},
            {"k", m.dedupe_key}};
  if (!m.sender_name.empty()) j["sn"] = m.sender_name;
  if (m.role != adapters::sender_role::unknown) j["r"] = static_cast<int>(m.role);
  if (!m.segments.empty()) {
    json segs = json::array();
    for (const auto& s : m.segments) {
      json o = {{"k", kind_name(s.kind)}};
      if (!s.value.empty()) o["v"] = s.value;
      if (!s.url.empty()) o["u"] = s.url;
      if (!s.text.empty()) o["t"] = s.text;
      segs.push_back(std::move(o));
    }
    j["s"] = std::move(segs);
  }
  if (m.qr) j["qr"] = {{"scene", m.qr->scene}, {"new", m.qr->new_subscriber}};
  const auto& r = m.reply;
  if (!r.nonce.empty() || !r.bot_account.empty() || !r.response_url.empty() || r.encrypted) {
    j["rc"] = {{"n", r.nonce}, {"a", r.bot_account}, {"u", r.response_url}, {"e", r.encrypted}};
  }
  return j;
}

namespace {

void put_key(std::string& out, bool& first, std::string_view k) {
  if (!first) out += ',';
  first = false;
  out += '"';
  out += k;
  out += "\":";
}

}  // namespace

std::string to_json_text(const adapters::inbound_message& m) {
  // Keys in the order the tree (a std::map) writes them.
  std::string out;
  out.reserve(160 + m.text.size() + m.dedupe_key.size() + m.chat_id.size() + m.sender_id.size() + m.bot.size());
  bool first = true;
  out += '{';
  put_key(out, first, "b");
  adapters::common::append_json_string(out, m.bot);
  put_key(out, first, "c");
  out += m.chat == adapters::chat_type::group ? "\"g\"" : "\"p\"";
  put_key(out, first, "cid");
  adapters::common::append_json_string(out, m.chat_id);
  put_key(out, first, "e");
  adapters::common::append_json_string(out, event_name(m.kind));
  put_key(out, first, "k");
  adapters::common::append_json_string(out, m.dedupe_key);
  put_key(out, first, "mid");
  adapters::common::append_json_string(out, m.message_id);
  put_key(out, first, "p");
  adapters::common::append_json_string(out, adapters::to_string(m.source));
  if (m.qr) {
    put_key(out, first, "qr");
    out += "{\"new\":";
    out += m.qr->new_subscriber ? "true" : "false";
    out += ",\"scene\":";
    adapters::common::append_json_string(out, m.qr->scene);
    out += '}';
  }
  if (m.role != adapters::sender_role::unknown) {
    put_key(out, first, "r");
    out += std::to_string(static_cast<int>(m.role));
  }
  const auto& r = m.reply;
  if (!r.nonce.empty() || !r.bot_account.empty() || !r.response_url.empty() || r.encrypted) {
    put_key(out, first, "rc");
    out += "{\"a\":";
    adapters::common::append_json_string(out, r.bot_account);
    out += ",\"e\":";
    out += r.encrypted ? "true" : "false";
    out += ",\"n\":";
    adapters::common::append_json_string(out, r.nonce);
    out += ",\"u\":";
    adapters::common::append_json_string(out, r.response_url);
    out += '}';
  }
  if (!m.segments.empty()) {
    put_key(out, first, "s");
    out += '[';
    bool first_seg = true;
    for (const auto& sg : m.segments) {
      if (!first_seg) out += ',';
      first_seg = false;
      bool f = true;
      out += '{';
      put_key(out, f, "k");
      adapters::common::append_json_string(out, kind_name(sg.kind));
      if (!sg.text.empty()) {
        put_key(out, f, "t");
        adapters::common::append_json_string(out, sg.text);
      }
      if (!sg.url.empty()) {
        put_key(out, f, "u");
        adapters::common::append_json_string(out, sg.url);
      }
      if (!sg.value.empty()) {
        put_key(out, f, "v");
        adapters::common::append_json_string(out, sg.value);
      }
      out += '}';
    }
    out += ']';
  }
  put_key(out, first, "sid");
  adapters::common::append_json_string(out, m.sender_id);
  if (!m.sender_name.empty()) {
    put_key(out, first, "sn");
    adapters::common::append_json_string(out, m.sender_name);
  }
  put_key(out, first, "t");
  out += std::to_string(m.time);
  put_key(out, first, "x");
  adapters::common::append_json_string(out, m.text);
  out += '}';
  return out;
}

std::optional<adapters::inbound_message> inbound_from_json(const json& j) {
  if (!j.is_object()) return std::nullopt;
  adapters::inbound_message m;
  auto p = parse_platform(str(j, "p"));
  if (!p) return std::nullopt;
  m.source = *p;
  m.bot = str(j, "b");
  auto e = str(j, "e");
  for (auto k : {adapters::event_kind::message, adapters::event_kind::qr_scan, adapters::event_kind::follow,
                 adapters::event_kind::unfollow, adapters::event_kind::enter_chat}) {
    if (e == event_name(k)) m.kind = k;
  }
  m.chat = str(j, "c") == "g" ? adapters::chat_type::group : adapters::chat_type::private_chat;
  m.chat_id = str(j, "cid");
  m.sender_id = str(j, "sid");
  m.sender_name = str(j, "sn");
  m.message_id = str(j, "mid");
  if (auto it = j.find("t"); it != j.end() && it->is_number_integer()) m.time = it->get<std::int64_t>();
  if (auto it = j.find("r"); it != j.end() && it->is_number_integer()) {
    m.role = static_cast<adapters::sender_role>(it->get<int>());
  }
  m.text = str(j, "x");
  m.dedupe_key = str(j, "k");
  if (auto it = j.find("s"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) {
      auto k = parse_kind(str(s, "k"));
      if (!k) continue;
      adapters::segment seg;
      seg.kind = *k;
      seg.value = str(s, "v");
      seg.url = str(s, "u");
      seg.text = str(s, "t");
      m.segments.push_back(std::move(seg));
    }
  }
  if (auto it = j.find("qr"); it != j.end() && it->is_object()) {
    m.qr = adapters::qr_scan{str(*it, "scene"), it->value("new", false)};
  }
  if (auto it = j.find("rc"); it != j.end() && it->is_object()) {
    m.reply.nonce = str(*it, "n");
    m.reply.bot_account = str(*it, "a");
    m.reply.response_url = str(*it, "u");
    m.reply.encrypted = it->value("e", false);
  }
  return m;
}

json to_json(const adapters::outbound_message& m) {
  json segs = json::array();
  for (const auto& s : m.segments) segs.push_back({{"k", out_kind_name(s.kind)}, {"v", s.value}});
  json t = {{"p", adapters::to_string(m.target.dest)},
            {"b", m.target.bot},
            {"c", m.target.chat == adapters::chat_type::group ? "g" : "p"},
            {"cid", m.target.chat_id}};
  if (!m.target.reply_to_message_id.empty()) t["re"] = m.target.reply_to_message_id;
  if (m.target.msg_seq) t["seq"] = m.target.msg_seq;
  if (m.target.reply_to_unix) t["rt"] = m.target.reply_to_unix;
  json j = {{"to", std::move(t)}, {"s", std::move(segs)}, {"id", m.idempotency_key}};
  if (m.bulletin) j["bl"] = true;
  return j;
}

std::optional<adapters::outbound_message> outbound_from_json(const json& j) {
  if (!j.is_object() || !j.contains("to") || !j["to"].is_object()) return std::nullopt;
  adapters::outbound_message m;
  const auto& t = j["to"];
  auto p = parse_platform(str(t, "p"));
  if (!p) return std::nullopt;
  m.target.dest = *p;
  m.target.bot = str(t, "b");
  m.target.chat = str(t, "c") == "g" ? adapters::chat_type::group : adapters::chat_type::private_chat;
  m.target.chat_id = str(t, "cid");
  m.target.reply_to_message_id = str(t, "re");
  if (auto it = t.find("seq"); it != t.end() && it->is_number_unsigned()) m.target.msg_seq = it->get<std::uint32_t>();
  if (auto it = t.find("rt"); it != t.end() && it->is_number_integer()) m.target.reply_to_unix = it->get<std::int64_t>();
  m.idempotency_key = str(j, "id");
  if (auto it = j.find("bl"); it != j.end() && it->is_boolean()) m.bulletin = it->get<bool>();
  if (auto it = j.find("s"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) {
      adapters::out_segment seg;
      auto k = str(s, "k");
      seg.kind = k == "at"          ? adapters::out_segment_kind::mention
                 : k == "image_url" ? adapters::out_segment_kind::image_url
                 : k == "image_ref" ? adapters::out_segment_kind::image_ref
                                    : adapters::out_segment_kind::text;
      seg.value = str(s, "v");
      m.segments.push_back(std::move(seg));
    }
  }
  return m;
}

std::string conversation_key(const adapters::inbound_message& m) {
  std::string k(adapters::to_string(m.source));
  k += ':';
  k += m.bot;
  k += m.chat == adapters::chat_type::group ? ":g:" : ":p:";
  k += m.chat_id;
  k += ':';
  k += m.sender_id;
  return k;
}

}  // namespace lianxin::ingest
