#include "adapters/wecom/inbound_parse.hpp"

#include "adapters/common/safe_json.hpp"
#include "adapters/common/timestamp.hpp"
#include "adapters/common/wx_envelope.hpp"

namespace lianxin::adapters::wecom {
namespace {

using messages = std::vector<inbound_message>;
using parse_result = result<messages, std::string>;

inbound_message base_message(const parse_context& ctx) {
  inbound_message m;
  m.source = platform::wecom;
  m.bot = ctx.bot;
  m.time = ctx.now_unix;
  m.reply.nonce = ctx.nonce;
  m.reply.encrypted = true;
  return m;
}

// Removes the bot mention from AI-bot group text ("@RobotA hello" → "hello"): WeCom keeps the
// mention in the text, but a resident did not type it as part of the message.
std::string strip_bot_mention(std::string_view text, std::string_view mention_name) {
  std::string t(text);
  if (!mention_name.empty()) {
    const std::string needle = "@" + std::string(mention_name);
    const std::size_t at = t.find(needle);
    if (at != std::string::npos) t.erase(at, needle.size());
    return clean_text(t);
  }
  std::string_view v = text;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (!v.empty() && v.front() == '@') {
    const std::size_t end = v.find_first_of(" \n\t");
    v = end == std::string_view::npos ? std::string_view() : v.substr(end);
  }
  return clean_text(v);
}

void add_text(inbound_message& m, std::string text) {
  if (text.empty()) return;
  if (!m.text.empty()) m.text += '\n';
  m.text += text;
  m.segments.push_back(segment::make_text(std::move(text)));
}

parse_result app_event(inbound_message m, const common::xml_document& doc) {
  const std::string_view event = doc.get("Event");
  if (event == "subscribe") {
    m.kind = event_kind::follow;
  } else if (event == "unsubscribe") {
    m.kind = event_kind::unfollow;
  } else if (event == "enter_agent") {
    m.kind = event_kind::enter_chat;
  } else {
    return messages{};  // menu clicks, approvals, location reports: acknowledged, not used
  }
  return messages{std::move(m)};
}

}  // namespace

parse_result parse_app_xml(std::string_view xml, const parse_context& ctx) {
  auto doc = common::read_wx_document(xml);
  if (!doc) return fail(doc.error());
  inbound_message m = base_message(ctx);
  const std::string_view msg_type = doc->get("MsgType");
  // The legacy group-robot callback nests the sender and text; apps use flat fields.
  const bool robot = doc->find("From/UserId") != nullptr;
  const std::string_view from = robot ? doc->get("From/UserId") : doc->get("FromUserName");
  if (from.empty() || msg_type.empty()) return fail(std::string("missing FromUserName or MsgType"));
  if (const std::string* created = doc->find("CreateTime")) {
    const auto t = common::parse_unix_seconds(*created);
    if (!t) return fail(std::string("malformed CreateTime"));
    m.time = *t;
  }
  m.sender_id = std::string(from);
  m.sender_name = std::string(doc->get("From/Name"));
  m.reply.bot_account = std::string(doc->get("ToUserName"));
  if (robot && doc->get("ChatType") == "group" && !doc->get("ChatId").empty()) {
    m.chat = chat_type::group;
    m.chat_id = std::string(doc->get("ChatId"));
  } else {
    m.chat = chat_type::private_chat;
    m.chat_id = m.sender_id;
  }
  const std::string_view msg_id = doc->get("MsgId");
  if (!msg_id.empty()) {
    if (!common::is_token_text(msg_id)) return fail(std::string("malformed MsgId"));
    m.message_id = std::string(msg_id);
    m.dedupe_key = "wecom:" + ctx.bot + ":msg:" + m.message_id;
  } else {
    m.dedupe_key = "wecom:" + ctx.bot + ":event:" + common::wx_event_key(*doc);
  }
  if (msg_type == "event") return app_event(std::move(m), *doc);
  if (msg_type == "text") {
    add_text(m, clean_text(robot ? doc->get("Text/Content") : doc->get("Content")));
  } else if (msg_type == "image") {
    const std::string_view url = robot ? doc->get("Image/ImageUrl") : doc->get("PicUrl");
    m.segments.push_back(segment::make(segment_kind::image, std::string(doc->get("MediaId")), std::string(url)));
  } else {
    return messages{};  // voice, video, location, link: not handled by Lianxin yet
  }
  return messages{std::move(m)};
}

parse_result parse_ai_bot_json(std::string_view json_text, const parse_context& ctx) {
  auto parsed = common::parse_json(json_text);
  if (!parsed) return fail(std::string(common::to_string(parsed.error())));
  const common::json& j = *parsed;
  const std::string* msgid = common::find_string(j, "msgid");
  const std::string* msgtype = common::find_string(j, "msgtype");
  const common::json* from = common::find_object(j, "from");
  const std::string* userid = from ? common::find_string(*from, "userid") : nullptr;
  if (!msgid || !msgtype || !userid || userid->empty() || msgid->empty() || msgid->size() > 128) {
    return fail(std::string("missing msgid, msgtype or from.userid"));
  }
  inbound_message m = base_message(ctx);
  m.sender_id = *userid;
  m.message_id = *msgid;
  m.dedupe_key = "wecom:" + ctx.bot + ":msg:" + *msgid;
  if (const common::json* t = common::find_field(j, "create_time")) {
    const auto v = common::as_int64(*t);
    if (!v) return fail(std::string("malformed create_time"));
    m.time = *v;
  }
  if (const std::string* url = common::find_string(j, "response_url")) m.reply.response_url = *url;
  const std::string* chattype = common::find_string(j, "chattype");
  const std::string* chatid = common::find_string(j, "chatid");
  if (chattype && *chattype == "group") {
    if (!chatid || chatid->empty()) return fail(std::string("group message without chatid"));
    m.chat = chat_type::group;
    m.chat_id = *chatid;
  } else {
    m.chat_id = m.sender_id;
  }
  const bool group = m.chat == chat_type::group;
  auto item_text = [&](const common::json& item, const char* key) -> std::string {
    const common::json* o = common::find_object(item, key);
    const std::string* c = o ? common::find_string(*o, "content") : nullptr;
    return c ? *c : std::string();
  };
  auto add_image = [&](const common::json& item) {
    const common::json* o = common::find_object(item, "image");
    const std::string* url = o ? common::find_string(*o, "url") : nullptr;
    if (url) m.segments.push_back(segment::make(segment_kind::image, {}, *url));
  };
  if (*msgtype == "text") {
    if (group) m.segments.push_back(segment::make(segment_kind::mention_bot, ctx.mention_name));
    add_text(m, group ? strip_bot_mention(item_text(j, "text"), ctx.mention_name)
                      : clean_text(item_text(j, "text")));
  } else if (*msgtype == "voice") {
    add_text(m, clean_text(item_text(j, "voice")));  // WeCom delivers voice already transcribed
  } else if (*msgtype == "image") {
    add_image(j);
  } else if (*msgtype == "mixed") {
    const common::json* mixed = common::find_object(j, "mixed");
    const common::json* items = mixed ? common::find_array(*mixed, "msg_item") : nullptr;
    if (!items) return fail(std::string("mixed message without msg_item"));
    for (const auto& item : *items) {
      const std::string* t = common::find_string(item, "msgtype");
      if (t && *t == "text") add_text(m, group ? strip_bot_mention(item_text(item, "text"), ctx.mention_name)
                                               : clean_text(item_text(item, "text")));
      if (t && *t == "image") add_image(item);
    }
  } else if (*msgtype == "event") {
    const common::json* ev = common::find_object(j, "event");
    const std::string* type = ev ? common::find_string(*ev, "eventtype") : nullptr;
    if (!type || *type != "enter_chat") return messages{};
    m.kind = event_kind::enter_chat;
    return messages{std::move(m)};
  } else {
    return messages{};  // stream refresh, file: acknowledged, nothing for Lianxin to store
  }
  if (const common::json* quote = common::find_object(j, "quote")) {
    segment s = segment::make(segment_kind::reply, {});
    s.text = item_text(*quote, "text");
    m.segments.push_back(std::move(s));
  }
  return messages{std::move(m)};
}

}  // namespace lianxin::adapters::wecom
