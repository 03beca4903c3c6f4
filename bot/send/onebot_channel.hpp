#pragma once
// A live connection to a OneBot implementation that can carry API calls (the reverse
// WebSocket, bot/ingest/onebot_ws.hpp). The sender asks it first and falls back to the HTTP
// API when it has no connection for the bot.
#include "adapters/http_io.hpp"
#include "bot/asio.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace lianxin::send {

struct channel_reply {
  bool answered = false;  // a response frame with our echo came back: `body`
  bool written = false;   // the call frame was written whole (the implementation may have acted)
  std::string body;       // the response frame, for adapters::onebot::parse_api_response
  std::string error;      // without an answer: why (timeout, connection closed)
};

class onebot_channel {
 public:
  virtual ~onebot_channel() = default;
  // Sends `request` (rendered for the HTTP API: path = action, body = params) over the bot's
  // live connection and waits up to `timeout` for the answer. nullopt: no live connection, or
  // it closed before the call was written; the caller uses the HTTP API instead.
  virtual awaitable<std::optional<channel_reply>> call(std::string bot, adapters::api_request request,
                                                       std::chrono::milliseconds timeout) = 0;
};

}  // namespace lianxin::send
