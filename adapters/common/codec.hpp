#pragma once
// Strict hex and base64 codecs. Signatures and ciphertexts arrive from the network, so the
// decoders reject anything that is not exactly well formed instead of skipping junk the way
// lenient decoders (and OpenSSL's EVP_DecodeBlock) do.
#include <optional>
#include <string>
#include <string_view>

namespace lianxin::adapters::common {

// Lowercase hex of the bytes.
std::string hex_encode(std::string_view bytes);

// Decodes lowercase or uppercase hex; nullopt on odd length or any non-hex character.
std::optional<std::string> hex_decode(std::string_view hex);

// Decodes hex only if every letter is lowercase: the platforms we verify (OneBot, QQ) emit
// lowercase, and accepting one spelling keeps "is this the same signature" unambiguous.
std::optional<std::string> hex_decode_lower(std::string_view hex);

// Standard base64 (RFC 4648 alphabet, '=' padding, no line breaks).
std::string base64_encode(std::string_view bytes);

// Standard base64 with mandatory padding to a multiple of 4 characters. Rejects whitespace,
// URL-safe characters, misplaced '=' and non-zero trailing bits, so one byte string has
// exactly one accepted encoding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lianxin::adapters::common
