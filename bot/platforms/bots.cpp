#include "bot/platforms/bots.hpp"

#include "bot/config/reader.hpp"

namespace lianxin::platforms {
namespace {

using config::object_reader;

void read_common(object_reader& r, common_settings& c, const char* default_base) {
  c.api_base = default_base;
  r.read("api_base", c.api_base);
  if (!c.api_base.empty() && c.api_base.rfind("http://", 0) != 0 && c.api_base.rfind("https://", 0) != 0) {
    r.fail("api_base", "must start with http:// or https://");
  }
  while (!c.api_base.empty() && c.api_base.back() == '/') c.api_base.pop_back();
  r.read("api_timeout_ms", c.api_timeout_ms, 100, 120'000);
  r.read("content_dedupe_seconds", c.content_dedupe_seconds, 0, 3600);
}

void require(object_reader& r, std::string_view key, const std::string& value) {
  if (value.empty()) r.fail(key, "is required");
}

void check_name(object_reader& r, const std::string& name) {
  if (name.empty() || name.size() > 32 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != std::string::npos) {
    r.fail(name, "bot names must be 1-32 characters of letters, digits, - or _");
  }
}

template <class Fn>
void each_bot(object_reader& platforms, std::string_view platform, Fn&& fn) {
  auto p = platforms.child(platform);
  const auto* obj = platforms.take(platform);
  if (!obj) return;
  for (const auto& [name, _] : obj->items()) {
    check_name(p, name);
    auto r = p.child(name);
    fn(name, r);
    r.finish();
  }
}

}  // namespace

bots read_bots(const nlohmann::json& raw, const std::string& file) {
  bots out;
  static const nlohmann::json empty = nlohmann::json::object();
  const auto& section = raw.contains("platforms") ? raw["platforms"] : empty;
  object_reader platforms(section, "platforms", file);

  each_bot(platforms, "onebot", [&](const std::string& name, object_reader& r) {
    onebot_bot b;
    b.cfg.name = name;
    r.read("self_id", b.cfg.self_id);
    require(r, "self_id", b.cfg.self_id);
    if (b.cfg.self_id.find_first_not_of("0123456789") != std::string::npos) r.fail("self_id", "must be a QQ number");
    r.read("secret", b.cfg.secret);
    r.read("access_token", b.cfg.access_token);
    read_common(r, b.common, "");
    out.onebot.emplace(name, std::move(b));
  });
  each_bot(platforms, "qq", [&](const std::string& name, object_reader& r) {
    qq_bot b;
    b.cfg.name = name;
    r.read("app_id", b.cfg.app_id);
    require(r, "app_id", b.cfg.app_id);
    r.read("secret", b.cfg.secret);
    require(r, "secret", b.cfg.secret);
    r.read("freshness_window_s", b.cfg.freshness_window_s, 1, 86'400);
    b.token_url = "https://bots.qq.com/app/getAppAccessToken";
    r.read("token_url", b.token_url);
    read_common(r, b.common, "https://api.sgroup.qq.com");
    out.qq.emplace(name, std::move(b));
  });
  each_bot(platforms, "wecom", [&](const std::string& name, object_reader& r) {
    wecom_bot b;
    b.cfg.name = name;
    std::string kind = "app";
    r.read_enum("kind", kind, {"app", "ai_bot"});
    b.cfg.kind = kind == "app" ? adapters::wecom::bot_kind::app : adapters::wecom::bot_kind::ai_bot;
    r.read("token", b.cfg.token);
    require(r, "token", b.cfg.token);
    r.read("aes_key", b.cfg.encoding_aes_key);
    if (b.cfg.encoding_aes_key.size() != 43) r.fail("aes_key", "must be the 43-character EncodingAESKey");
    r.read("corp_id", b.cfg.corp_id);
    if (kind == "app") require(r, "corp_id", b.cfg.corp_id);
    r.read("mention_name", b.cfg.mention_name);
    r.read("freshness_window_s", b.cfg.freshness_window_s, 1, 86'400);
    r.read("corp_secret", b.corp_secret);
    r.read("agent_id", b.agent_id, 0, INT64_MAX);
    r.read("robot_key", b.robot_key);
    read_common(r, b.common, "https://qyapi.weixin.qq.com");
    if (!adapters::wecom::callback_handler::create(b.cfg)) r.fail("aes_key", "is not a valid EncodingAESKey");
    out.wecom.emplace(name, std::move(b));
  });
  each_bot(platforms, "wechat", [&](const std::string& name, object_reader& r) {
    wechat_bot b;
    b.cfg.name = name;
    r.read("token", b.cfg.token);
    require(r, "token", b.cfg.token);
    r.read("aes_key", b.cfg.encoding_aes_key);
    if (!b.cfg.encoding_aes_key.empty() && b.cfg.encoding_aes_key.size() != 43) {
      r.fail("aes_key", "must be empty (plain mode) or the 43-character EncodingAESKey");
    }
    r.read("app_id", b.cfg.app_id);
    if (!b.cfg.encoding_aes_key.empty()) require(r, "app_id", b.cfg.app_id);
    r.read("require_encryption", b.cfg.require_encryption);
    r.read("freshness_window_s", b.cfg.freshness_window_s, 1, 86'400);
    r.read("app_secret", b.app_secret);
    read_common(r, b.common, "https://api.weixin.qq.com");
    if (!adapters::wechat::callback_handler::create(b.cfg)) r.fail("aes_key", "is not a valid EncodingAESKey");
    out.wechat.emplace(name, std::move(b));
  });
  platforms.finish();
  return out;
}

}  // namespace lianxin::platforms
