#include "adapters/qq/webhook.hpp"

#include "adapters/common/codec.hpp"
#include "adapters/common/ed25519.hpp"

namespace lianxin::adapters::qq {
namespace {

using common::json;

// plain_token is echoed back and signed together with event_ts. Restricting it to characters
// that cannot form JSON keeps the op-13 endpoint from becoming a signing oracle for forged
// op-0 bodies (which are signed as timestamp ‖ body with the same key).
bool valid_plain_token(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
    if (c == '{' || c == '}' || c == '[' || c == ']' || c == '"' || c == ':' || c == ',' || c == '\\') return false;
  }
  return true;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string derive_seed(std::string_view secret) {
  if (secret.empty()) return {};
  std::string seed(secret);
  while (seed.size() < 32) seed += seed;
  return seed.substr(0, 32);
}

std::optional<webhook_handler> webhook_handler::create(bot_config config) {
  std::string seed = derive_seed(config.secret);
  auto pub = common::ed25519_public_key(seed);
  if (!pub) return std::nullopt;
  return webhook_handler(std::move(config), std::move(seed), std::move(*pub));
}

http_output ack(int d) { return json_output(R"({"op":12,"d":)" + std::to_string(d) + "}"); }

std::string webhook_handler::sign_validation(std::string_view event_ts, std::string_view plain_token) const {
  std::string msg(event_ts);
  msg.append(plain_token);
  auto sig = common::ed25519_sign(seed_, msg);
  return sig ? common::hex_encode(*sig) : std::string();
}

std::optional<http_output> webhook_handler::verify(const http_input& input) const {
  const std::string* sig_hex = input.headers.find("X-Signature-Ed25519");
  const std::string* ts = input.headers.find("X-Signature-Timestamp");
  if (!sig_hex || !ts) return error_output(error_kind::bad_signature, "missing X-Signature-Ed25519/-Timestamp");
  const auto sig = sig_hex->size() == 128 ? common::hex_decode(*sig_hex) : std::nullopt;
  // The doc's own checks: 64 bytes, and the top three bits of the last byte clear.
  if (!sig || sig->size() != 64 || (static_cast<unsigned char>((*sig)[63]) & 0xE0) != 0) {
    return error_output(error_kind::bad_signature, "malformed Ed25519 signature");
  }
  const auto ts_value = common::parse_unix_seconds(*ts);
  if (!ts_value) return error_output(error_kind::bad_request, "malformed X-Signature-Timestamp");
  std::string msg = *ts;
  msg += input.body;
  if (!common::ed25519_verify(public_key_, msg, *sig)) {
    return error_output(error_kind::bad_signature, "Ed25519 signature mismatch");
  }
  if (!common::is_fresh(*ts_value, input.now_unix, config_.freshness_window_s)) {
    return error_output(error_kind::stale, "X-Signature-Timestamp outside the freshness window");
  }
  return std::nullopt;
}

http_output webhook_handler::validation(const json& d) const {
  const std::string* token = common::find_string(d, "plain_token");
  const std::string* ts = common::find_string(d, "event_ts");
  if (!token || !valid_plain_token(*token)) return error_output(error_kind::bad_request, "bad plain_token");
  if (!ts || !all_digits(*ts)) return error_output(error_kind::bad_request, "event_ts must be a digit string");
  json body = {{"plain_token", *token}, {"signature", sign_validation(*ts, *token)}};
  return json_output(common::dump_json(body));
}

http_output webhook_handler::handle(const http_input& input) const {
  if (input.method != "POST") return error_output(error_kind::method_not_allowed, "only POST");
  if (const std::string* appid = input.headers.find("X-Bot-Appid")) {
    if (!config_.app_id.empty() && *appid != config_.app_id) {
      return error_output(error_kind::forbidden, "X-Bot-Appid is not this bot");
    }
  }
  // Signed requests are verified before parsing. op 13 is documented without a signature, so
  // an unsigned body is accepted for op 13 only (checked after parsing, below).
  const bool has_signature = input.headers.find("X-Signature-Ed25519") != nullptr;
  if (has_signature) {
    if (auto err = verify(input)) return std::move(*err);
  }
  auto payload = common::parse_json(input.body);
  if (!payload) {
    const auto kind = payload.error() == common::json_error::too_large ? error_kind::too_large : error_kind::bad_request;
    return error_output(kind, std::string(common::to_string(payload.error())));
  }
  const json* op = common::find_field(*payload, "op");
  const json* d = common::find_field(*payload, "d");
  if (op && op->is_number_integer() && *op == 13) {
    if (!d || !d->is_object()) return error_output(error_kind::bad_request, "op 13 without d");
    return validation(*d);
  }
  if (!has_signature) return error_output(error_kind::bad_signature, "missing X-Signature-Ed25519");
  if (!op || !op->is_number_integer() || *op != 0 || !d || !d->is_object()) return ack();  // unknown op: ack, drop
  const std::string* t = common::find_string(*payload, "t");
  if (!t) return ack();
  auto parsed = parse_dispatch(config_.name, *t, *d);
  if (!parsed) return error_output(error_kind::bad_request, parsed.error());
  http_output out = ack();
  out.messages = std::move(parsed).value();
  return out;
}

}  // namespace lianxin::adapters::qq
