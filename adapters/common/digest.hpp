#pragma once
// Hashes, HMACs and the constant-time compare used by every signature check.
// Thin wrappers over OpenSSL's one-shot functions; they cannot fail for in-memory inputs of
// the sizes we accept, so they return plain values.
#include <string>
#include <string_view>

namespace lianxin::adapters::common {

std::string sha1(std::string_view data);     // 20 raw bytes
std::string sha256(std::string_view data);   // 32 raw bytes
std::string sha1_hex(std::string_view data);  // 40 lowercase hex chars
std::string sha256_hex(std::string_view data);

std::string hmac_sha1(std::string_view key, std::string_view data);    // 20 raw bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes

// Compares without data-dependent early exit. Lengths are compared first (they are public:
// every signature format has a fixed length), then CRYPTO_memcmp over the bytes.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace lianxin::adapters::common
