#pragma once
// Leveled logging, one line per event, every line passed through the PII mask so that a
// resident's phone or ID number can never reach a log file.
#include <sstream>
#include <string>
#include <string_view>

namespace lianxin::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3 };

void set_level(level l);
level parse_level(std::string_view s);  // unknown → info
bool enabled(level l);

// Writes "2026-11-28T19:40:01.123Z INFO  http rid=… message" to stderr.
void write(level l, std::string_view component, std::string_view request_id, std::string_view message);

namespace detail {
template <class... Args>
std::string concat(const Args&... args) {
  std::ostringstream ss;
  (ss << ... << args);
  return ss.str();
}
}  // namespace detail

template <class... Args>
void at(level l, std::string_view component, const Args&... args) {
  if (enabled(l)) write(l, component, {}, detail::concat(args...));
}
template <class... Args>
void debug(std::string_view component, const Args&... args) { at(level::debug, component, args...); }
template <class... Args>
void info(std::string_view component, const Args&... args) { at(level::info, component, args...); }
template <class... Args>
void warn(std::string_view component, const Args&... args) { at(level::warn, component, args...); }
template <class... Args>
void error(std::string_view component, const Args&... args) { at(level::error, component, args...); }

// With a request id, for lines about one request.
template <class... Args>
void req(level l, std::string_view component, std::string_view rid, const Args&... args) {
  if (enabled(l)) write(l, component, rid, detail::concat(args...));
}

}  // namespace lianxin::log
