#pragma once
// Sends one neutral outbound message through its platform's API and says what happened:
//
//   send::sender s(bots, http, tokens, &metrics);
//   send::send_result r = co_await s.send(msg, {.reply_to_unix = inbound.time});
//   ok → XACK; retry / rate_limited → back off (r.retry_after when the platform said);
//   reauth never escapes (tokens are refreshed and the call retried once inside);
//   give_up → dead-letter; r.maybe_sent → the platform may have posted it already.
//
// Platforms: OneBot over the bot's reverse WebSocket when one is connected (set_onebot_channel),
// else the OneBot HTTP API (bearer token); QQ official passive replies (msg_id/msg_seq,
// token from the token cache); WeCom group posts through the robot webhook when the bot has
// a robot_key, else app messages (token); WeChat OA customer-service text (token).
namespace boost::beast {}
#include "bot/asio.hpp"
#include "adapters/http_io.hpp"
#include "adapters/message.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace lianxin::platforms {
struct bots;
}
namespace lianxin::metrics {
class registry;
}
namespace lianxin::net {
class http_client;
}

namespace lianxin::send {

class token_cache;
class onebot_channel;

struct send_result {
  adapters::api_outcome outcome = adapters::api_outcome::give_up;
  std::string detail;               // why, for logs and the dead-letter entry; never the text
  std::string platform_message_id;  // on ok, when the platform returns one
  std::chrono::milliseconds retry_after{0};  // from Retry-After, 0 when not said
  // The connection failed after the whole request was written (or the read timed out): the
  // platform may have posted the message. Resending is safe only where the platform dedupes
  // (QQ msg_id+msg_seq, WeCom app enable_duplicate_check); the WeCom robot and OneBot have
  // no such key.
  bool maybe_sent = false;
  bool ok() const { return outcome == adapters::api_outcome::ok; }
};

// What the caller knows beyond the message itself.
struct send_context {
  // Unix seconds of the user message a QQ passive reply answers (inbound_message.time);
  // 0 = unknown, and the platform decides.
  std::int64_t reply_to_unix = 0;
};

struct sender_options {
  std::chrono::seconds qq_group_window{5 * 60};  // passive reply windows (protocols.md §2.6)
  std::chrono::seconds qq_c2c_window{60 * 60};
  // Seconds spent on the wire and in the queue eat into the window: a reply that would
  // arrive after it closes is not attempted.
  std::chrono::seconds qq_window_slack{10};
  std::chrono::seconds qq_token_margin{50};    // QQ issues a new token in the last 60 s
  std::chrono::seconds wx_token_margin{300};   // WeCom and WeChat: 7200 s tokens
  std::function<std::int64_t()> now_unix;      // default: the system clock (tests replace it)
};

class sender {
 public:
  // `bots`, `http`, `tokens` and `metrics` must outlive the sender; metrics may be null.
  sender(const platforms::bots& bots, net::http_client& http, token_cache& tokens, metrics::registry* metrics,
         sender_options opt = {});

  // By value: a coroutine that held a reference would dangle under co_spawn(…, detached).
  awaitable<send_result> send(adapters::outbound_message msg, send_context ctx = {});

  // OneBot calls go through `ch` while it has a live connection for the bot (may be null;
  // must outlive the sender). Set before the first send.
  void set_onebot_channel(onebot_channel* ch) { onebot_ws_ = ch; }

 private:
  awaitable<send_result> send_onebot(const adapters::outbound_message& msg);
  awaitable<send_result> send_qq(const adapters::outbound_message& msg, const send_context& ctx);
  awaitable<send_result> send_wecom(const adapters::outbound_message& msg);
  awaitable<send_result> send_wechat(const adapters::outbound_message& msg);

  const platforms::bots& bots_;
  net::http_client& http_;
  token_cache& tokens_;
  metrics::registry* metrics_;
  onebot_channel* onebot_ws_ = nullptr;
  sender_options opt_;
};

}  // namespace lianxin::send
