#pragma once
// Private pieces shared by client.cpp and client_connect.cpp.
#include "bot/redis/client.hpp"

#include <cctype>

namespace lianxin::redis {

struct client::connection {
  explicit connection(const strand_type& ex) : socket(ex), closed(ex) {}
  socket_type socket;
  // Cancelled by drop(): the supervisor sleeps on it while the connection is healthy.
  asio::steady_timer closed;
  bool writing = false;
  // When bytes last arrived; a command timing out on a connection silent for at least its
  // timeout means the server is hung or gone, not just slow to answer one command.
  std::chrono::steady_clock::time_point last_read = std::chrono::steady_clock::now();
};

// The waiters of one exec / exec_many call. The reader fills results and cancels the timer
// when the last one arrives; if the timer fires first, the caller gives up on the rest.
struct client::batch {
  batch(const strand_type& ex, std::size_t n) : timer(ex), results(n), done(n, false), remaining(n) {}
  asio::steady_timer timer;
  std::vector<reply> results;
  std::vector<bool> done;
  std::vector<std::string> names;  // command names for the observer; empty for internal batches
  std::size_t remaining;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// "Connection refused" -> "connection refused": these end up mid-sentence in messages.
inline std::string describe(const error_code& ec) {
  std::string m = ec.message();
  if (!m.empty()) m[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(m[0])));
  return m;
}

}  // namespace lianxin::redis
