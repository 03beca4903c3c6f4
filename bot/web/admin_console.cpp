#include "bot/web/admin_console.hpp"

#include "bot/web/assets.hpp"
#include "bot/web/respond.hpp"

#include <boost/beast/http/field.hpp>

namespace lianxin::web {
namespace {

namespace bhttp = boost::beast::http;

// The router matches "/admin" and "/admin/" alike: relative module paths need the slash.
awaitable<http::response> index(http::request_context& ctx) {
  if (ctx.path == "/admin") {
    auto res = http::make_response(ctx.req, 308, "");
    res.set(bhttp::field::location, "/admin/");
    co_return res;
  }
  const auto& a = embedded_assets();
  auto it = a.find("admin/index.html");
  if (it == a.end()) co_return http::error_response(ctx.req, 404, "not_found", "the console is not built in");
  auto res = http::make_response(ctx.req, 200, it->second, "text/html; charset=utf-8");
  security_headers(res);
  res.set(bhttp::field::cache_control, "no-cache");
  co_return res;
}

awaitable<http::response> file(http::request_context& ctx) {
  // Only embedded names match, so "../" and the like are simply 404.
  co_return asset_response(ctx.req, "admin/" + ctx.param("file"));
}

}  // namespace

void add_admin_console_routes(http::router& r) {
  r.add(bhttp::verb::get, "/admin", index);
  r.add(bhttp::verb::get, "/admin/", index);
  r.add(bhttp::verb::get, "/admin/{file}", file);
}

}  // namespace lianxin::web
