#pragma once
// The notifier's send function: routes an outbound message to its platform's sender (HTTP
// client with connection reuse, token cache shared through Redis, per-platform renderers).
#include "bot/core/metrics.hpp"
#include "bot/flow/notifier.hpp"
#include "bot/platforms/bots.hpp"
#include "bot/store/keys.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace lianxin::send {
class onebot_channel;
}

namespace lianxin::flow {

// `onebot_ws` (may be null, must outlive the send function): OneBot calls go over the bot's
// reverse WebSocket while one is connected.
send_fn make_dispatch(asio::any_io_executor ex, const platforms::bots& bots, std::shared_ptr<redis::client> redis,
                      const store::keys& keys, metrics::registry& metrics, send::onebot_channel* onebot_ws = nullptr);

}  // namespace lianxin::flow
