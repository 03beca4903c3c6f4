#pragma once
// Answers of the WeCom (qyapi.weixin.qq.com) and WeChat (api.weixin.qq.com) server APIs share
// one shape: HTTP 200 with {"errcode":N,"errmsg":"…"}, so the classification lives here.
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/common/result.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::common {

// errcode 0 → ok; -1 (system busy) → retry; 40001/40014/41001/42001 (invalid, missing or
// expired access_token) → reauth; 45009/45011/45033 (frequency limits) → rate_limited;
// anything else (93000 bad webhook key, 45015 reply window over, 40003 bad user …) → give_up.
// Non-2xx statuses are classified by status first. `message` gets errmsg (or msgid on ok).
api_result parse_wx_response(int http_status, std::string_view body);

struct wx_token {
  std::string token;
  std::int64_t expires_in = 0;
};

// {"access_token":"…","expires_in":7200} (errcode 0 or absent).
result<wx_token, api_result> parse_wx_token_response(int http_status, std::string_view body);

// Cuts UTF-8 text to at most max_bytes without splitting a code point.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace lianxin::adapters::common
