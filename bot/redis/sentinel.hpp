#pragma once
// Sentinel discovery: which host:port is the master right now. Asked on every (re)connect,
// so a failover is followed by the normal reconnect path.
// bot/asio.hpp aliases boost::beast, which only exists once a Beast header is seen; declare
// the namespace so this header also compiles outside the precompiled shell (tests, tools).
namespace boost::beast {}
#include "bot/asio.hpp"
#include "bot/redis/url.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <string>

namespace lianxin::redis {

struct sentinel_result {
  tcp_endpoint master;
  std::string error;  // empty on success; otherwise what every sentinel said
};

// Tries the sentinels in order, `budget` in total; the first one that knows the master wins.
awaitable<sentinel_result> ask_sentinels(asio::any_io_executor ex, const sentinel_endpoint& where,
                                         const options& opt, std::chrono::milliseconds budget);

}  // namespace lianxin::redis
