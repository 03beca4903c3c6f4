#pragma once
// WXBizMsgCrypt: the signature and AES scheme shared by WeCom app callbacks, WeCom AI bots and
// WeChat Official Accounts (protocols.md §3.1). Only the receive id differs: the CorpID, ""
// for AI bots, the AppID for Official Accounts.
//
// Plaintext layout: random(16) ‖ msg_len(4, big-endian) ‖ msg ‖ receive_id, PKCS#7-padded to a
// multiple of 32, AES-256-CBC with key = base64(EncodingAESKey + "=") and IV = key[0..16).
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/result.hpp"

namespace lianxin::adapters::common {

enum class wx_crypt_error {
  bad_base64,           // Encrypt / echostr is not strict base64
  bad_length,           // ciphertext empty or not a multiple of 16 (or too large)
  bad_padding,          // pad byte 0 or > 32, or pad bytes disagree
  bad_msg_len,          // msg_len points past the plaintext
  receive_id_mismatch,  // encrypted for another corp / app
  crypto_failure,       // OpenSSL refused (should not happen for valid sizes)
};

std::string_view to_string(wx_crypt_error e);

// SHA1 hex of the byte-wise sorted, concatenated parts: msg_signature uses four parts
// (token, timestamp, nonce, encrypt), the Official Account plain signature three.
std::string wx_sorted_sha1(std::initializer_list<std::string_view> parts);

struct wx_plaintext {
  std::string random;  // the 16 leading bytes
  std::string msg;
  std::string receive_id;
};

class wx_crypt {
 public:
  // nullopt unless encoding_aes_key is 43 base64 characters decoding to 32 bytes.
  static std::optional<wx_crypt> create(std::string token, std::string_view encoding_aes_key,
                                        std::string receive_id);

  std::string signature(std::string_view timestamp, std::string_view nonce,
                        std::string_view encrypt) const;
  // Constant-time; false for a signature of the wrong length or case.
  bool verify(std::string_view timestamp, std::string_view nonce, std::string_view encrypt,
              std::string_view msg_signature) const;

  // Decrypts and checks padding, length and (unless `check_receive_id` is false) receive id.
  result<wx_plaintext, wx_crypt_error> decrypt(std::string_view encrypt_b64,
                                               bool check_receive_id = true) const;

  // Base64 ciphertext of msg with our receive id; random16 must be 16 bytes (the caller draws
  // it, so the function stays pure and tests are deterministic).
  std::optional<std::string> encrypt(std::string_view random16, std::string_view msg) const;

  const std::string& token() const { return token_; }
  const std::string& receive_id() const { return receive_id_; }

 private:
  wx_crypt(std::string token, std::string key, std::string receive_id)
      : token_(std::move(token)), key_(std::move(key)), receive_id_(std::move(receive_id)) {}

  std::string token_;
  std::string key_;  // 32 raw bytes
  std::string receive_id_;
};

// Upper bound on an accepted Encrypt field, decoded (bodies are capped lower by the shell).
constexpr std::size_t wx_max_ciphertext = 1024 * 1024;

}  // namespace lianxin::adapters::common
