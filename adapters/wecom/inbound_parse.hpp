#pragma once
// Decrypted WeCom documents → neutral messages. Separate from callback.cpp so the parsing can
// be tested on plaintexts without building encrypted requests.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/result.hpp"
#include "adapters/message.hpp"

namespace lianxin::adapters::wecom {

struct parse_context {
  std::string bot;           // Lianxin bot name
  std::string mention_name;  // AI bot display name ("" = strip the first leading @token in groups)
  std::string nonce;         // kept for encrypted passive replies
  std::int64_t now_unix = 0; // used when a document carries no time of its own
};

// App callback XML (text, image, events). Zero messages for events and types Lianxin ignores;
// an error string for a document that is not a usable callback.
result<std::vector<inbound_message>, std::string> parse_app_xml(std::string_view xml,
                                                                const parse_context& ctx);

// AI-bot callback JSON (text, image, mixed, voice-as-text, enter_chat event). Stream refresh
// and card events yield no message.
result<std::vector<inbound_message>, std::string> parse_ai_bot_json(std::string_view json_text,
                                                                    const parse_context& ctx);

}  // namespace lianxin::adapters::wecom
