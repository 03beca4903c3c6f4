#pragma once
// The bots configured under the config's "platforms" section, one map per platform keyed by
// Lianxin's bot name (the `{bot}` segment of the webhook routes).
//
//   "platforms": {
//     "onebot": { "demo": { "self_id": "10000", "secret": "...", "access_token": "...", "api_base": "http://127.0.0.1:5700" } },
//     "qq":     { "demo": { "app_id": "...", "secret": "...", "api_base": "https://api.sgroup.qq.com", "token_url": "https://bots.qq.com/app/getAppAccessToken" } },
//     "wecom":  { "demo": { "kind": "app", "token": "...", "aes_key": "...", "corp_id": "...", "corp_secret": "...", "agent_id": 1000002, "robot_key": "...", "api_base": "https://qyapi.weixin.qq.com" } },
//     "wechat": { "demo": { "token": "...", "aes_key": "...", "app_id": "...", "app_secret": "...", "api_base": "https://api.weixin.qq.com" } }
//   }
#include "adapters/onebot/onebot.hpp"
#include "adapters/qq/webhook.hpp"
#include "adapters/wechat/callback.hpp"
#include "adapters/wecom/callback.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace lianxin::platforms {

struct common_settings {
  std::string api_base;               // prefix for rendered api_request paths
  int api_timeout_ms = 10'000;        // one outbound call
  int content_dedupe_seconds = 0;     // >0: also drop the same sender+chat+text within this window
};

struct onebot_bot {
  adapters::onebot::bot_config cfg;
  common_settings common;
};

struct qq_bot {
  adapters::qq::bot_config cfg;
  std::string token_url;  // where access tokens come from
  common_settings common;
};

struct wecom_bot {
  adapters::wecom::bot_config cfg;
  std::string corp_secret;   // for app access tokens (app messages)
  std::int64_t agent_id = 0;
  std::string robot_key;     // group-robot webhook key, for posts to a robot's group
  common_settings common;
};

struct wechat_bot {
  adapters::wechat::bot_config cfg;
  std::string app_secret;  // for access tokens (customer-service messages)
  common_settings common;
};

struct bots {
  std::map<std::string, onebot_bot, std::less<>> onebot;
  std::map<std::string, qq_bot, std::less<>> qq;
  std::map<std::string, wecom_bot, std::less<>> wecom;
  std::map<std::string, wechat_bot, std::less<>> wechat;
  std::size_t size() const { return onebot.size() + qq.size() + wecom.size() + wechat.size(); }
};

// Reads raw["platforms"]; throws config::config_error naming file, path and problem.
bots read_bots(const nlohmann::json& raw, const std::string& file);

}  // namespace lianxin::platforms
