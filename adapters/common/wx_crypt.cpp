#include "adapters/common/wx_crypt.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "adapters/common/aes_cbc.hpp"
#include "adapters/common/codec.hpp"
#include "adapters/common/digest.hpp"

namespace lianxin::adapters::common {

std::string_view to_string(wx_crypt_error e) {
  switch (e) {
    case wx_crypt_error::bad_base64: return "encrypted field is not valid base64";
    case wx_crypt_error::bad_length: return "ciphertext length is not a positive multiple of 16";
    case wx_crypt_error::bad_padding: return "bad PKCS#7 padding";
    case wx_crypt_error::bad_msg_len: return "message length field out of range";
    case wx_crypt_error::receive_id_mismatch: return "receive id does not match this bot";
    case wx_crypt_error::crypto_failure: return "decryption failed";
  }
  return "crypt error";
}

std::string wx_sorted_sha1(std::initializer_list<std::string_view> parts) {
  std::vector<std::string_view> sorted(parts);
  std::sort(sorted.begin(), sorted.end());
  std::string joined;
  for (auto p : sorted) joined.append(p);
  return sha1_hex(joined);
}

std::optional<wx_crypt> wx_crypt::create(std::string token, std::string_view encoding_aes_key,
                                         std::string receive_id) {
  if (encoding_aes_key.size() != 43) return std::nullopt;
  std::string padded(encoding_aes_key);
  padded += '=';
  auto key = base64_decode(padded);
  if (!key) {
    // The 43rd character carries 2 bits that fall under the padding. Our strict decoder
    // rejects them when non-zero, but the official SDKs' lenient decoders ignore them, so a
    // key the console accepted must work here too: clear those bits and decode again.
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto idx = alphabet.find(padded[42]);
    if (idx == std::string_view::npos) return std::nullopt;
    padded[42] = alphabet[idx & ~std::size_t{3}];
    key = base64_decode(padded);
  }
  if (!key || key->size() != 32) return std::nullopt;
  return wx_crypt(std::move(token), std::move(*key), std::move(receive_id));
}

std::string wx_crypt::signature(std::string_view timestamp, std::string_view nonce,
                                std::string_view encrypt) const {
  return wx_sorted_sha1({token_, timestamp, nonce, encrypt});
}

bool wx_crypt::verify(std::string_view timestamp, std::string_view nonce, std::string_view encrypt,
                      std::string_view msg_signature) const {
  return constant_time_equal(signature(timestamp, nonce, encrypt), msg_signature);
}

result<wx_plaintext, wx_crypt_error> wx_crypt::decrypt(std::string_view encrypt_b64,
                                                       bool check_receive_id) const {
  if (encrypt_b64.size() > wx_max_ciphertext / 3 * 4 + 4) return fail(wx_crypt_error::bad_length);
  const auto cipher = base64_decode(encrypt_b64);
  if (!cipher) return fail(wx_crypt_error::bad_base64);
  if (cipher->empty() || cipher->size() % 16 != 0) return fail(wx_crypt_error::bad_length);
  const std::string_view iv(key_.data(), 16);
  const auto plain = aes256_cbc_decrypt(key_, iv, *cipher);
  if (!plain) return fail(wx_crypt_error::crypto_failure);
  const auto content = pkcs7_unpad(*plain, wx_pad_block);
  if (!content) return fail(wx_crypt_error::bad_padding);
  if (content->size() < 20) return fail(wx_crypt_error::bad_msg_len);
  const auto* p = reinterpret_cast<const unsigned char*>(content->data()) + 16;
  const std::uint32_t msg_len = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
  // Compare in 64 bits so 0xFFFFFFFF cannot wrap around.
  if (static_cast<std::uint64_t>(msg_len) > content->size() - 20) {
    return fail(wx_crypt_error::bad_msg_len);
  }
  wx_plaintext out;
  out.random = std::string(content->substr(0, 16));
  out.msg = std::string(content->substr(20, msg_len));
  out.receive_id = std::string(content->substr(20 + msg_len));
  if (check_receive_id && !constant_time_equal(out.receive_id, receive_id_)) {
    return fail(wx_crypt_error::receive_id_mismatch);
  }
  return out;
}

std::optional<std::string> wx_crypt::encrypt(std::string_view random16, std::string_view msg) const {
  if (random16.size() != 16 || msg.size() > wx_max_ciphertext) return std::nullopt;
  std::string plain(random16);
  const auto n = static_cast<std::uint32_t>(msg.size());
  plain.push_back(static_cast<char>((n >> 24) & 0xff));
  plain.push_back(static_cast<char>((n >> 16) & 0xff));
  plain.push_back(static_cast<char>((n >> 8) & 0xff));
  plain.push_back(static_cast<char>(n & 0xff));
  plain.append(msg);
  plain.append(receive_id_);
  const std::string padded = pkcs7_pad(plain, wx_pad_block);
  const auto cipher = aes256_cbc_encrypt(key_, std::string_view(key_.data(), 16), padded);
  if (!cipher) return std::nullopt;
  return base64_encode(*cipher);
}

}  // namespace lianxin::adapters::common
