#include "workflow/intake/text.hpp"

#include "workflow/text_normalise.hpp"

#include <algorithm>
#include <array>

namespace lianxin::workflow::intake::text {
namespace {

// Decodes one code point at i; returns U+FFFF... as 0xFFFFFFFF for invalid bytes (skipped).
char32_t decode(std::string_view s, std::size_t& i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  auto cont = [&](std::size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  if (c < 0x80) {
    ++i;
    return c;
  }
  if ((c & 0xE0) == 0xC0 && cont(i + 1)) {
    char32_t cp = ((c & 0x1F) << 6) | (b(i + 1) & 0x3F);
    i += 2;
    return cp >= 0x80 ? cp : 0xFFFFFFFF;
  }
  if ((c & 0xF0) == 0xE0 && cont(i + 1) && cont(i + 2)) {
    char32_t cp = ((c & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
    i += 3;
    return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? cp : 0xFFFFFFFF;
  }
  if ((c & 0xF8) == 0xF0 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
    char32_t cp = ((c & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) |
                  (b(i + 3) & 0x3F);
    i += 4;
    return cp >= 0x10000 && cp <= 0x10FFFF ? cp : 0xFFFFFFFF;
  }
  ++i;
  return 0xFFFFFFFF;
}

std::u32string decode_all(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = decode(s, i);
    if (cp != 0xFFFFFFFF) out.push_back(cp);
  }
  return out;
}

std::string encode_all(std::u32string_view cps) { return encode_utf8(cps); }

// Bidi overrides could make a group post display differently from what it stores.
bool is_invisible(char32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x00AD ||
         (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F;
}

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0x00A0;
}

bool is_punct_or_symbol(char32_t cp) {
  // Circled digits (①, ❶) are answers to menus, not decoration.
  if ((cp >= 0x2460 && cp <= 0x24FF) || (cp >= 0x2776 && cp <= 0x2793)) return false;
  if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                          (cp >= 'A' && cp <= 'Z'));
  return (cp >= 0x3000 && cp <= 0x303F) ||   // CJK punctuation
         (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
         (cp >= 0x2000 && cp <= 0x206F) ||   // general punctuation (…, —, “”)
         (cp >= 0x20D0 && cp <= 0x20FF) ||   // combining keycap of 1️⃣
         (cp >= 0x2190 && cp <= 0x2BFF) ||   // arrows, symbols, dingbats
         (cp >= 0x1F000 && cp <= 0x1FAFF) || // emoji
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x00B7 || cp == 0x00A0;
}

// OneBot escapes these inside message text; CQ codes carry faces, ats, images and replies.
std::string strip_cq(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] != '[' && raw[i] != '&') {  // the common case: plain text
      out.push_back(raw[i++]);
      continue;
    }
    if (raw.compare(i, 4, "[CQ:") == 0) {
      auto close = raw.find(']', i);
      i = close == std::string_view::npos ? raw.size() : close + 1;
      continue;
    }
    static constexpr std::array<std::pair<std::string_view, char>, 4> entities{
        {{"&#91;", '['}, {"&#93;", ']'}, {"&#44;", ','}, {"&amp;", '&'}}};
    bool replaced = false;
    for (auto [entity, ch] : entities) {
      if (raw.compare(i, entity.size(), entity) == 0) {
        out.push_back(ch);
        i += entity.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(raw[i++]);
  }
  return out;
}

int digit_value(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp >= 0x2460 && cp <= 0x2468) return static_cast<int>(cp - 0x2460 + 1);  // ①..⑨
  if (cp >= 0x2776 && cp <= 0x277E) return static_cast<int>(cp - 0x2776 + 1);  // ❶..❾
  static constexpr std::u32string_view han = U"零一二三四五六七八九";
  static constexpr std::u32string_view formal = U"〇壹贰叁肆伍陆柒捌玖";
  if (auto p = han.find(cp); p != std::u32string_view::npos) return static_cast<int>(p);
  if (auto p = formal.find(cp); p != std::u32string_view::npos) return static_cast<int>(p);
  if (cp == U'两') return 2;
  return -1;
}

std::optional<int> parse_number(std::u32string_view s) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  auto ten = s.find(U'十');
  if (ten != std::u32string_view::npos) {
    int tens = 1, ones = 0;
    if (ten > 1 || s.size() - ten > 2) return std::nullopt;
    if (ten == 1) tens = digit_value(s[0]);
    if (ten + 1 < s.size()) ones = digit_value(s[ten + 1]);
    if (tens < 1 || ones < 0) return std::nullopt;
    return tens * 10 + ones;
  }
  int value = 0;
  for (char32_t cp : s) {
    int d = digit_value(cp);
    if (d < 0) return std::nullopt;
    value = value * 10 + d;
  }
  return value;
}

bool starts_with(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

}  // namespace

std::string normalize(std::string_view raw) {
  const std::string stripped = strip_cq(raw);
  std::u32string out;
  out.reserve(stripped.size());
  for (std::size_t i = 0; i < stripped.size();) {
    char32_t cp = decode(stripped, i);
    if (cp == 0xFFFFFFFF || is_invisible(cp)) continue;
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
        (cp >= 0xFF41 && cp <= 0xFF5A)) {
      cp -= 0xFEE0;
    }
    if (cp == 0xFF0D || cp == 0x2014 || cp == 0x2013) cp = '-';  // dashes inside case numbers
    if (is_space(cp)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    out.push_back(cp);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return encode_all(out);
}

std::string compact_normalized(std::string_view norm) {
  // The bytes of each kept code point are copied as they are: normalize() wrote them, so they
  // are already the shortest encoding, and nothing is decoded into a buffer and encoded back.
  std::string out;
  out.reserve(norm.size());
  for (std::size_t i = 0; i < norm.size();) {
    const std::size_t start = i;
    char32_t cp = decode(norm, i);
    if (cp == 0xFFFFFFFF || is_space(cp) || is_punct_or_symbol(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') {
      out.push_back(static_cast<char>(cp + ('a' - 'A')));
    } else {
      out.append(norm.substr(start, i - start));
    }
  }
  return out;
}

std::string compact(std::string_view raw) { return compact_normalized(normalize(raw)); }

std::string collapse_repeats(std::string_view compacted) {
  std::u32string out;
  for (char32_t cp : decode_all(compacted)) {
    if (out.empty() || out.back() != cp) out.push_back(cp);
  }
  return encode_all(out);
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) n += decode(s, i) != 0xFFFFFFFF ? 1 : 0;
  return n;
}

std::string truncate(std::string_view s, std::size_t max_code_points, bool& truncated) {
  std::size_t i = 0, n = 0;
  while (i < s.size() && n < max_code_points) {
    decode(s, i);
    ++n;
  }
  truncated = i < s.size();
  return std::string(s.substr(0, i));
}

std::optional<int> parse_choice(std::string_view raw, int max_option) {
  std::u32string s = decode_all(compact(raw));
  for (std::u32string_view prefix : {U"回复", U"选择", U"选", U"第", U"按"}) {
    if (starts_with(s, prefix)) s.erase(0, prefix.size());
  }
  for (char32_t suffix : {U'个', U'号', U'项', U'条', U'吧', U'啊'}) {
    if (!s.empty() && s.back() == suffix) s.pop_back();
  }
  auto in_range = [&](std::optional<int> v) { return v && *v >= 0 && *v <= max_option; };
  if (auto v = parse_number(s); in_range(v)) return v;
  std::u32string collapsed;
  for (char32_t cp : s) {
    if (collapsed.empty() || collapsed.back() != cp) collapsed.push_back(cp);
  }
  if (auto v = parse_number(collapsed); in_range(v)) return v;
  return std::nullopt;
}

namespace {
// `word` opens the text (as written, or with repeats collapsed) and at most two characters follow.
bool command_match(std::string_view compacted, std::string_view collapsed, std::string_view word) {
  for (std::string_view s : {compacted, collapsed}) {
    if (s.substr(0, word.size()) != word) continue;
    if (code_points(s.substr(word.size())) <= 2) return true;
  }
  return false;
}
}  // namespace

bool is_command(std::string_view compacted, std::string_view word) {
  return command_match(compacted, collapse_repeats(compacted), word);
}

bool is_any_command(std::string_view compacted, std::string_view collapsed, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return command_match(compacted, collapsed, w); });
}

bool contains_any(std::string_view s, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return !w.empty() && s.find(w) != std::string_view::npos;
  });
}

std::optional<std::string> strip_leading_word(std::string_view s,
                                              const std::vector<std::string>& words) {
  for (std::string_view lead : {"我要", "我想", "我"}) {
    if (s.substr(0, lead.size()) == lead) {
      if (auto r = strip_leading_word(s.substr(lead.size()), words)) return r;
    }
  }
  for (const auto& w : words) {
    if (w.empty() || s.substr(0, w.size()) != w) continue;
    return std::string(trim_separators(s.substr(w.size())));
  }
  return std::nullopt;
}

std::string_view trim_separators(std::string_view rest) {
  for (bool again = true; again;) {
    again = false;
    for (std::string_view sep : {" ", "：", ":", "，", ",", "。", "、", "!", "！", "-"}) {
      if (rest.substr(0, sep.size()) == sep) {
        rest.remove_prefix(sep.size());
        again = true;
      }
    }
  }
  return rest;
}

}  // namespace lianxin::workflow::intake::text
