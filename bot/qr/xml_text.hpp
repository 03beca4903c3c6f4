#pragma once
// Text that goes into SVG: escaped, valid UTF-8, and measured well enough to shrink a long
// name or station onto one line of a printed poster (SVG has no line wrapping of its own).
#include <cstddef>
#include <string>
#include <string_view>

namespace lianxin::qr {

// Escapes & < > " ' and makes the text safe for XML 1.0: invalid UTF-8 becomes U+FFFD,
// control characters become spaces (tab, newline) or disappear (the rest), as do U+FFFE and
// U+FFFF. Safe both between tags and inside a double- or single-quoted attribute.
std::string xml_escape(std::string_view utf8);

// At most `max_chars` code points, with "…" in place of the rest. Invalid UTF-8 counts one
// code point per bad byte (xml_escape repairs it afterwards).
std::string truncate_chars(std::string_view utf8, std::size_t max_chars);

// Estimated advance width in em for a sans-serif CJK font: Han, kana, full-width forms and
// CJK punctuation are 1 em, ASCII about 0.55 em, anything else 0.7 em. Deliberately generous
// so that shrink-to-fit errs on the side of a margin.
double text_width_em(std::string_view utf8);

}  // namespace lianxin::qr
