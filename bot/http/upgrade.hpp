#pragma once
// What a WebSocket route's handler gets (router::add_upgrade). Only the files that take over
// connections include this; Beast's websocket headers stay in their .cpp files.
//
//   awaitable<std::optional<http::response>> handler(http::upgrade_context& u) {
//     if (!allowed(u.ctx)) co_return http::error_response(u.ctx.req, 401, ...);  // refused, no upgrade
//     websocket::stream<beast::tcp_stream> ws(std::move(u.stream));              // take it
//     u.upgraded([weak](bool force) { ... close ... });                          // shutdown hook
//     co_await ws.async_accept(u.ctx.req, ...);
//     ... run until closed ...
//     co_return std::nullopt;
//   }
#include "bot/http/types.hpp"

#include <boost/beast/core/tcp_stream.hpp>

#include <functional>

namespace lianxin::http {

struct upgrade_context {
  request_context& ctx;  // the upgrade request (GET with Upgrade: websocket), path params, query
  // The connection. The handler may move it out once it decides to accept; after that the
  // server never touches it again (it does not close it either: the handler does).
  beast::tcp_stream& stream;
  // Call right after moving the stream out. `close` is how the server's graceful shutdown ends
  // the socket: called on the connection's executor, possibly more than once; force = the
  // grace period is over, cut it now. It also counts the connection as a WebSocket.
  std::function<void(std::function<void(bool force)> close)> upgraded;
};

}  // namespace lianxin::http
