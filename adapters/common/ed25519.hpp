#pragma once
// Ed25519 (RFC 8032) through OpenSSL's EVP interface, used by the QQ official bot webhook.
#include <optional>
#include <string>
#include <string_view>

namespace lianxin::adapters::common {

// The raw 32-byte public key for a 32-byte seed; nullopt for a seed of any other size.
std::optional<std::string> ed25519_public_key(std::string_view seed);

// The 64-byte signature of message under the key derived from seed.
std::optional<std::string> ed25519_sign(std::string_view seed, std::string_view message);

// True only for a 32-byte public key, a 64-byte signature and a valid signature.
bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature);

}  // namespace lianxin::adapters::common
