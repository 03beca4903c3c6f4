#include "workflow/text_normalise.hpp"

namespace lianxin::workflow {

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      ++i;  // stray byte: skip it rather than fail on a resident's garbled message
      continue;
    }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t cp : text) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

namespace {
// Kept: ASCII letters and digits, CJK ideographs (incl. extension A and compatibility), kana
// and Hangul would be kept too but do not matter here. Everything else is noise for matching.
bool keep(char32_t c) {
  if ((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) return true;
  if (c >= 0x3400 && c <= 0x4DBF) return true;
  if (c >= 0x4E00 && c <= 0x9FFF) return true;
  if (c >= 0xF900 && c <= 0xFAFF) return true;
  if (c >= 0x20000 && c <= 0x2FA1F) return true;
  return false;
}
}  // namespace

std::u32string normalise(std::string_view utf8) {
  const std::u32string in = decode_utf8(utf8);
  std::u32string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char32_t c = in[i];
    // OneBot CQ codes ("[CQ:face,id=14]") are markup, not words.
    if (c == U'[' && in.compare(i, 4, U"[CQ:") == 0) {
      const auto end = in.find(U']', i);
      if (end != std::u32string::npos) {
        i = end;
        continue;
      }
    }
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c >= U'A' && c <= U'Z') c += 32;
    if (keep(c)) out.push_back(c);
  }
  return out;
}

}  // namespace lianxin::workflow
