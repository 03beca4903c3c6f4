#pragma once
// Strict parsing of the unix timestamps that platforms put in headers and query strings, and
// the replay window around them.
#include <cstdint>
#include <optional>
#include <string_view>

namespace lianxin::adapters::common {

// Default freshness window: the ±5 minutes Slack, Stripe and Svix use; the Chinese platforms
// document none, so this is our own choice (reliability.md §1.2 step 4).
constexpr std::int64_t default_freshness_window_s = 300;

// Accepts 1..12 ASCII digits with no sign, spaces or exponent, and values up to year ~33658
// (so `abc`, `-5`, `1e30` and 40 digits are all rejected without overflow). Leading zeros
// are rejected too: they would let one signed timestamp be spelled several ways.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text);

// |now - ts| <= window.
bool is_fresh(std::int64_t ts, std::int64_t now, std::int64_t window = default_freshness_window_s);

// Parses a strict decimal unsigned integer of at most 20 digits that fits in uint64
// (no sign, no leading zeros except "0" itself).
std::optional<std::uint64_t> parse_decimal_u64(std::string_view text);

// Parses an RFC 3339 timestamp such as "2023-11-06T13:37:18+08:00" (QQ's event time) into
// unix seconds; fractional seconds are ignored. nullopt for anything malformed.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace lianxin::adapters::common
