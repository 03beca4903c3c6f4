#include "bot/api/settings.hpp"

#include "bot/config/reader.hpp"

#include <algorithm>

namespace lianxin::api {

settings read_settings(const config::config& cfg) {
  settings s;
  const std::string file = cfg.source_file.empty() ? "(defaults)" : cfg.source_file;
  static const nlohmann::json empty = nlohmann::json::object();
  {
    const auto& sec = cfg.raw.contains("admin") ? cfg.raw["admin"] : empty;
    if (!sec.is_object()) throw config::config_error(file + ": admin: must be an object");
    config::object_reader r(sec, "admin", file);
    r.read("token", s.admin_token);
    if (!s.admin_token.empty() && s.admin_token.size() < 12) r.fail("token", "must be at least 12 characters");
    r.read("reload_poll_ms", s.reload_poll_ms, 10, 60000);
    r.read("bind_code_ttl_minutes", s.bind_code_ttl_minutes, 1, 30 * 24 * 60);
    r.finish();
  }
  {
    const auto& sec = cfg.raw.contains("web") ? cfg.raw["web"] : empty;
    if (!sec.is_object()) throw config::config_error(file + ": web: must be an object");
    config::object_reader r(sec, "web", file);
    r.read("link_secret", s.link_secret);
    if (!s.link_secret.empty() && s.link_secret.size() < 16) r.fail("link_secret", "must be at least 16 characters");
    r.read("max_photos", s.max_photos, 0, 9);
    const bool explicit_photos = r.has("max_photo_bytes");
    r.read("max_photo_bytes", s.max_photo_bytes, 0, 64LL * 1024 * 1024);
    const std::int64_t room = std::max<std::int64_t>(0, cfg.server.body_limit_bytes - 64 * 1024);
    if (s.max_photo_bytes > room) {
      // The default follows a small body limit; an explicit value that cannot fit is an error.
      if (explicit_photos) {
        r.fail("max_photo_bytes", "must leave 64 KiB below server.body_limit_bytes (" +
                                      std::to_string(cfg.server.body_limit_bytes) + ")");
      }
      s.max_photo_bytes = room;
    }
    r.read("submits_per_hour", s.submits_per_hour, 1, 100000);
    r.finish();
  }
  s.public_base_url = cfg.server.public_base_url;
  while (!s.public_base_url.empty() && s.public_base_url.back() == '/') s.public_base_url.pop_back();
  return s;
}

}  // namespace lianxin::api
