#include "bot/core/log.hpp"

#include "workflow/privacy.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace lianxin::log {
namespace {
std::atomic<int> g_level{static_cast<int>(level::info)};
std::mutex g_mutex;

const char* name(level l) {
  switch (l) {
    case level::debug: return "DEBUG";
    case level::info: return "INFO ";
    case level::warn: return "WARN ";
    case level::error: return "ERROR";
  }
  return "INFO ";
}
}  // namespace

void set_level(level l) { g_level.store(static_cast<int>(l)); }

level parse_level(std::string_view s) {
  if (s == "debug") return level::debug;
  if (s == "warn") return level::warn;
  if (s == "error") return level::error;
  return level::info;
}

bool enabled(level l) { return static_cast<int>(l) >= g_level.load(std::memory_order_relaxed); }

void write(level l, std::string_view component, std::string_view request_id, std::string_view message) {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line;
  line.reserve(64 + message.size());
  line += stamp;
  line += ' ';
  line += name(l);
  line += ' ';
  line += component;
  if (!request_id.empty()) {
    line += " rid=";
    line += request_id;
  }
  line += ' ';
  // Newlines inside a message would forge log lines; the mask hides personal data.
  for (char c : privacy::mask_pii(message)) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace lianxin::log
