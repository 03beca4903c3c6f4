#include "bot/config/config.hpp"

#include "bot/config/reader.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace lianxin::config {
namespace {

constexpr std::int64_t kMaxMs = 24LL * 3600 * 1000;

void read_tenant(object_reader r, tenant_config& t) {
  r.read("id", t.id);
  r.read("name", t.name);
  r.read("case_prefix", t.case_prefix);
  // The id ends up inside a Redis hash tag and in URLs: keep it to a safe alphabet.
  if (t.id.empty() || t.id.size() > 32 ||
      t.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos) {
    r.fail("id", "must be 1-32 characters of a-z, 0-9, - or _");
  }
  if (t.case_prefix.empty() || t.case_prefix.size() > 8 ||
      t.case_prefix.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != std::string::npos) {
    r.fail("case_prefix", "must be 1-8 characters of A-Z or 0-9");
  }
  r.finish();
}

void read_server(object_reader r, server_config& s) {
  r.read("listen", s.listen);
  if (s.listen.rfind(':') == std::string::npos) r.fail("listen", "must be HOST:PORT");
  r.read("threads", s.threads, 1, 64);
  r.read("door_events_per_worker_turn", s.door_events_per_worker_turn, 0, 10'000);
  r.read("public_base_url", s.public_base_url);
  r.read("max_connections", s.max_connections, 1, 1'000'000);
  r.read("header_limit_bytes", s.header_limit_bytes, 1024, 1024 * 1024);
  r.read("body_limit_bytes", s.body_limit_bytes, 1024, 64LL * 1024 * 1024);
  r.read("header_timeout_ms", s.header_timeout_ms, 100, kMaxMs);
  r.read("request_timeout_ms", s.request_timeout_ms, 100, kMaxMs);
  r.read("idle_timeout_ms", s.idle_timeout_ms, 100, kMaxMs);
  r.read("shutdown_grace_ms", s.shutdown_grace_ms, 0, kMaxMs);
  if (s.request_timeout_ms < s.header_timeout_ms) {
    r.fail("request_timeout_ms", "must not be shorter than header_timeout_ms");
  }
  r.finish();
}

void read_redis(object_reader r, redis_config& c) {
  r.read("url", c.url);
  if (!c.url.empty() && c.url.rfind("redis://", 0) != 0 && c.url.rfind("unix://", 0) != 0 &&
      c.url.rfind("redis-sentinel://", 0) != 0) {
    r.fail("url", "must start with redis://, unix:// or redis-sentinel:// (or be empty for the embedded redis-server)");
  }
  r.read("key_prefix", c.key_prefix);
  if (c.key_prefix.empty() || c.key_prefix.find_first_of("{}: ") != std::string::npos) {
    r.fail("key_prefix", "must be non-empty and contain none of { } : or space");
  }
  r.read("connect_timeout_ms", c.connect_timeout_ms, 10, kMaxMs);
  r.read("command_timeout_ms", c.command_timeout_ms, 10, kMaxMs);
  r.read("reconnect_min_ms", c.reconnect_min_ms, 1, kMaxMs);
  r.read("reconnect_max_ms", c.reconnect_max_ms, 1, kMaxMs);
  if (c.reconnect_max_ms < c.reconnect_min_ms) r.fail("reconnect_max_ms", "must be >= reconnect_min_ms");
  auto e = r.child("embedded");
  e.read("data_dir", c.embedded.data_dir);
  if (c.embedded.data_dir.empty()) e.fail("data_dir", "must not be empty");
  e.read("binary", c.embedded.binary);
  e.read_enum("appendfsync", c.embedded.appendfsync, {"always", "everysec"});
  e.read("startup_timeout_ms", c.embedded.startup_timeout_ms, 100, kMaxMs);
  e.read("restart_backoff_ms", c.embedded.restart_backoff_ms, 10, kMaxMs);
  e.read("stop_timeout_ms", c.embedded.stop_timeout_ms, 100, kMaxMs);
  e.finish();
  r.finish();
}

// Sections that later layers read from `raw`; listed here so that typos at the top level
// are still caught.
constexpr std::string_view kOtherSections[] = {"platforms", "intake", "workflow", "notify", "roster",
                                               "web",       "admin",  "sandbox",  "stats",  "digests"};

config parse(nlohmann::json doc, const std::string& file) {
  config c;
  c.source_file = file;
  substitute_env(doc, file);
  object_reader top(doc, "", file);
  read_tenant(top.child("tenant"), c.tenant);
  read_server(top.child("server"), c.server);
  read_redis(top.child("redis"), c.redis);
  auto l = top.child("log");
  l.read_enum("level", c.log.level, {"debug", "info", "warn", "error"});
  l.finish();
  auto sc = top.child("scheduler");
  sc.read("poll_ms", c.scheduler.poll_ms, 10, 60'000);
  sc.read("test_clock", c.scheduler.test_clock);
  sc.finish();
  auto li = top.child("limits");
  li.read("resident_per_minute", c.limits.resident_per_minute, 1, 100'000);
  li.read("group_per_minute", c.limits.group_per_minute, 1, 1'000'000);
  li.finish();
  for (auto s : kOtherSections) {
    if (auto* v = top.take(s); v && !v->is_object()) top.fail(s, "must be an object");
  }
  top.finish();
  c.raw = std::move(doc);
  return c;
}

}  // namespace

config load_text(const std::string& text, const std::string& file_name) {
  nlohmann::json doc;
  try {
    // Comments are allowed: the example file documents every field in place.
    doc = nlohmann::json::parse(text, nullptr, true, true);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    if (auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
    throw config_error(file_name + ": (syntax): " + what);
  }
  if (!doc.is_object()) throw config_error(file_name + ": (top level): must be a JSON object");
  return parse(std::move(doc), file_name);
}

config load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error(path + ": (file): cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_text(ss.str(), path);
}

}  // namespace lianxin::config
