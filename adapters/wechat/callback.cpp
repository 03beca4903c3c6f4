#include "adapters/wechat/callback.hpp"

#include "adapters/common/digest.hpp"
#include "adapters/common/wx_envelope.hpp"
#include "adapters/common/wx_query.hpp"
#include "adapters/wecom/callback.hpp"

namespace lianxin::adapters::wechat {

std::string plain_signature(std::string_view token, std::string_view timestamp, std::string_view nonce) {
  return common::wx_sorted_sha1({token, timestamp, nonce});
}

std::optional<callback_handler> callback_handler::create(bot_config config) {
  std::optional<common::wx_crypt> crypt;
  if (!config.encoding_aes_key.empty()) {
    crypt = common::wx_crypt::create(config.token, config.encoding_aes_key, config.app_id);
    if (!crypt) return std::nullopt;
  }
  return callback_handler(std::move(config), std::move(crypt));
}

http_output callback_handler::handle(const http_input& input) const {
  if (input.method == "GET") return verify_url(input);
  if (input.method == "POST") return receive(input);
  return error_output(error_kind::method_not_allowed, "only GET and POST");
}

http_output callback_handler::verify_url(const http_input& input) const {
  auto q = common::read_signed_query(input, "signature", config_.freshness_window_s);
  if (!q) return q.error();
  const std::string* echostr = input.query_param("echostr");
  if (!echostr) return error_output(error_kind::bad_request, "missing echostr");
  if (!common::constant_time_equal(plain_signature(config_.token, q->timestamp, q->nonce), q->signature)) {
    return error_output(error_kind::bad_signature, "signature mismatch");
  }
  return text_output(*echostr);
}

http_output callback_handler::receive(const http_input& input) const {
  const std::string* encrypt_type = input.query_param("encrypt_type");
  const bool safe_mode = encrypt_type && *encrypt_type == "aes";
  if (encrypt_type && !safe_mode && *encrypt_type != "raw") {
    return error_output(error_kind::bad_request, "unknown encrypt_type");
  }
  std::string document;
  std::string nonce;
  if (safe_mode) {
    if (!crypt_) return error_output(error_kind::bad_request, "encrypted push but no key configured");
    // In safe mode msg_signature (over Encrypt) is the one to check, not `signature`.
    auto q = common::read_signed_query(input, "msg_signature", config_.freshness_window_s);
    if (!q) return q.error();
    auto envelope = common::read_wx_document(input.body);
    if (!envelope) return error_output(error_kind::bad_request, envelope.error());
    const std::string* encrypt = envelope->find("Encrypt");
    if (!encrypt) return error_output(error_kind::bad_request, "missing Encrypt");
    if (!crypt_->verify(q->timestamp, q->nonce, *encrypt, q->signature)) {
      return error_output(error_kind::bad_signature, "msg_signature mismatch");
    }
    auto plain = crypt_->decrypt(*encrypt);
    if (!plain) return wecom::crypt_failure(plain.error());
    document = std::move(plain->msg);
    nonce = q->nonce;
  } else {
    if (crypt_ && config_.require_encryption) {
      return error_output(error_kind::bad_signature, "plain-mode push refused: encryption required");
    }
    auto q = common::read_signed_query(input, "signature", config_.freshness_window_s);
    if (!q) return q.error();
    if (!common::constant_time_equal(plain_signature(config_.token, q->timestamp, q->nonce), q->signature)) {
      return error_output(error_kind::bad_signature, "signature mismatch");
    }
    document = input.body;
    nonce = q->nonce;
  }
  auto parsed = parse_push(document, config_.name, nonce, safe_mode);
  if (!parsed) return error_output(error_kind::bad_request, parsed.error());
  http_output out = empty_output(200);
  out.messages = std::move(parsed).value();
  return out;
}

std::optional<http_output> callback_handler::text_reply(const inbound_message& m, std::string_view content,
                                                        std::string_view random16,
                                                        std::int64_t timestamp) const {
  const std::string xml = common::render_text_reply_xml(m.sender_id, m.reply.bot_account, timestamp, content);
  if (!m.reply.encrypted) return text_output(xml, "application/xml; charset=utf-8");
  if (!crypt_) return std::nullopt;
  auto body = common::render_encrypted_xml_reply(*crypt_, xml, random16, timestamp, m.reply.nonce);
  if (!body) return std::nullopt;
  return text_output(std::move(*body), "application/xml; charset=utf-8");
}

}  // namespace lianxin::adapters::wechat
