#include "adapters/qq/openapi.hpp"

#include "adapters/common/safe_json.hpp"

namespace lianxin::adapters::qq {
namespace {

using common::json;

// openids are hex-ish tokens; anything with '/', '?', '%' or spaces would change the URL.
bool path_safe(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string base_path(const outbound_target& t) {
  return t.chat == chat_type::group ? "/v2/groups/" + t.chat_id : "/v2/users/" + t.chat_id;
}

api_request authorized(std::string path, json body, std::string_view token) {
  api_request r;
  r.path = std::move(path);
  r.body = common::dump_json(body);
  r.headers.emplace_back("Authorization", "QQBot " + std::string(token));
  return r;
}

void add_reply_fields(json& body, const outbound_target& t) {
  if (!t.reply_to_message_id.empty()) body["msg_id"] = t.reply_to_message_id;
  body["msg_seq"] = t.msg_seq == 0 ? 1 : t.msg_seq;  // the same msg_id+msg_seq twice fails
}

}  // namespace

std::string escape_content(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out.push_back(c);
  }
  return out;
}

api_request render_token_request(std::string_view app_id, std::string_view secret) {
  api_request r;
  r.path = "/app/getAppAccessToken";
  r.body = common::dump_json(json{{"appId", std::string(app_id)}, {"clientSecret", std::string(secret)}});
  return r;
}

result<access_token, api_result> parse_token_response(int http_status, std::string_view text) {
  api_result err;
  err.outcome = outcome_for_http_status(http_status);
  auto body = common::parse_json(text);
  if (!body || !body->is_object()) {
    if (err.outcome == api_outcome::ok) err.outcome = api_outcome::retry;
    err.message = "unparseable token response";
    return fail(err);
  }
  const std::string* token = common::find_string(*body, "access_token");
  const json* expires = common::find_field(*body, "expires_in");
  const auto seconds = expires ? common::as_int64(*expires) : std::nullopt;
  if (http_status / 100 == 2 && token && !token->empty() && seconds && *seconds > 0) {
    return access_token{*token, *seconds};
  }
  if (const json* code = common::find_field(*body, "code")) err.code = common::as_int64(*code).value_or(-1);
  if (const std::string* m = common::find_string(*body, "message")) err.message = *m;
  // A 2xx without a token means the platform refused the credentials: retrying won't help.
  if (err.outcome == api_outcome::ok || err.outcome == api_outcome::reauth) err.outcome = api_outcome::give_up;
  return fail(err);
}

std::optional<api_request> render_send(const outbound_message& msg, std::string_view token) {
  if (!path_safe(msg.target.chat_id)) return std::nullopt;
  std::string content;
  for (const auto& s : msg.segments) {
    if (s.kind == out_segment_kind::text) content += escape_content(s.value);
  }
  if (content.empty()) return std::nullopt;
  json body = {{"content", content}, {"msg_type", 0}};
  add_reply_fields(body, msg.target);
  return authorized(base_path(msg.target) + "/messages", std::move(body), token);
}

std::optional<api_request> render_upload_image(const outbound_target& target, std::string_view image_url,
                                               std::string_view token) {
  if (!path_safe(target.chat_id) || image_url.rfind("https://", 0) != 0) return std::nullopt;
  json body = {{"file_type", 1}, {"url", std::string(image_url)}, {"srv_send_msg", false}};
  return authorized(base_path(target) + "/files", std::move(body), token);
}

std::optional<api_request> render_send_media(const outbound_target& target, std::string_view file_info,
                                             std::string_view token) {
  if (!path_safe(target.chat_id) || file_info.empty()) return std::nullopt;
  json body = {{"content", " "}, {"msg_type", 7}, {"media", {{"file_info", std::string(file_info)}}}};
  add_reply_fields(body, target);
  return authorized(base_path(target) + "/messages", std::move(body), token);
}

api_result parse_send_response(int http_status, std::string_view text) {
  api_result r;
  r.outcome = outcome_for_http_status(http_status);
  auto body = common::parse_json(text);
  if (body && body->is_object()) {
    if (const json* code = common::find_field(*body, "code")) r.code = common::as_int64(*code).value_or(-1);
    if (const std::string* m = common::find_string(*body, "message")) r.message = *m;
    if (r.outcome == api_outcome::ok) {
      const std::string* id = common::find_string(*body, "id");
      if (id) r.message = *id;
      const std::string* file_info = common::find_string(*body, "file_info");
      if (file_info) r.message = *file_info;
      if (!id && !file_info && r.code != 0) r.outcome = api_outcome::give_up;
    }
  } else if (r.outcome == api_outcome::ok) {
    r.outcome = api_outcome::retry;
  }
  if (r.code == 22009) r.outcome = api_outcome::give_up;              // msg limit exceed
  if (r.code == 304082 || r.code == 304083) r.outcome = api_outcome::retry;  // media fetch/convert
  return r;
}

}  // namespace lianxin::adapters::qq
