#include "bot/web/tokens.hpp"

#include "adapters/common/codec.hpp"
#include "adapters/common/digest.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace lianxin::web {
namespace c = adapters::common;

std::string link_token(std::string_view secret, std::string_view case_number) {
  auto mac = c::hmac_sha256(secret, "track|" + std::string(case_number));
  return c::hex_encode(mac.substr(0, 16));
}

bool check_link_token(std::string_view secret, std::string_view case_number, std::string_view token) {
  return c::constant_time_equal(link_token(secret, case_number), token);
}

std::string new_nonce() {
  std::string raw(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), 16) != 1) throw std::runtime_error("RAND_bytes failed");
  return c::hex_encode(raw);
}

namespace {
std::string csrf_mac(std::string_view secret, std::string_view nonce, std::string_view ts) {
  return c::hex_encode(c::hmac_sha256(secret, "csrf|" + std::string(nonce) + "|" + std::string(ts)).substr(0, 16));
}
}  // namespace

std::string csrf_token(std::string_view secret, std::string_view nonce, std::int64_t now) {
  auto ts = std::to_string(now);
  return std::string(nonce) + "." + ts + "." + csrf_mac(secret, nonce, ts);
}

std::optional<std::string> check_csrf(std::string_view secret, std::string_view token, std::string_view cookie_nonce,
                                      std::int64_t now, std::int64_t max_age) {
  auto d1 = token.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  auto d2 = token.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return std::nullopt;
  auto nonce = token.substr(0, d1);
  auto ts = token.substr(d1 + 1, d2 - d1 - 1);
  auto mac = token.substr(d2 + 1);
  if (nonce.size() != 32 || ts.empty() || ts.size() > 12 || ts.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  if (!c::constant_time_equal(csrf_mac(secret, nonce, ts), mac)) return std::nullopt;
  if (!c::constant_time_equal(nonce, cookie_nonce)) return std::nullopt;
  auto t = std::stoll(std::string(ts));
  if (t > now + 60 || now - t > max_age) return std::nullopt;
  return std::string(nonce);
}

std::string cookie_value(std::string_view header, std::string_view name) {
  std::size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ';')) ++i;
    auto end = header.find(';', i);
    auto part = header.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  return {};
}

}  // namespace lianxin::web
