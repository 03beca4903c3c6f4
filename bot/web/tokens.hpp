#pragma once
// Unguessable links and CSRF tokens for the web pages, from one secret. Pure code.
//   tracking link  /c/{number}?t={link_token}: HMAC-SHA256(secret, "track|" + number), 128 bits hex
//   CSRF           "<nonce>.<unix time>.<mac>" in the form, the nonce also in an HttpOnly
//                  SameSite=Strict cookie; valid for `max_age` seconds; the nonce doubles as the
//                  submission's idempotency key (a double submit files one case)
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lianxin::web {

std::string link_token(std::string_view secret, std::string_view case_number);
bool check_link_token(std::string_view secret, std::string_view case_number, std::string_view token);

std::string new_nonce();  // 128 random bits, hex
std::string csrf_token(std::string_view secret, std::string_view nonce, std::int64_t now);
// The nonce when the token is authentic, matches the cookie's nonce and is not older than
// max_age (nor from the future beyond a minute of clock skew).
std::optional<std::string> check_csrf(std::string_view secret, std::string_view token, std::string_view cookie_nonce,
                                      std::int64_t now, std::int64_t max_age);

// The value of one cookie from a Cookie header.
std::string cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace lianxin::web
