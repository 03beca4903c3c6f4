#pragma once
// The signed query string of WeCom / WeChat callbacks: `<signature>&timestamp&nonce`, checked
// for presence, shape and freshness before any body is looked at.
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/common/result.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::common {

struct wx_signed_query {
  std::string signature;  // msg_signature or signature, as named by the caller
  std::string timestamp;  // as received: it is signed textually
  std::string nonce;
  std::int64_t timestamp_value = 0;
};

// 401 when a parameter is missing or the signature is not 40 lowercase hex characters, 400 for
// a malformed timestamp or nonce, 401 (stale) outside ±window of input.now_unix.
result<wx_signed_query, http_output> read_signed_query(const http_input& input,
                                                       std::string_view signature_name,
                                                       std::int64_t window);

}  // namespace lianxin::adapters::common
