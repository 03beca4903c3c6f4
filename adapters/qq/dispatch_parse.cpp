// QQ op-0 dispatch payloads → neutral messages.
#include "adapters/common/timestamp.hpp"
#include "adapters/qq/webhook.hpp"

namespace lianxin::adapters::qq {
namespace {

using common::json;

// QQ strips the bot mention from group text but leaves a leading space; some clients also
// leave a "<@!id>" / "<@id>" token at the start. Both go.
std::string strip_leading_mention(std::string_view content) {
  while (!content.empty() && content.front() == ' ') content.remove_prefix(1);
  if (content.substr(0, 2) == "<@") {
    const std::size_t end = content.find('>');
    if (end != std::string_view::npos && end < 80) content.remove_prefix(end + 1);
  }
  return clean_text(content);
}

bool valid_id(const std::string* s) { return s && !s->empty() && s->size() <= 128; }

}  // namespace

result<std::vector<inbound_message>, std::string> parse_dispatch(std::string_view bot, std::string_view t,
                                                                 const json& d) {
  const bool group = t == "GROUP_AT_MESSAGE_CREATE";
  if (!group && t != "C2C_MESSAGE_CREATE") return std::vector<inbound_message>{};
  const json* author = common::find_object(d, "author");
  const std::string* sender = author ? common::find_string(*author, group ? "member_openid" : "user_openid") : nullptr;
  const std::string* id = common::find_string(d, "id");
  if (!valid_id(sender) || !valid_id(id)) return fail(std::string("missing author openid or id"));
  inbound_message m;
  m.source = platform::qq;
  m.bot = std::string(bot);
  m.sender_id = *sender;
  m.message_id = *id;
  // Duplicates are documented to reuse d.id ("相同的 msg_id 的消息会有概率重复推送").
  m.dedupe_key = "qq:" + m.bot + ":" + m.message_id;
  if (group) {
    const std::string* gid = common::find_string(d, "group_openid");
    if (!valid_id(gid)) return fail(std::string("missing group_openid"));
    m.chat = chat_type::group;
    m.chat_id = *gid;
    m.segments.push_back(segment::make(segment_kind::mention_bot, {}));
  } else {
    m.chat = chat_type::private_chat;
    m.chat_id = m.sender_id;
  }
  if (const std::string* ts = common::find_string(d, "timestamp")) {
    const auto v = common::parse_rfc3339(*ts);
    if (!v) return fail(std::string("malformed timestamp"));
    m.time = *v;
  } else if (const json* tn = common::find_field(d, "timestamp")) {
    const auto v = common::as_int64(*tn);
    if (!v) return fail(std::string("malformed timestamp"));
    m.time = *v;
  }
  const std::string* content = common::find_string(d, "content");
  m.text = content ? strip_leading_mention(*content) : std::string();
  if (!m.text.empty()) m.segments.push_back(segment::make_text(m.text));
  if (const json* attachments = common::find_array(d, "attachments")) {
    for (const auto& att : *attachments) {
      const std::string* type = common::find_string(att, "content_type");
      const std::string* url = common::find_string(att, "url");
      if (type && url && type->rfind("image/", 0) == 0) {
        const std::string* name = common::find_string(att, "filename");
        m.segments.push_back(segment::make(segment_kind::image, name ? *name : std::string(), *url));
      }
    }
  }
  return std::vector<inbound_message>{std::move(m)};
}

}  // namespace lianxin::adapters::qq
