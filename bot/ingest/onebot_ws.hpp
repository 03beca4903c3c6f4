#pragma once
// The OneBot v11 reverse WebSocket (Universal role): NapCat / go-cqhttp / Lagrange connect to
//
//   GET /webhook/onebot/{bot}/ws   (Authorization: Bearer|Token <access_token>, or ?access_token=)
//
// and on that one socket push events to us and take our API calls. Unknown bot → 404, missing
// or wrong token → 401, wrong X-Self-ID → 403, all before the upgrade.
//
// Events in: the same adapters::onebot::parse_event as the HTTP POST route and the same
// exactly-once inbox script (dedupe on onebot:<self_id>:<message_id>). A WebSocket event has
// no answer the implementation would re-deliver on, so storing is retried here a few times
// before the event is counted as lost. Heartbeat and lifecycle meta events only mark the
// connection alive.
//
// API calls out (send::onebot_channel): {"action","params","echo"} frames, answered frames
// matched on their echo, with a timeout. One live connection per bot: a new one replaces the
// old, which is closed. Without a live connection the sender uses the HTTP API.
//
// Beast's websocket headers are included only by onebot_ws.cpp.
#include "bot/core/metrics.hpp"
#include "bot/http/router.hpp"
#include "bot/ingest/inbox.hpp"
#include "bot/platforms/bots.hpp"
#include "bot/send/onebot_channel.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace lianxin::ingest {

struct onebot_ws_options {
  std::size_t max_frame_bytes = 1024 * 1024;       // larger inbound messages close the socket (1009)
  int store_attempts = 5;                          // inbox writes per event before it is lost
  std::chrono::milliseconds store_backoff{200};    // doubled after each failed attempt
};

class onebot_ws final : public send::onebot_channel {
 public:
  onebot_ws(const platforms::bots& bots, inbox& in, metrics::registry& metrics, onebot_ws_options opt = {});
  ~onebot_ws() override;
  onebot_ws(const onebot_ws&) = delete;
  onebot_ws& operator=(const onebot_ws&) = delete;

  void add_routes(http::router& r);

  awaitable<std::optional<send::channel_reply>> call(std::string bot, adapters::api_request request,
                                                     std::chrono::milliseconds timeout) override;

  // Thread-safe.
  bool connected(std::string_view bot) const;
  std::size_t connections() const;

 private:
  struct session;
  awaitable<std::optional<http::response>> accept(http::upgrade_context& u);
  awaitable<void> read_loop(std::shared_ptr<session> s);
  awaitable<void> store_event(std::shared_ptr<session> s, adapters::common::json event);
  void retire(const std::shared_ptr<session>& s);

  const platforms::bots& bots_;
  inbox& inbox_;
  metrics::registry& metrics_;
  onebot_ws_options opt_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<session>, std::less<>> live_;  // bot name → its connection
  std::uint64_t next_id_ = 0;                                          // under mu_
};

}  // namespace lianxin::ingest
