#pragma once
// A small blocking HTTP client for tests: real sockets on loopback, raw bytes when a test
// needs to send something no well-behaved client would.
#include <chrono>
#include <map>
#include <string>

namespace lianxin::test {

struct http_result {
  int status = 0;  // 0: no response (connection closed or timed out)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string raw;
};

// One request on a fresh connection; `extra_headers` is "Name: value\r\n" lines.
http_result http_request(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body = {}, const std::string& extra_headers = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sends raw bytes, then reads until the server closes or `timeout` passes. The result's
// `raw` holds everything received; `status` the first status line's code.
http_result raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Parses every response in `raw` (for pipelining tests).
int count_responses(const std::string& raw);

}  // namespace lianxin::test
