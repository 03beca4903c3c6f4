// ${NAME} / ${NAME:-default} substitution and secret masking.
#include "bot/config/config.hpp"

#include <cctype>
#include <cstdlib>

namespace lianxin::config {
namespace {

std::string substitute(const std::string& s, const std::string& path, const std::string& file) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      auto close = s.find('}', i + 2);
      if (close == std::string::npos) {
        throw config_error(file + ": " + path + ": unterminated ${...}");
      }
      std::string body = s.substr(i + 2, close - i - 2);
      std::string name = body, fallback;
      bool has_default = false;
      if (auto p = body.find(":-"); p != std::string::npos) {
        name = body.substr(0, p);
        fallback = body.substr(p + 2);
        has_default = true;
      }
      if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
        throw config_error(file + ": " + path + ": bad variable name in ${" + body + "}");
      }
      for (char ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') {
          throw config_error(file + ": " + path + ": bad variable name in ${" + body + "}");
        }
      }
      const char* v = std::getenv(name.c_str());
      if (v && *v) {
        out += v;
      } else if (has_default) {
        out += fallback;
      } else {
        throw config_error(file + ": " + path + ": environment variable " + name + " is not set");
      }
      i = close + 1;
    } else {
      out += s[i++];
    }
  }
  return out;
}

void walk(nlohmann::json& j, const std::string& path, const std::string& file) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.find("${") != std::string::npos) j = substitute(s, path, file);
  } else if (j.is_object()) {
    for (auto& [k, v] : j.items()) walk(v, path.empty() ? k : path + "." + k, file);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], path + "[" + std::to_string(i) + "]", file);
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void substitute_env(nlohmann::json& doc, const std::string& file_name) { walk(doc, "", file_name); }

bool is_secret_key(std::string_view key) {
  auto k = lower(key);
  for (auto word : {"secret", "token", "password", "aeskey", "aes_key", "api_key", "apikey", "private"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string mask_secret(std::string_view key, std::string_view value) {
  if (value.empty()) return {};
  if (lower(key).find("url") != std::string::npos) {
    // scheme://user:password@host → scheme://user:****@host
    auto scheme = value.find("://");
    auto at = value.find('@');
    if (scheme != std::string_view::npos && at != std::string_view::npos && at > scheme) {
      auto colon = value.find(':', scheme + 3);
      std::string out(value.substr(0, colon != std::string_view::npos && colon < at ? colon + 1 : scheme + 3));
      out += "****";
      out += value.substr(at);
      return out;
    }
    return std::string(value);
  }
  return value.size() <= 4 ? std::string("****") : std::string(value.substr(0, 2)) + "****";
}

namespace {
void mask_walk(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (v.is_string() && (is_secret_key(k) || lower(k).find("url") != std::string::npos)) {
        v = is_secret_key(k) ? mask_secret("", v.get<std::string>()) : mask_secret(k, v.get<std::string>());
      } else {
        mask_walk(v);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) mask_walk(v);
  }
}
}  // namespace

nlohmann::json effective(const config& c) {
  nlohmann::json j = c.raw;
  j["tenant"] = {{"id", c.tenant.id}, {"name", c.tenant.name}, {"case_prefix", c.tenant.case_prefix}};
  const auto& s = c.server;
  j["server"] = {{"listen", s.listen},
                 {"threads", s.threads},
                 {"door_events_per_worker_turn", s.door_events_per_worker_turn},
                 {"public_base_url", s.public_base_url},
                 {"max_connections", s.max_connections},
                 {"header_limit_bytes", s.header_limit_bytes},
                 {"body_limit_bytes", s.body_limit_bytes},
                 {"header_timeout_ms", s.header_timeout_ms},
                 {"request_timeout_ms", s.request_timeout_ms},
                 {"idle_timeout_ms", s.idle_timeout_ms},
                 {"shutdown_grace_ms", s.shutdown_grace_ms}};
  const auto& r = c.redis;
  j["redis"] = {{"url", r.url},
                {"mode", r.url.empty() ? "embedded" : "external"},
                {"key_prefix", r.key_prefix},
                {"connect_timeout_ms", r.connect_timeout_ms},
                {"command_timeout_ms", r.command_timeout_ms},
                {"reconnect_min_ms", r.reconnect_min_ms},
                {"reconnect_max_ms", r.reconnect_max_ms},
                {"embedded",
                 {{"data_dir", r.embedded.data_dir},
                  {"binary", r.embedded.binary},
                  {"appendfsync", r.embedded.appendfsync},
                  {"startup_timeout_ms", r.embedded.startup_timeout_ms},
                  {"restart_backoff_ms", r.embedded.restart_backoff_ms},
                  {"stop_timeout_ms", r.embedded.stop_timeout_ms}}}};
  j["log"] = {{"level", c.log.level}};
  j["scheduler"] = {{"poll_ms", c.scheduler.poll_ms}, {"test_clock", c.scheduler.test_clock}};
  j["limits"] = {{"resident_per_minute", c.limits.resident_per_minute}, {"group_per_minute", c.limits.group_per_minute}};
  mask_walk(j);
  return j;
}

}  // namespace lianxin::config
