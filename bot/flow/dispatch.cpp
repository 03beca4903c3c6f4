#include "bot/flow/dispatch.hpp"

#include "bot/net/http_client.hpp"
#include "bot/send/sender.hpp"
#include "bot/send/token_cache.hpp"

namespace lianxin::flow {
namespace {

struct dispatch_state {
  dispatch_state(asio::any_io_executor ex, const platforms::bots& bots, std::shared_ptr<redis::client> redis,
                 const store::keys& keys, metrics::registry& metrics)
      : http(ex), tokens(ex, std::move(redis), keys, http), out(bots, http, tokens, &metrics) {}
  net::http_client http;
  send::token_cache tokens;
  send::sender out;
};

}  // namespace

send_fn make_dispatch(asio::any_io_executor ex, const platforms::bots& bots, std::shared_ptr<redis::client> redis,
                      const store::keys& keys, metrics::registry& metrics, send::onebot_channel* onebot_ws) {
  auto state = std::make_shared<dispatch_state>(ex, bots, std::move(redis), keys, metrics);
  state->out.set_onebot_channel(onebot_ws);
  return [state](const adapters::outbound_message& m) -> awaitable<delivery> {
    auto r = co_await state->out.send(m);
    delivery d;
    d.outcome = r.outcome;
    d.detail = r.detail;
    d.retry_after = r.retry_after;
    d.maybe_sent = r.maybe_sent;
    co_return d;
  };
}

}  // namespace lianxin::flow
