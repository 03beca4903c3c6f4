#include "workflow/privacy.hpp"

#include <cstdint>
#include <vector>

namespace lianxin::privacy {
namespace {

struct digit_at {
  char digit;        // ASCII '0'..'9' or 'X'
  std::size_t begin;  // byte offset in the input
  std::size_t end;
};

// Reads one code point that is a digit (ASCII or full-width U+FF10..U+FF19, or X/x/Ｘ which
// can end an ID number). Returns 0 if the code point at `i` is not one.
char digit_at_pos(std::string_view s, std::size_t i, std::size_t& len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c >= '0' && c <= '9') {
    len = 1;
    return static_cast<char>(c);
  }
  if (c == 'X' || c == 'x') {
    len = 1;
    return 'X';
  }
  // Full-width digits are EF BC 90..99; full-width X is EF BC B8, x is EF BD 98.
  if (c == 0xEF && i + 2 < s.size()) {
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
    if (c1 == 0xBC && c2 >= 0x90 && c2 <= 0x99) {
      len = 3;
      return static_cast<char>('0' + (c2 - 0x90));
    }
    if ((c1 == 0xBC && c2 == 0xB8) || (c1 == 0xBD && c2 == 0x98)) {
      len = 3;
      return 'X';
    }
  }
  return 0;
}

bool is_separator(std::string_view s, std::size_t i, std::size_t& len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '-') {
    len = 1;
    return true;
  }
  // Full-width space U+3000 (E3 80 80) and full-width hyphen U+FF0D (EF BC 8D).
  if (i + 2 < s.size()) {
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    auto c2 = static_cast<unsigned char>(s[i + 2]);
    if ((c == 0xE3 && c1 == 0x80 && c2 == 0x80) || (c == 0xEF && c1 == 0xBC && c2 == 0x8D)) {
      len = 3;
      return true;
    }
  }
  return false;
}

bool is_mobile(std::string_view d) {
  return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' &&
         d.find('X') == std::string_view::npos;
}

bool is_id_number(std::string_view d) {
  if (d.size() != 18 && d.size() != 15) return false;
  auto x = d.find('X');
  return x == std::string_view::npos || x == d.size() - 1;
}

// The masked form of a digit run, or empty when the run is not personal data.
std::string mask_run(std::string_view d) {
  if (is_mobile(d)) return mask_phone(d);
  if (d.size() == 13 && d.substr(0, 2) == "86" && is_mobile(d.substr(2))) {
    return mask_phone(d.substr(2));
  }
  if (is_id_number(d)) {
    std::string out(d.substr(0, 4));
    out.append(d.size() - 8, '*');
    out.append(d.substr(d.size() - 4));
    return out;
  }
  return {};
}

template <class OnRun>
void scan(std::string_view s, OnRun&& on_run) {
  std::size_t i = 0;
  while (i < s.size()) {
    // Fast skip: a run can only start at an ASCII digit or at EF (a full-width digit's lead).
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < '0' || c > '9') && c != 0xEF) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    char d = digit_at_pos(s, i, len);
    if (d == 0 || d == 'X') {
      i += (len ? len : 1);
      continue;
    }
    // A run must not continue a longer alphanumeric token on the left: "RN-2026..." is fine,
    // but we only start at a digit.
    std::size_t run_begin = i;
    if (run_begin > 0 && s[run_begin - 1] == '+') --run_begin;
    std::string digits;
    std::size_t run_end = i;
    std::size_t j = i;
    while (j < s.size()) {
      std::size_t l = 0;
      char dj = digit_at_pos(s, j, l);
      if (dj != 0) {
        // 'X' only counts as the last character of an ID number.
        if (dj == 'X' && digits.size() != 17 && digits.size() != 14) break;
        digits.push_back(dj);
        j += l;
        run_end = j;
        if (dj == 'X') break;
        continue;
      }
      std::size_t sl = 0;
      if (!digits.empty() && is_separator(s, j, sl) && j + sl < s.size()) {
        std::size_t l2 = 0;
        char next = digit_at_pos(s, j + sl, l2);
        if (next != 0 && next != 'X') {
          j += sl;
          continue;
        }
      }
      break;
    }
    on_run(run_begin, run_end, digits);
    i = run_end > i ? run_end : i + 1;
  }
}

}  // namespace

std::string mask_phone(std::string_view digits) {
  if (digits.size() < 7) return std::string(digits.size(), '*');
  std::string out(digits.substr(0, 3));
  out.append(digits.size() - 7, '*');
  out.append(digits.substr(digits.size() - 4));
  return out;
}

std::string mask_pii(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t copied = 0;
  scan(s, [&](std::size_t b, std::size_t e, const std::string& digits) {
    std::string masked = mask_run(digits);
    if (masked.empty()) return;
    out.append(s.substr(copied, b - copied));
    out.append(masked);
    copied = e;
  });
  out.append(s.substr(copied));
  return out;
}

bool contains_pii(std::string_view s) {
  bool found = false;
  scan(s, [&](std::size_t, std::size_t, const std::string& digits) {
    if (!found && !mask_run(digits).empty()) found = true;
  });
  return found;
}

}  // namespace lianxin::privacy
