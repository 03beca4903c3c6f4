#pragma once
// Client-side failures (the server's own error replies stay values) and the reply type every
// command returns. Errors are values: nothing on the I/O path throws.
#include "bot/redis/value.hpp"

#include <boost/system/error_code.hpp>

#include <string>
#include <type_traits>

namespace lianxin::redis {

enum class errc {
  unavailable = 1,  // not connected right now: the command was never sent
  timeout,          // no reply within the command's timeout; it may still run on the server
  disconnected,     // the connection dropped after the command was queued or sent
  protocol,         // the server sent bytes that are not RESP2: the connection is closed
  stopped,          // the client was stopped
  handshake,        // AUTH / SELECT refused while connecting
};

const boost::system::error_category& category();

inline boost::system::error_code make_error_code(errc e) {
  return {static_cast<int>(e), category()};
}

// What one command produced: either a transport failure (`ec` set, `detail` says why and
// where) or the server's reply (which itself may be an error reply, e.g. WRONGTYPE).
struct reply {
  boost::system::error_code ec;
  std::string detail;
  value v;

  static reply failure(errc e, std::string detail) {
    return {make_error_code(e), std::move(detail), {}};
  }

  // The command reached Redis and Redis did not answer with an error.
  bool ok() const { return !ec && !v.is_error(); }
  // One line for logs and HTTP 503 bodies: "redis timeout: ..." or the server's error text.
  std::string error_message() const;
};

}  // namespace lianxin::redis

template <>
struct boost::system::is_error_code_enum<lianxin::redis::errc> : std::true_type {};
