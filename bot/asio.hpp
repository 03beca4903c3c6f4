#pragma once
// Namespace aliases used across the shell (never `using namespace` in headers).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/system/error_code.hpp>

namespace boost::beast {}

namespace lianxin {
namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::system::error_code;
template <class T = void>
using awaitable = boost::asio::awaitable<T>;
// Completion token for I/O on the request path: errors come back as values, never thrown.
inline constexpr auto use_nothrow = boost::asio::as_tuple(boost::asio::use_awaitable);
}  // namespace lianxin
