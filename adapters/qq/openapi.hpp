#pragma once
// QQ official OpenAPI calls (protocols.md §2.1, §2.6): access token and passive replies.
// Active pushes were discontinued in April 2025, so a send needs the msg_id being replied to.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/result.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::qq {

// POST https://bots.qq.com/app/getAppAccessToken (the shell supplies the base URL).
api_request render_token_request(std::string_view app_id, std::string_view secret);

struct access_token {
  std::string token;
  std::int64_t expires_in = 0;  // seconds; the doc example sends it as a string
};

// {"access_token":"…","expires_in":"7200"} (string or number). Errors are classified: a
// rejected secret is give_up, anything unparseable retry.
result<access_token, api_result> parse_token_response(int http_status, std::string_view body);

// POST /v2/groups/{group_openid}/messages or /v2/users/{openid}/messages with
// {"content","msg_type":0,"msg_id","msg_seq"} and "Authorization: QQBot <token>".
// nullopt without text to send or with an id that cannot be a path segment.
std::optional<api_request> render_send(const outbound_message& msg, std::string_view token);

// Rich media: upload by URL (file_type 1 = image), then send msg_type 7 with the file_info.
std::optional<api_request> render_upload_image(const outbound_target& target, std::string_view image_url,
                                               std::string_view token);
std::optional<api_request> render_send_media(const outbound_target& target, std::string_view file_info,
                                             std::string_view token);

// Classifies a send/upload answer: 2xx with an id is ok; 401 → reauth; 429 → rate_limited;
// 5xx → retry; 22009 (reply quota for that msg_id used up) and other 4xx → give_up.
api_result parse_send_response(int http_status, std::string_view body);

// Content escaping documented for inline markup (&, <, >), so resident text cannot form
// <@…> mentions or @everyone tags.
std::string escape_content(std::string_view text);

}  // namespace lianxin::adapters::qq
