#pragma once
// WeCom callbacks (GET/POST /webhook/wecom/{bot}): self-built app callbacks (XML, receive id =
// CorpID) and AI-bot callbacks (JSON, receive id ""). Verification, decryption and parsing
// into neutral messages; encrypted passive replies. Pure: the shell passes time and randomness.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/timestamp.hpp"
#include "adapters/common/wx_crypt.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::wecom {

enum class bot_kind {
  app,     // 自建应用: XML callbacks, private chats with the app
  ai_bot,  // 智能机器人: JSON callbacks, group @-mentions and single chats
};

struct bot_config {
  std::string name;  // Lianxin's bot name, copied into inbound messages
  bot_kind kind = bot_kind::app;
  std::string token;
  std::string encoding_aes_key;  // 43 characters
  std::string corp_id;           // receive id for apps; unused for AI bots
  std::string mention_name;      // AI bot display name, to strip "@<name>" from group text
  std::int64_t freshness_window_s = common::default_freshness_window_s;
};

class callback_handler {
 public:
  // nullopt when the EncodingAESKey is malformed (a startup error for the shell to report).
  static std::optional<callback_handler> create(bot_config config);

  // Dispatches on method: GET → verify_url, POST → receive, anything else → 405.
  http_output handle(const http_input& input) const;

  // URL verification: checks msg_signature over echostr, answers the decrypted echostr exactly.
  http_output verify_url(const http_input& input) const;

  // A message or event callback. On success: 200 with an empty body (the "received, no
  // passive reply" answer) and the neutral messages; events Lianxin does not use yield none.
  http_output receive(const http_input& input) const;

  // Encrypted passive reply bodies for the same request (`nonce` from its query string).
  // App: the XML envelope around `plaintext` (e.g. common::render_text_reply_xml).
  // AI bot: {"encrypt","msgsignature","timestamp","nonce"} around a JSON plaintext.
  std::optional<http_output> passive_reply(std::string_view plaintext, std::string_view random16,
                                           std::int64_t timestamp, std::string_view nonce) const;

  const bot_config& config() const { return config_; }
  const common::wx_crypt& crypt() const { return crypt_; }

 private:
  callback_handler(bot_config config, common::wx_crypt crypt)
      : config_(std::move(config)), crypt_(std::move(crypt)) {}

  bot_config config_;
  common::wx_crypt crypt_;
};

// Maps a decryption failure to the HTTP answer: a foreign receive id is 403, the rest 400.
http_output crypt_failure(common::wx_crypt_error e);

}  // namespace lianxin::adapters::wecom
