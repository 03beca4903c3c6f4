#pragma once
// Absolute http(s) URLs for outbound calls, split into what a connection needs (scheme, host,
// port) and what goes on the request line (target). Pure code: no Asio, no Beast.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lianxin::net {

struct url {
  bool tls = false;          // https
  std::string host;          // lower-case name or IP literal, IPv6 without brackets
  std::uint16_t port = 0;    // explicit or the scheme's default
  std::string target = "/";  // path plus query, as sent on the request line

  // "https://host:port": the key for the keep-alive pool, so http and https to the same host
  // never share a socket.
  std::string origin() const;
  bool host_is_ip() const;
};

struct url_parse_result {
  url value;
  std::string error;  // empty when ok: one line naming the problem
  bool ok() const { return error.empty(); }
};

// Accepts http:// and https:// only. Rejects userinfo ("user@host": a classic way to smuggle
// another host past a reader), fragments are dropped, and control characters or spaces
// anywhere fail, so a config value can never inject a header line.
url_parse_result parse_url(std::string_view text);

// RFC 3986 percent-encoding of everything except unreserved characters (A-Z a-z 0-9 - . _ ~).
// Spaces become %20, never '+': WeCom and WeChat keys and tokens may hold '+' or '/'.
std::string url_encode(std::string_view raw);

// Appends encoded name=value pairs to a target, with '?' or '&' as needed.
std::string append_query(std::string target, const std::vector<std::pair<std::string, std::string>>& query);

// The target with the values of the named query parameters replaced by "***" (access tokens,
// webhook keys), for error messages and logs.
std::string redact_target(std::string_view target, std::vector<std::string_view> secret_names = {
                                                       "access_token", "key", "corpsecret", "secret"});

}  // namespace lianxin::net
