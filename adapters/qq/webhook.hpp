#pragma once
// QQ official bot, webhook mode (POST /webhook/qq/{bot}): Ed25519 verification with the key
// derived from the bot secret, op 13 URL validation, op 0 dispatch of group @-messages and
// C2C messages, op 12 acknowledgements (protocols.md §2).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/result.hpp"
#include "adapters/common/safe_json.hpp"
#include "adapters/common/timestamp.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::qq {

struct bot_config {
  std::string name;
  std::string app_id;
  std::string secret;  // AppSecret / clientSecret
  std::int64_t freshness_window_s = common::default_freshness_window_s;
};

// The secret repeated until it covers 32 bytes, cut to 32 (empty secret → empty seed).
std::string derive_seed(std::string_view secret);

class webhook_handler {
 public:
  // nullopt for an empty secret.
  static std::optional<webhook_handler> create(bot_config config);

  // op 13 → 200 {"plain_token","signature"}; op 0 → verified, 200 {"op":12,"d":0} plus the
  // neutral messages; anything else → the same ack, no messages.
  http_output handle(const http_input& input) const;

  // Signs event_ts ‖ plain_token as the op-13 answer expects (lowercase hex, 128 chars).
  std::string sign_validation(std::string_view event_ts, std::string_view plain_token) const;

  // Verifies X-Signature-Ed25519 over X-Signature-Timestamp ‖ body. The error is the answer to
  // send (401 for missing/bad signature, 400 for a malformed timestamp, 401 when stale).
  std::optional<http_output> verify(const http_input& input) const;

  const std::string& public_key() const { return public_key_; }
  const bot_config& config() const { return config_; }

 private:
  webhook_handler(bot_config config, std::string seed, std::string public_key)
      : config_(std::move(config)), seed_(std::move(seed)), public_key_(std::move(public_key)) {}

  http_output validation(const common::json& d) const;

  bot_config config_;
  std::string seed_;
  std::string public_key_;
};

// The ack body. d = 0 "handled"; d = 1 asks the platform to retry (per the official SDK).
http_output ack(int d = 0);

// Dispatch payloads (`t`, `d`) → neutral messages; unknown `t` → none.
result<std::vector<inbound_message>, std::string> parse_dispatch(std::string_view bot, std::string_view t,
                                                                 const common::json& d);

}  // namespace lianxin::adapters::qq
