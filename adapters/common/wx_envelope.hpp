#pragma once
// Pieces shared by the WeCom and WeChat callback adapters: reading the flat field set out of
// an XML (or, for JSON-format accounts, flat JSON) document, fine-grained event keys, and
// rendering passive replies in the envelope both platforms use.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/common/flat_xml.hpp"
#include "adapters/common/result.hpp"
#include "adapters/common/wx_crypt.hpp"

namespace lianxin::adapters::common {

enum class wx_body_format { xml, json };

// Reads a WeCom/WeChat document into flat fields. XML goes through parse_flat_xml; a body that
// starts with '{' is read as a flat JSON object (string and integer members; nested objects
// become "Parent/Child"), under the safe JSON limits. nullopt-like failure carries a reason.
result<xml_document, std::string> read_wx_document(std::string_view body, wx_body_format* format = nullptr);

// A dedupe key for an event without MsgId: SHA-256 over every field of the decrypted document
// (length-prefixed, document order). Coarser keys such as FromUserName+CreateTime collide for
// real events (two approvals in one second, per-agent unsubscribe fan-out; reliability.md
// §1.3), while a platform retry repeats the document byte for byte.
std::string wx_event_key(const xml_document& doc);

// <xml><ToUserName>…</ToUserName><FromUserName>…</FromUserName><CreateTime>…</CreateTime>
// <MsgType>text</MsgType><Content>…</Content></xml>, every text value in CDATA.
std::string render_text_reply_xml(std::string_view to_user, std::string_view from_user,
                                  std::int64_t create_time, std::string_view content);

// Encrypts `plaintext` and wraps it as the XML passive-reply envelope
// <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>. nullopt if random16 is not 16 bytes.
std::optional<std::string> render_encrypted_xml_reply(const wx_crypt& crypt, std::string_view plaintext,
                                                      std::string_view random16, std::int64_t timestamp,
                                                      std::string_view nonce);

struct wx_encrypted_reply {
  std::string encrypt;
  std::string signature;
};

std::optional<wx_encrypted_reply> encrypt_reply(const wx_crypt& crypt, std::string_view plaintext,
                                                std::string_view random16, std::int64_t timestamp,
                                                std::string_view nonce);

// True for strings of 1..64 printable ASCII characters: nonces and timestamps end up in
// signatures and reply XML, so nothing else is accepted there.
bool is_token_text(std::string_view s, std::size_t max = 64);

}  // namespace lianxin::adapters::common
