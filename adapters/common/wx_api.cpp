#include "adapters/common/wx_api.hpp"

#include "adapters/common/safe_json.hpp"

namespace lianxin::adapters::common {

api_result parse_wx_response(int http_status, std::string_view text) {
  api_result r;
  r.outcome = outcome_for_http_status(http_status);
  if (r.outcome != api_outcome::ok) return r;
  auto body = parse_json(text);
  if (!body || !body->is_object()) {
    r.outcome = api_outcome::retry;
    r.message = "unparseable response";
    return r;
  }
  const json* code = find_field(*body, "errcode");
  r.code = code ? as_int64(*code).value_or(-1) : 0;
  if (const std::string* m = find_string(*body, "errmsg")) r.message = *m;
  switch (r.code) {
    case 0:
      r.outcome = api_outcome::ok;
      if (const json* id = find_field(*body, "msgid")) r.message = id->is_string() ? id->get<std::string>() : id->dump();
      break;
    case -1: r.outcome = api_outcome::retry; break;
    case 40001:
    case 40014:
    case 41001:
    case 42001: r.outcome = api_outcome::reauth; break;
    case 45009:
    case 45011:
    case 45033: r.outcome = api_outcome::rate_limited; break;
    default: r.outcome = api_outcome::give_up; break;
  }
  return r;
}

result<wx_token, api_result> parse_wx_token_response(int http_status, std::string_view text) {
  api_result r = parse_wx_response(http_status, text);
  if (r.outcome != api_outcome::ok) {
    // A refused secret at the token endpoint cannot be fixed by fetching a token again.
    if (r.outcome == api_outcome::reauth) r.outcome = api_outcome::give_up;
    return fail(r);
  }
  auto body = parse_json(text);
  const std::string* token = find_string(*body, "access_token");
  const json* expires = find_field(*body, "expires_in");
  const auto seconds = expires ? as_int64(*expires) : std::nullopt;
  if (!token || token->empty() || !seconds || *seconds <= 0) {
    r.outcome = api_outcome::retry;
    r.message = "token response without access_token";
    return fail(r);
  }
  return wx_token{*token, *seconds};
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut code point.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

}  // namespace lianxin::adapters::common
