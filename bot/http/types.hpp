#pragma once
// The request/response types every route handler sees.
#include "bot/asio.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace lianxin::http {
namespace bhttp = boost::beast::http;

using request = bhttp::request<bhttp::string_body>;
using response = bhttp::response<bhttp::string_body>;

struct request_context {
  const request& req;
  std::map<std::string, std::string, std::less<>> params;  // path parameters, e.g. {bot}
  std::string path;                                          // target without the query
  std::string query;                                         // raw query string, no '?'
  std::string request_id;
  std::string remote;                                        // peer address
  std::string route;                                         // the matched pattern, for metrics

  std::string param(std::string_view name) const;
};

using handler = std::function<awaitable<response>(request_context&)>;

// A WebSocket route (bot/http/upgrade.hpp has the context, kept apart so that Beast's stream
// types stay out of this header). The handler either refuses with a normal HTTP response
// (401, 404, …) or takes the connection, upgrades it and returns nullopt when the socket is
// done.
struct upgrade_context;
using upgrade_handler = std::function<awaitable<std::optional<response>>(upgrade_context&)>;

// Plain responses with the usual headers; JSON errors look like {"error":{"code","message"}}.
response make_response(const request& req, unsigned status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
response json_response(const request& req, unsigned status, const std::string& json_body);
response error_response(const request& req, unsigned status, std::string_view code, std::string_view message);

// Splits "a=1&b=%E4%B8%AD" into decoded pairs (later keys win). Malformed escapes are kept raw.
std::map<std::string, std::string, std::less<>> parse_query(std::string_view query);
std::string url_decode(std::string_view s);

}  // namespace lianxin::http
