#pragma once
// Where and how to connect: the options struct and the URL forms that fill it.
//
//   redis://[[user]:password@]host[:port][/db]          TCP (IPv6 hosts in brackets)
//   unix:///path/to/sock[?db=N&user=U&password=P]       unix socket
//   redis-sentinel://[[user]:password@]host:port[,host:port...]/master[/db]
//
// user and password are percent-decoded, so any byte can be written in a URL.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lianxin::redis {

struct tcp_endpoint {
  std::string host;
  std::uint16_t port = 6379;
};

struct unix_endpoint {
  std::string path;
};

// Ask the sentinels for the master's address on every (re)connect.
struct sentinel_endpoint {
  std::vector<tcp_endpoint> sentinels;
  std::string master;
};

using endpoint = std::variant<tcp_endpoint, unix_endpoint, sentinel_endpoint>;

// "127.0.0.1:6379", "[::1]:6379", "unix:/run/redis.sock", "sentinel:h1:26379,h2:26379/mymaster".
std::string to_string(const endpoint& e);

struct options {
  endpoint where = tcp_endpoint{"127.0.0.1", 6379};
  std::string username;  // empty: AUTH with the password only (the "default" user)
  std::string password;  // empty: no AUTH
  int db = 0;            // SELECT on connect unless 0
  std::chrono::milliseconds connect_timeout{2000};  // TCP/unix connect plus AUTH and SELECT
  std::chrono::milliseconds command_timeout{2000};  // default for exec(); each call may override
  std::chrono::milliseconds reconnect_min{100};     // first backoff; doubles, jittered
  std::chrono::milliseconds reconnect_max{5000};
  std::string name = "redis";  // for logs and metrics ("main", "blocking", ...)

  // The URL with the password replaced by "***", safe for logs and check-config.
  std::string redacted() const;
};

struct url_result {
  options opt;
  std::string error;  // empty on success; otherwise one precise line
  bool ok() const { return error.empty(); }
};

// Fills endpoint, username, password and db into a copy of `base` (timeouts and name stay).
url_result parse_url(std::string_view url, const options& base = {});

}  // namespace lianxin::redis
