#pragma once
// Lianxin's configuration: JSON with comments, read into typed structs. Unknown keys are
// errors; every field has a default (documented in config/lianxin.example.json); any string
// may reference the environment as ${NAME} or ${NAME:-default}.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace lianxin::config {

// One line naming the file, the JSON path and the problem: "x.json: redis.urll: unknown key".
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct tenant_config {
  std::string id = "demo";          // the county; goes into every Redis key's hash tag
  std::string name = "示范县";
  std::string case_prefix = "DM";   // case numbers look like DM-20261128-0042
};

struct server_config {
  std::string listen = "127.0.0.1:8080";
  int threads = 1;
  // While webhooks pile up, the intake worker takes one message for every this many events the
  // door takes in (flow::worker_options::door_events_per_turn); 0: the worker never gives way.
  int door_events_per_worker_turn = 8;
  std::string public_base_url;  // empty: http://<listen>
  int max_connections = 10000;
  std::int64_t header_limit_bytes = 8 * 1024;
  std::int64_t body_limit_bytes = 1024 * 1024;
  int header_timeout_ms = 10'000;
  int request_timeout_ms = 30'000;
  int idle_timeout_ms = 60'000;
  int shutdown_grace_ms = 10'000;
};

struct embedded_redis_config {
  std::string data_dir = "var";
  std::string binary = "redis-server";
  std::string appendfsync = "always";  // always | everysec
  int startup_timeout_ms = 10'000;
  int restart_backoff_ms = 500;
  int stop_timeout_ms = 10'000;
};

struct redis_config {
  std::string url;  // empty: start the embedded redis-server
  std::string key_prefix = "lx";
  int connect_timeout_ms = 2'000;
  int command_timeout_ms = 2'000;
  int reconnect_min_ms = 100;
  int reconnect_max_ms = 5'000;
  embedded_redis_config embedded;
};

struct log_config {
  std::string level = "info";  // debug | info | warn | error
};

struct scheduler_config {
  int poll_ms = 1'000;
  bool test_clock = false;  // tests and the sandbox only
};

struct limits_config {
  int resident_per_minute = 12;
  int group_per_minute = 60;
};

struct config {
  std::string source_file;  // where it was read from ("" for defaults)
  tenant_config tenant;
  server_config server;
  redis_config redis;
  log_config log;
  scheduler_config scheduler;
  limits_config limits;
  nlohmann::json raw;  // the substituted document, for sections read by later layers
};

// Reads and validates a file. Throws config_error with one precise line.
config load_file(const std::string& path);
// Reads from text (the file name is used in messages only).
config load_text(const std::string& text, const std::string& file_name);

// What the config would run with, as JSON, with secrets masked.
nlohmann::json effective(const config& c);

// Replaces ${NAME} and ${NAME:-default} in every string of the document, in place.
// Throws config_error naming the path when a variable is unset and has no default.
void substitute_env(nlohmann::json& doc, const std::string& file_name);

// True for keys whose values are secrets (token, secret, password, aes key, ...).
bool is_secret_key(std::string_view key);
// "abcd…" → "ab****"; URLs keep their scheme and host but lose the password.
std::string mask_secret(std::string_view key, std::string_view value);

}  // namespace lianxin::config
