// WeChat Official Account push documents → neutral messages.
#include "adapters/common/timestamp.hpp"
#include "adapters/common/wx_envelope.hpp"
#include "adapters/wechat/callback.hpp"

namespace lianxin::adapters::wechat {
namespace {

constexpr std::string_view qrscene_prefix = "qrscene_";

// Scene values become deputy codes: printable, no spaces, at most 64 bytes (QR_STR_SCENE's
// limit). Anything else is not a scene Lianxin issued.
bool valid_scene(std::string_view s) { return common::is_token_text(s, 64); }

}  // namespace

result<std::vector<inbound_message>, std::string> parse_push(std::string_view document,
                                                             std::string_view bot,
                                                             std::string_view nonce, bool encrypted) {
  auto doc = common::read_wx_document(document);
  if (!doc) return fail(doc.error());
  const std::string_view from = doc->get("FromUserName");
  const std::string_view msg_type = doc->get("MsgType");
  if (from.empty() || msg_type.empty()) return fail(std::string("missing FromUserName or MsgType"));
  inbound_message m;
  m.source = platform::wechat;
  m.bot = std::string(bot);
  m.chat = chat_type::private_chat;  // Official Accounts only talk one to one
  m.sender_id = std::string(from);
  m.chat_id = m.sender_id;
  m.reply.bot_account = std::string(doc->get("ToUserName"));
  m.reply.nonce = std::string(nonce);
  m.reply.encrypted = encrypted;
  const auto created = common::parse_unix_seconds(doc->get("CreateTime"));
  if (!created) return fail(std::string("missing or malformed CreateTime"));
  m.time = *created;
  const std::string_view msg_id = doc->get("MsgId");
  if (!msg_id.empty()) {
    if (!common::is_token_text(msg_id)) return fail(std::string("malformed MsgId"));
    m.message_id = std::string(msg_id);
    m.dedupe_key = "wechat:" + m.bot + ":msg:" + m.message_id;
  } else {
    m.dedupe_key = "wechat:" + m.bot + ":event:" + common::wx_event_key(*doc);
  }

  if (msg_type == "text") {
    m.text = clean_text(doc->get("Content"));
    if (!m.text.empty()) m.segments.push_back(segment::make_text(m.text));
  } else if (msg_type == "image") {
    m.segments.push_back(segment::make(segment_kind::image, std::string(doc->get("MediaId")),
                                       std::string(doc->get("PicUrl"))));
  } else if (msg_type == "event") {
    const std::string_view event = doc->get("Event");
    const std::string_view key = doc->get("EventKey");
    if (event == "subscribe") {
      if (key.substr(0, qrscene_prefix.size()) == qrscene_prefix) {
        const std::string_view scene = key.substr(qrscene_prefix.size());
        if (!valid_scene(scene)) return fail(std::string("malformed QR scene"));
        m.kind = event_kind::qr_scan;
        m.qr = qr_scan{std::string(scene), true};
      } else {
        m.kind = event_kind::follow;
      }
    } else if (event == "SCAN") {
      if (!valid_scene(key)) return fail(std::string("malformed QR scene"));
      m.kind = event_kind::qr_scan;
      m.qr = qr_scan{std::string(key), false};
    } else if (event == "unsubscribe") {
      m.kind = event_kind::unfollow;
    } else {
      return std::vector<inbound_message>{};  // menu clicks, location, template results
    }
  } else {
    return std::vector<inbound_message>{};  // voice, video, location, link: acknowledged only
  }
  return std::vector<inbound_message>{std::move(m)};
}

}  // namespace lianxin::adapters::wechat
