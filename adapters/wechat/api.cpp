#include "adapters/wechat/api.hpp"

#include "adapters/common/safe_json.hpp"

namespace lianxin::adapters::wechat {

http_output no_reply() { return empty_output(200); }

std::optional<api_request> render_custom_text(std::string_view access_token, const outbound_message& msg) {
  std::string content;
  for (const auto& s : msg.segments) {
    if (s.kind == out_segment_kind::text) content += s.value;
  }
  if (content.empty() || msg.target.chat_id.empty()) return std::nullopt;
  api_request r;
  r.path = "/cgi-bin/message/custom/send";
  r.query.emplace_back("access_token", std::string(access_token));
  common::json body = {{"touser", msg.target.chat_id}, {"msgtype", "text"}, {"text", {{"content", content}}}};
  r.body = common::dump_json(body);
  return r;
}

api_request render_token_request(std::string_view app_id, std::string_view app_secret) {
  api_request r;
  r.method = "GET";
  r.path = "/cgi-bin/token";
  r.query = {{"grant_type", "client_credential"}, {"appid", std::string(app_id)}, {"secret", std::string(app_secret)}};
  r.content_type.clear();
  return r;
}

}  // namespace lianxin::adapters::wechat
