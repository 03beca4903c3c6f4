#include "bot/qr/xml_text.hpp"

#include <cstdint>

namespace lianxin::qr {
namespace {

constexpr char32_t kBad = 0xFFFFFFFF;

// Decodes one code point at `i` and advances past it; returns kBad (advancing one byte) for
// malformed, overlong or surrogate sequences.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) len = 2, cp = b0 & 0x1F;
  else if ((b0 & 0xF0) == 0xE0) len = 3, cp = b0 & 0x0F;
  else if ((b0 & 0xF8) == 0xF0) len = 4, cp = b0 & 0x07;
  else {
    ++i;
    return kBad;
  }
  if (i + len > s.size()) {
    ++i;
    return kBad;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kBad;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kBad;
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) ||    // Hangul Jamo
         (cp >= 0x2E80 && cp <= 0xA4CF) ||    // CJK radicals .. Yi, incl. punctuation, kana, Han
         (cp >= 0xAC00 && cp <= 0xD7A3) ||    // Hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
         (cp >= 0xFE30 && cp <= 0xFE4F) ||    // CJK compatibility forms
         (cp >= 0xFF00 && cp <= 0xFF60) ||    // full-width forms
         (cp >= 0xFFE0 && cp <= 0xFFE6) ||    // full-width signs
         (cp >= 0x1F300 && cp <= 0x1FAFF) ||  // emoji
         (cp >= 0x20000 && cp <= 0x3FFFD);    // CJK extensions B..
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = next_code_point(s, i);
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t':
      case '\n':
      case '\r': out += ' '; break;
      default:
        if (cp == kBad) append_utf8(out, 0xFFFD);
        else if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF) break;  // not allowed in XML 1.0 / invisible
        else append_utf8(out, cp);
    }
  }
  return out;
}

std::string truncate_chars(std::string_view s, std::size_t max_chars) {
  std::size_t i = 0, count = 0;
  while (i < s.size() && count < max_chars) {
    next_code_point(s, i);
    ++count;
  }
  if (i >= s.size()) return std::string(s);
  // Keep room for the ellipsis within the limit.
  std::size_t j = 0, kept = 0;
  while (j < s.size() && kept + 1 < max_chars) {
    next_code_point(s, j);
    ++kept;
  }
  return std::string(s.substr(0, j)) + "\u2026";
}

double text_width_em(std::string_view s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = next_code_point(s, i);
    if (cp == kBad) w += 1.0;
    else if (cp < 0x80) w += (cp >= 'A' && cp <= 'Z') || cp == 'm' || cp == 'w' ? 0.68 : 0.55;
    else if (is_wide(cp)) w += 1.0;
    else w += 0.7;
  }
  return w;
}

}  // namespace lianxin::qr
