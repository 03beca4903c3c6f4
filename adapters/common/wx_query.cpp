#include "adapters/common/wx_query.hpp"

#include "adapters/common/timestamp.hpp"
#include "adapters/common/wx_envelope.hpp"

namespace lianxin::adapters::common {
namespace {

bool is_lower_hex40(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

result<wx_signed_query, http_output> read_signed_query(const http_input& input,
                                                       std::string_view signature_name,
                                                       std::int64_t window) {
  const std::string* sig = input.query_param(signature_name);
  const std::string* ts = input.query_param("timestamp");
  const std::string* nonce = input.query_param("nonce");
  if (!sig || !ts || !nonce) {
    return fail(error_output(error_kind::bad_signature, "missing signature, timestamp or nonce"));
  }
  if (!is_lower_hex40(*sig)) {
    return fail(error_output(error_kind::bad_signature, "signature is not 40 lowercase hex chars"));
  }
  const auto ts_value = parse_unix_seconds(*ts);
  if (!ts_value) return fail(error_output(error_kind::bad_request, "malformed timestamp"));
  if (!is_token_text(*nonce)) return fail(error_output(error_kind::bad_request, "malformed nonce"));
  if (!is_fresh(*ts_value, input.now_unix, window)) {
    return fail(error_output(error_kind::stale, "timestamp outside the freshness window"));
  }
  return wx_signed_query{*sig, *ts, *nonce, *ts_value};
}

}  // namespace lianxin::adapters::common
