#pragma once
// WeChat Official Account outbound: the "no reply" answer for the 5-second rule,
// customer-service messages and access tokens (protocols.md §5.3).
#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/wx_api.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::wechat {

// 200 with an empty body: "received, no passive reply", which stops WeChat's retries. Used
// whenever a reply is not ready well inside 5 s; the answer then goes out as a
// customer-service message.
http_output no_reply();

// POST /cgi-bin/message/custom/send?access_token=T {"touser","msgtype":"text","text":{...}}.
// nullopt without text or target openid.
std::optional<api_request> render_custom_text(std::string_view access_token, const outbound_message& msg);

// GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…
api_request render_token_request(std::string_view app_id, std::string_view app_secret);

using common::parse_wx_response;
using common::parse_wx_token_response;

}  // namespace lianxin::adapters::wechat
