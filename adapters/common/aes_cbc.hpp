#pragma once
// AES-256-CBC without OpenSSL's padding, plus the PKCS#7 variant WeCom/WeChat use: padding to
// a multiple of 32 bytes (not the AES block size of 16), so pad values run 1..32.
#include <optional>
#include <string>
#include <string_view>

namespace lianxin::adapters::common {

constexpr std::size_t wx_pad_block = 32;

// key: 32 bytes, iv: 16 bytes, input: a non-empty multiple of 16 bytes. nullopt otherwise.
std::optional<std::string> aes256_cbc_encrypt(std::string_view key, std::string_view iv,
                                              std::string_view plaintext);
std::optional<std::string> aes256_cbc_decrypt(std::string_view key, std::string_view iv,
                                              std::string_view ciphertext);

// Appends 1..block bytes, each equal to the pad length.
std::string pkcs7_pad(std::string_view data, std::size_t block = wx_pad_block);

// Returns the data without its padding, or nullopt when the last byte is 0 or > block, longer
// than the data, or the pad bytes disagree.
std::optional<std::string_view> pkcs7_unpad(std::string_view data, std::size_t block = wx_pad_block);

}  // namespace lianxin::adapters::common
