#pragma once
// WeChat Official Account message push (GET/POST /webhook/wechat/{bot}): plain-mode
// signatures, safe mode (encrypt_type=aes, receive id = AppID), text/image messages and the
// parametric-QR events (subscribe + qrscene_<scene>, SCAN) that carry a deputy code.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/result.hpp"
#include "adapters/common/timestamp.hpp"
#include "adapters/common/wx_crypt.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::wechat {

struct bot_config {
  std::string name;
  std::string token;
  std::string encoding_aes_key;  // empty = plain mode only
  std::string app_id;            // receive id in safe mode
  // With a key configured, plain-mode POSTs are refused: accepting them would let anyone who
  // learns the token skip the encryption the account was set up with.
  bool require_encryption = true;
  std::int64_t freshness_window_s = common::default_freshness_window_s;
};

class callback_handler {
 public:
  // nullopt when a key is given but malformed.
  static std::optional<callback_handler> create(bot_config config);

  http_output handle(const http_input& input) const;  // GET → verify_url, POST → receive

  // Plain three-part signature over token/timestamp/nonce; answers echostr verbatim.
  http_output verify_url(const http_input& input) const;

  // 200 with an empty body (WeChat's "received, no reply": it stops the retries) plus the
  // neutral messages.
  http_output receive(const http_input& input) const;

  // A passive text reply for the request `m` came from, encrypted when it arrived encrypted.
  // random16/timestamp are drawn by the shell; nonce comes from m.reply.nonce.
  std::optional<http_output> text_reply(const inbound_message& m, std::string_view content,
                                        std::string_view random16, std::int64_t timestamp) const;

  const bot_config& config() const { return config_; }
  const common::wx_crypt* crypt() const { return crypt_ ? &*crypt_ : nullptr; }

 private:
  callback_handler(bot_config config, std::optional<common::wx_crypt> crypt)
      : config_(std::move(config)), crypt_(std::move(crypt)) {}

  bot_config config_;
  std::optional<common::wx_crypt> crypt_;
};

// The plain-mode signature: sha1 of the sorted token, timestamp and nonce.
std::string plain_signature(std::string_view token, std::string_view timestamp, std::string_view nonce);

// Parses a (decrypted) push document, XML or JSON, into neutral messages.
result<std::vector<inbound_message>, std::string> parse_push(std::string_view document,
                                                             std::string_view bot,
                                                             std::string_view nonce, bool encrypted);

}  // namespace lianxin::adapters::wechat
