#include "adapters/wecom/callback.hpp"

#include "adapters/common/safe_json.hpp"
#include "adapters/common/wx_envelope.hpp"
#include "adapters/common/wx_query.hpp"
#include "adapters/wecom/inbound_parse.hpp"

namespace lianxin::adapters::wecom {

std::optional<callback_handler> callback_handler::create(bot_config config) {
  const std::string receive_id = config.kind == bot_kind::ai_bot ? std::string() : config.corp_id;
  auto crypt = common::wx_crypt::create(config.token, config.encoding_aes_key, receive_id);
  if (!crypt) return std::nullopt;
  return callback_handler(std::move(config), std::move(*crypt));
}

http_output crypt_failure(common::wx_crypt_error e) {
  const auto kind = e == common::wx_crypt_error::receive_id_mismatch ? error_kind::forbidden
                                                                     : error_kind::bad_request;
  return error_output(kind, std::string(common::to_string(e)));
}

http_output callback_handler::handle(const http_input& input) const {
  if (input.method == "GET") return verify_url(input);
  if (input.method == "POST") return receive(input);
  return error_output(error_kind::method_not_allowed, "only GET and POST");
}

http_output callback_handler::verify_url(const http_input& input) const {
  auto q = common::read_signed_query(input, "msg_signature", config_.freshness_window_s);
  if (!q) return q.error();
  const std::string* echostr = input.query_param("echostr");
  if (!echostr) return error_output(error_kind::bad_request, "missing echostr");
  if (!crypt_.verify(q->timestamp, q->nonce, *echostr, q->signature)) {
    return error_output(error_kind::bad_signature, "msg_signature mismatch");
  }
  auto plain = crypt_.decrypt(*echostr);
  if (!plain) return crypt_failure(plain.error());
  // The platform compares the body byte for byte: no quotes, BOM or newline.
  return text_output(std::move(plain->msg));
}

http_output callback_handler::receive(const http_input& input) const {
  auto q = common::read_signed_query(input, "msg_signature", config_.freshness_window_s);
  if (!q) return q.error();
  // The signature covers the Encrypt field, so the (small, flat) envelope is read first, with
  // the same hardened readers used for everything else.
  std::string encrypt;
  if (config_.kind == bot_kind::ai_bot) {
    auto envelope = common::parse_json(input.body);
    if (!envelope) return error_output(error_kind::bad_request, std::string(common::to_string(envelope.error())));
    const std::string* e = common::find_string(*envelope, "encrypt");
    if (!e) return error_output(error_kind::bad_request, "missing encrypt");
    encrypt = *e;
  } else {
    auto envelope = common::read_wx_document(input.body);
    if (!envelope) return error_output(error_kind::bad_request, envelope.error());
    const std::string* e = envelope->find("Encrypt");
    if (!e) return error_output(error_kind::bad_request, "missing Encrypt");
    encrypt = *e;
  }
  if (!crypt_.verify(q->timestamp, q->nonce, encrypt, q->signature)) {
    return error_output(error_kind::bad_signature, "msg_signature mismatch");
  }
  auto plain = crypt_.decrypt(encrypt);
  if (!plain) return crypt_failure(plain.error());

  parse_context ctx{config_.name, config_.mention_name, q->nonce, input.now_unix};
  auto parsed = config_.kind == bot_kind::ai_bot ? parse_ai_bot_json(plain->msg, ctx)
                                                 : parse_app_xml(plain->msg, ctx);
  if (!parsed) return error_output(error_kind::bad_request, parsed.error());
  http_output out = empty_output(200);
  out.messages = std::move(parsed).value();
  return out;
}

std::optional<http_output> callback_handler::passive_reply(std::string_view plaintext,
                                                           std::string_view random16,
                                                           std::int64_t timestamp,
                                                           std::string_view nonce) const {
  if (config_.kind == bot_kind::app) {
    auto body = common::render_encrypted_xml_reply(crypt_, plaintext, random16, timestamp, nonce);
    if (!body) return std::nullopt;
    return text_output(std::move(*body), "application/xml; charset=utf-8");
  }
  auto r = common::encrypt_reply(crypt_, plaintext, random16, timestamp, nonce);
  if (!r) return std::nullopt;
  common::json body = {{"encrypt", r->encrypt},
                       {"msgsignature", r->signature},
                       {"timestamp", timestamp},
                       {"nonce", std::string(nonce)}};
  return json_output(common::dump_json(body));
}

}  // namespace lianxin::adapters::wecom
