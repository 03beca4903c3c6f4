#pragma once
// Response pieces shared by every page Lianxin serves (the 码上提 pages and the sandbox).
#include "bot/http/types.hpp"

#include <string_view>

namespace lianxin::web {

// CSP without inline script, nosniff, no framing, no referrer.
void security_headers(http::response& res);

// An embedded file under web/ ("static/app.css", "sandbox/app.js") with its content type, the
// security headers and an hour of caching; 404 when there is no such file.
http::response asset_response(const http::request& req, std::string_view path);

}  // namespace lianxin::web
