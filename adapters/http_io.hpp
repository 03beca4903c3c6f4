#pragma once
// The HTTP-neutral boundary between the shell (bot/) and the adapters. The shell copies a
// Beast request into http_input, calls an adapter, and writes http_output back; adapters never
// see a socket. Outbound calls are rendered into api_request values that the shell sends.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/message.hpp"

namespace lianxin::adapters {

// Header names compare case-insensitively (RFC 9110); values are kept verbatim.
class header_map {
 public:
  void set(std::string name, std::string value);
  // nullptr when absent. With repeated headers the first one wins.
  const std::string* find(std::string_view name) const;
  std::size_t size() const { return items_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct http_input {
  std::string method;  // "GET", "POST"
  std::string path;
  // Percent-decoded query parameters; `+` is NOT a space here (WeCom's echostr is base64 and
  // a literal '+' must survive). Use parse_query() to build it from the raw query string.
  std::map<std::string, std::string> query;
  header_map headers;
  std::string body;  // the raw bytes exactly as received: signatures cover them
  std::int64_t now_unix = 0;

  const std::string* query_param(std::string_view name) const;
};

// Splits "a=1&b=%2B" into decoded pairs; nullopt on a malformed escape. Later duplicates of a
// name are rejected (nullopt): which of two `msg_signature`s was meant is ambiguous.
std::optional<std::map<std::string, std::string>> parse_query(std::string_view raw);

enum class error_kind {
  bad_request,         // 400: malformed body, bad base64, bad padding, unknown fields in the way
  bad_signature,       // 401: missing or wrong signature / token
  stale,               // 401: timestamp outside the freshness window
  forbidden,           // 403: a well-signed request for another bot / tenant
  not_found,           // 404: unknown bot (decided by the shell) or route
  method_not_allowed,  // 405
  too_large,           // 413
};

int status_for(error_kind e);
std::string_view to_string(error_kind e);

struct http_output {
  int status = 200;
  std::string content_type;  // empty when there is no body
  std::string body;
  // What the request carried. The shell must store these durably (dedupe + enqueue) BEFORE it
  // sends this response, and answer 503 instead if it cannot: never acknowledge what is not
  // stored.
  std::vector<inbound_message> messages;
  std::optional<error_kind> error;
  std::string reason;  // for logs; never contains secrets or message content

  bool ok() const { return !error.has_value(); }
};

http_output error_output(error_kind e, std::string reason);
http_output empty_output(int status = 200);
http_output text_output(std::string body, std::string content_type = "text/plain; charset=utf-8");
http_output json_output(std::string body);

// An outbound HTTP call, rendered by an adapter and executed by the shell, which prefixes the
// bot's configured API base URL (so tests can point it at a fake server).
struct api_request {
  std::string method = "POST";
  std::string path;                               // "/send_group_msg", "/cgi-bin/message/send"
  std::string absolute_url;  // when set (WeCom response_url), used instead of base + path
  std::vector<std::pair<std::string, std::string>> query;  // unencoded; the shell encodes
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";
  std::string body;
};

// How the shell should treat a platform API answer.
enum class api_outcome {
  ok,
  retry,         // transient (system busy, 5xx, timeout): retry with backoff
  rate_limited,  // retry later, slower
  reauth,        // the access token is invalid or expired: refresh it, then retry once
  give_up,       // permanent (bad request, no permission, window expired): dead-letter
};

std::string_view to_string(api_outcome o);

// The answer to an API call, classified. `code` is the platform's error code (0 on success).
struct api_result {
  api_outcome outcome = api_outcome::give_up;
  std::int64_t code = 0;
  std::string message;   // platform message id on success, or error text
};

// Maps an HTTP status that arrived without a usable body.
api_outcome outcome_for_http_status(int status);

}  // namespace lianxin::adapters
