#pragma once
// Masking of residents' personal data (PIPL): every log line and every group post passes
// through mask_pii. Pure code: no I/O, no allocation beyond the result.
#include <string>
#include <string_view>

namespace lianxin::privacy {

// Replaces mainland mobile numbers with `138****5678` and ID-card numbers (18 or 15 digits,
// last may be X) with `1101**********1234`. Accepts full-width digits, `+86`/`86` prefixes and
// single spaces or dashes between digits ("138 1234 5678", "+86 138-1234-5678").
std::string mask_pii(std::string_view text);

// True when mask_pii would change the text.
bool contains_pii(std::string_view text);

// Masks one phone number given on its own (keeps the first 3 and last 4 digits).
std::string mask_phone(std::string_view digits);

}  // namespace lianxin::privacy
