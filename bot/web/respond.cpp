#include "bot/web/respond.hpp"

#include "bot/web/assets.hpp"

#include <boost/beast/http/field.hpp>

namespace lianxin::web {

void security_headers(http::response& res) {
  res.set("Content-Security-Policy",
          "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
}

http::response asset_response(const http::request& req, std::string_view path) {
  const auto& a = embedded_assets();
  auto it = a.find(path);
  if (it == a.end()) return http::error_response(req, 404, "not_found", "no such file");
  std::string type = "application/octet-stream";
  if (path.ends_with(".css")) type = "text/css; charset=utf-8";
  if (path.ends_with(".js")) type = "text/javascript; charset=utf-8";
  auto res = http::make_response(req, 200, it->second, type);
  security_headers(res);
  res.set(boost::beast::http::field::cache_control, "public, max-age=3600");
  return res;
}

}  // namespace lianxin::web
