#include "adapters/common/wx_envelope.hpp"

#include "adapters/common/digest.hpp"
#include "adapters/common/safe_json.hpp"

namespace lianxin::adapters::common {
namespace {

// Flattens string/number members, one level of nesting, into XML-like paths.
bool flatten(const json& obj, const std::string& prefix, int depth, xml_document& out) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string path = prefix.empty() ? it.key() : prefix + "/" + it.key();
    const json& v = it.value();
    if (v.is_string()) {
      out.fields.emplace_back(path, v.get<std::string>());
    } else if (v.is_number_integer()) {
      out.fields.emplace_back(path, v.dump());
    } else if (v.is_object()) {
      if (depth >= 1 || !flatten(v, path, depth + 1, out)) return false;
    } else if (!v.is_null() && !v.is_boolean()) {
      return false;  // floats and arrays never occur in these documents
    }
  }
  return true;
}

}  // namespace

result<xml_document, std::string> read_wx_document(std::string_view body, wx_body_format* format) {
  std::size_t i = 0;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) ++i;
  if (i < body.size() && body[i] == '{') {
    if (format) *format = wx_body_format::json;
    auto parsed = parse_json(body);
    if (!parsed) return fail(std::string(to_string(parsed.error())));
    if (!parsed->is_object()) return fail(std::string("json body is not an object"));
    xml_document doc;
    doc.root = "json";
    if (!flatten(*parsed, "", 0, doc)) return fail(std::string("unexpected json member type"));
    return doc;
  }
  if (format) *format = wx_body_format::xml;
  auto doc = parse_flat_xml(body);
  if (!doc) return fail(std::string(to_string(doc.error())));
  return std::move(doc).value();
}

std::string wx_event_key(const xml_document& doc) {
  std::string canon;
  for (const auto& [k, v] : doc.fields) {
    canon += std::to_string(k.size()) + ":" + k + std::to_string(v.size()) + ":" + v;
  }
  return sha256_hex(canon);
}

std::string render_text_reply_xml(std::string_view to_user, std::string_view from_user,
                                  std::int64_t create_time, std::string_view content) {
  std::string out = "<xml><ToUserName>" + cdata(to_user) + "</ToUserName><FromUserName>" +
                    cdata(from_user) + "</FromUserName><CreateTime>" + std::to_string(create_time) +
                    "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>" + cdata(content) +
                    "</Content></xml>";
  return out;
}

std::optional<wx_encrypted_reply> encrypt_reply(const wx_crypt& crypt, std::string_view plaintext,
                                                std::string_view random16, std::int64_t timestamp,
                                                std::string_view nonce) {
  auto encrypted = crypt.encrypt(random16, plaintext);
  if (!encrypted) return std::nullopt;
  wx_encrypted_reply out;
  out.signature = crypt.signature(std::to_string(timestamp), nonce, *encrypted);
  out.encrypt = std::move(*encrypted);
  return out;
}

std::optional<std::string> render_encrypted_xml_reply(const wx_crypt& crypt, std::string_view plaintext,
                                                      std::string_view random16, std::int64_t timestamp,
                                                      std::string_view nonce) {
  auto r = encrypt_reply(crypt, plaintext, random16, timestamp, nonce);
  if (!r) return std::nullopt;
  return "<xml><Encrypt>" + cdata(r->encrypt) + "</Encrypt><MsgSignature>" + cdata(r->signature) +
         "</MsgSignature><TimeStamp>" + std::to_string(timestamp) + "</TimeStamp><Nonce>" +
         cdata(nonce) + "</Nonce></xml>";
}

bool is_token_text(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace lianxin::adapters::common
