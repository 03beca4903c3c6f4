#pragma once
// An asynchronous HTTP/1.1 client for outbound platform calls (Beast + OpenSSL).
//
//   net::http_client http(ioc.get_executor(), {});
//   net::http_response r = co_await http.send({.method = "POST", .url = "https://…", .body = "…"});
//   if (!r.ok()) log(r.error);   // never throws on the I/O path
//
// - https verifies the peer against the system store (plus `extra_ca_pem`), sends SNI and
//   checks the host name (or IP) against the certificate; TLS 1.2 or newer only.
// - One deadline covers DNS, connect, TLS handshake, write and read.
// - Keep-alive: a few idle connections per origin are kept for `idle_expiry` and reused.
//   An idle socket that the server has closed is noticed before reuse, not after writing.
// - Callable from any number of coroutines on any threads at once: each call owns its
//   connection exclusively; only the idle pool is shared (under a mutex).
namespace boost::beast {}
#include "bot/asio.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lianxin::net {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct client_options {
  std::chrono::milliseconds default_timeout{10'000};
  std::size_t body_limit = 4 * 1024 * 1024;   // response bodies larger than this fail
  std::size_t header_limit = 16 * 1024;
  // The notifier delivers a batch's targets side by side (up to its batch of 32): a smaller
  // pool closed most of those sockets after each batch and connected again for the next.
  std::size_t max_idle_per_origin = 32;
  // Below the usual server keep-alive timeouts (nginx 75 s, Tencent's gateways unknown), so
  // a pooled socket is rarely one the server is about to close.
  std::chrono::milliseconds idle_expiry{15'000};
  // Extra trusted CA certificates (PEM, may hold several), added to the system store: for a
  // private CA or, in tests, a self-signed server. Bad PEM throws at construction (startup).
  std::string extra_ca_pem;
  std::string user_agent = "lianxin";
};

struct http_request {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL; may already hold a query
  header_list query;   // unencoded name/value pairs, appended percent-encoded
  header_list headers;
  std::string content_type;  // sets Content-Type when not empty
  std::string body;
  std::optional<std::chrono::milliseconds> timeout;  // default: client_options.default_timeout
};

enum class failure {
  none,
  bad_url,
  resolve,
  connect,
  tls,         // handshake failed, including certificate verification
  write,
  read,        // connection closed or broken before a full response
  timeout,
  too_large,   // response body or headers over the limit
  protocol,    // not a valid HTTP/1.1 response
};

std::string_view to_string(failure f);

struct http_response {
  int status = 0;
  header_list headers;  // as received
  std::string body;
  failure fail = failure::none;
  std::string error;  // one line: what failed, where (URL with secrets redacted) and why
  // The whole request reached the socket before the failure: the server may have acted on it.
  bool request_written = false;
  bool reused_connection = false;

  bool ok() const { return fail == failure::none; }
  // First header with that name (case-insensitive), nullptr when absent.
  const std::string* header(std::string_view name) const;
};

class http_client {
 public:
  http_client(asio::any_io_executor ex, client_options opt = {});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  awaitable<http_response> send(http_request req);

  // Drops every idle connection (tests; shutdown).
  void close_idle();
  std::size_t idle_count() const;
  // Connections opened so far (tests check reuse with it).
  std::uint64_t connections_opened() const;
  const client_options& options() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace lianxin::net
