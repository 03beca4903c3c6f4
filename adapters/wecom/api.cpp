#include "adapters/wecom/api.hpp"

#include "adapters/common/safe_json.hpp"

namespace lianxin::adapters::wecom {
namespace {

using common::json;

std::string text_of(const outbound_message& msg) {
  std::string out;
  for (const auto& s : msg.segments) {
    if (s.kind == out_segment_kind::text) out += neutralise_text(s.value);
  }
  return out;
}

std::vector<std::string> mentions_of(const outbound_message& msg) {
  std::vector<std::string> out;
  for (const auto& s : msg.segments) {
    if (s.kind != out_segment_kind::mention || s.value.empty()) continue;
    if (s.value == "@all" || s.value == "all") continue;  // Lianxin never mentions everyone
    out.push_back(s.value);
  }
  return out;
}

}  // namespace

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '<': out += "\xEF\xBC\x9C"; break;  // ＜
      case '>': out += "\xEF\xBC\x9E"; break;  // ＞
      case '[': out += "\xEF\xBC\xBB"; break;  // ［
      case ']': out += "\xEF\xBC\xBD"; break;  // ］
      case '@': out += "\xEF\xBC\xA0"; break;  // ＠
      case '\\': case '*': case '_': case '`': case '#': case '~': case '|': case '(': case ')':
        out.push_back('\\');
        out.push_back(c);
        break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string neutralise_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '@') {
      out += "\xEF\xBC\x9C";  // ＜@… cannot expand into a mention
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

api_request render_webhook_text(std::string_view key, const outbound_message& msg) {
  api_request r;
  r.path = "/cgi-bin/webhook/send";
  r.query.emplace_back("key", std::string(key));
  json text = {{"content", common::truncate_utf8(text_of(msg), webhook_text_limit)}};
  const auto mentions = mentions_of(msg);
  if (!mentions.empty()) text["mentioned_list"] = mentions;
  r.body = common::dump_json(json{{"msgtype", "text"}, {"text", std::move(text)}});
  return r;
}

api_request render_webhook_markdown(std::string_view key, std::string_view markdown) {
  api_request r;
  r.path = "/cgi-bin/webhook/send";
  r.query.emplace_back("key", std::string(key));
  json body = {{"msgtype", "markdown"},
               {"markdown", {{"content", common::truncate_utf8(markdown, webhook_markdown_limit)}}}};
  r.body = common::dump_json(body);
  return r;
}

std::optional<api_request> render_app_message(std::string_view access_token, std::int64_t agent_id,
                                              const outbound_message& msg) {
  const std::string content = text_of(msg);
  if (content.empty() || msg.target.chat_id.empty()) return std::nullopt;
  api_request r;
  r.query.emplace_back("access_token", std::string(access_token));
  json body = {{"msgtype", "text"}, {"text", {{"content", content}}}, {"safe", 0}};
  if (msg.target.chat == chat_type::group) {
    r.path = "/cgi-bin/appchat/send";
    body["chatid"] = msg.target.chat_id;
  } else {
    r.path = "/cgi-bin/message/send";
    body["touser"] = msg.target.chat_id;
    body["agentid"] = agent_id;
    body["enable_duplicate_check"] = 1;
    body["duplicate_check_interval"] = 1800;
  }
  r.body = common::dump_json(body);
  return r;
}

api_request render_response_url_markdown(std::string_view response_url, std::string_view markdown) {
  api_request r;
  r.absolute_url = std::string(response_url);
  json body = {{"msgtype", "markdown"},
               {"markdown", {{"content", common::truncate_utf8(markdown, ai_bot_markdown_limit)}}}};
  r.body = common::dump_json(body);
  return r;
}

api_request render_token_request(std::string_view corp_id, std::string_view corp_secret) {
  api_request r;
  r.method = "GET";
  r.path = "/cgi-bin/gettoken";
  r.query = {{"corpid", std::string(corp_id)}, {"corpsecret", std::string(corp_secret)}};
  r.content_type.clear();
  return r;
}

}  // namespace lianxin::adapters::wecom
