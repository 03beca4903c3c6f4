// lx_adapter_tool: drives Lianxin's adapters from JSON so independent implementations (Node's
// crypto, npm @wecom/crypto) can check them. Reads one JSON request per stdin line and writes
// one JSON answer per line, so a test run needs a single process.
//
//   {"op":"wecom_decrypt","token","aes_key","receive_id","timestamp","nonce","msg_signature","encrypt"}
//   {"op":"wecom_encrypt","token","aes_key","receive_id","random_hex","msg","timestamp","nonce"}
//   {"op":"wechat_verify","token","timestamp","nonce","signature","now"}
//   {"op":"onebot_verify","secret","self_id","body","signature"}
//   {"op":"qq_verify","secret","timestamp","body","signature","now"}
//   {"op":"qq_sign","secret","event_ts","plain_token"}
#include <iostream>
#include <string>

#include "adapters/common/codec.hpp"
#include "adapters/common/safe_json.hpp"
#include "adapters/common/wx_crypt.hpp"
#include "adapters/onebot/onebot.hpp"
#include "adapters/qq/webhook.hpp"
#include "adapters/wechat/callback.hpp"

namespace {

using lianxin::adapters::http_input;
using nlohmann::json;
namespace c = lianxin::adapters::common;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

json failure(std::string why) { return {{"ok", false}, {"error", std::move(why)}}; }

json wecom_decrypt(const json& r) {
  auto crypt = c::wx_crypt::create(str(r, "token"), str(r, "aes_key"), str(r, "receive_id"));
  if (!crypt) return failure("bad key");
  if (!crypt->verify(str(r, "timestamp"), str(r, "nonce"), str(r, "encrypt"), str(r, "msg_signature"))) {
    return failure("bad signature");
  }
  auto plain = crypt->decrypt(str(r, "encrypt"));
  if (!plain) return failure(std::string(c::to_string(plain.error())));
  return {{"ok", true}, {"msg", plain->msg}, {"receive_id", plain->receive_id}};
}

json wecom_encrypt(const json& r) {
  auto crypt = c::wx_crypt::create(str(r, "token"), str(r, "aes_key"), str(r, "receive_id"));
  auto random = c::hex_decode(str(r, "random_hex"));
  if (!crypt || !random) return failure("bad key or random");
  auto enc = crypt->encrypt(*random, str(r, "msg"));
  if (!enc) return failure("encrypt failed");
  return {{"ok", true}, {"encrypt", *enc}, {"signature", crypt->signature(str(r, "timestamp"), str(r, "nonce"), *enc)}};
}

json wechat_verify(const json& r) {
  lianxin::adapters::wechat::bot_config cfg;
  cfg.name = "x";
  cfg.token = str(r, "token");
  auto handler = lianxin::adapters::wechat::callback_handler::create(cfg);
  http_input in;
  in.method = "GET";
  in.query = {{"signature", str(r, "signature")}, {"timestamp", str(r, "timestamp")}, {"nonce", str(r, "nonce")}, {"echostr", "e"}};
  in.now_unix = num(r, "now");
  auto out = handler->handle(in);
  return {{"ok", out.status == 200 && out.body == "e"}, {"status", out.status}};
}

json onebot_verify(const json& r) {
  lianxin::adapters::onebot::bot_config cfg{"x", str(r, "self_id"), str(r, "secret"), ""};
  http_input in;
  in.method = "POST";
  in.body = str(r, "body");
  in.headers.set("X-Signature", str(r, "signature"));
  in.headers.set("X-Self-ID", cfg.self_id);
  auto out = lianxin::adapters::onebot::handle_post(cfg, in);
  json texts = json::array();
  for (const auto& m : out.messages) texts.push_back(m.text);
  return {{"ok", out.ok()}, {"status", out.status}, {"texts", texts}};
}

json qq_verify(const json& r) {
  auto handler = lianxin::adapters::qq::webhook_handler::create({"x", "", str(r, "secret")});
  if (!handler) return failure("bad secret");
  http_input in;
  in.method = "POST";
  in.body = str(r, "body");
  in.now_unix = num(r, "now");
  in.headers.set("X-Signature-Ed25519", str(r, "signature"));
  in.headers.set("X-Signature-Timestamp", str(r, "timestamp"));
  auto err = handler->verify(in);
  return {{"ok", !err}, {"status", err ? err->status : 200}};
}

json qq_sign(const json& r) {
  auto handler = lianxin::adapters::qq::webhook_handler::create({"x", "", str(r, "secret")});
  if (!handler) return failure("bad secret");
  http_input in;
  in.method = "POST";
  in.body = c::dump_json({{"op", 13}, {"d", {{"plain_token", str(r, "plain_token")}, {"event_ts", str(r, "event_ts")}}}});
  auto out = handler->handle(in);
  if (out.status != 200) return failure(out.reason);
  auto body = c::parse_json(out.body);
  return {{"ok", true}, {"signature", (*body)["signature"]}, {"public_key", c::hex_encode(handler->public_key())}};
}

json dispatch(const json& r) {
  const std::string op = str(r, "op");
  if (op == "wecom_decrypt") return wecom_decrypt(r);
  if (op == "wecom_encrypt") return wecom_encrypt(r);
  if (op == "wechat_verify") return wechat_verify(r);
  if (op == "onebot_verify") return onebot_verify(r);
  if (op == "qq_verify") return qq_verify(r);
  if (op == "qq_sign") return qq_sign(r);
  return failure("unknown op");
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    auto request = c::parse_json(line, {.max_bytes = 4 * 1024 * 1024, .max_depth = 32});
    const json answer = request ? dispatch(*request) : failure("request is not json");
    std::cout << c::dump_json(answer) << '\n';
  }
  return 0;
}
