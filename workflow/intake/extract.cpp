// Extraction of structured values (phone, case number, deputy code) from normalized text.
// normalize() has already mapped full-width digits and letters to ASCII, so these scans only
// deal with ASCII digits and the separators residents put between them.
#include <cctype>

#include "workflow/intake/text.hpp"

namespace lianxin::workflow::intake::text {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Labels residents write before a number; the longest first so "手机号码是" wins over "手机".
constexpr std::string_view phone_labels[] = {
    "联系电话是", "联系电话", "联系方式是", "联系方式", "手机号码是", "手机号码", "手机号是",
    "手机号",     "电话号码", "电话是",     "手机是",   "电话",     "手机",     "号码"};

constexpr std::string_view separators[] = {" ", "：", ":", "，", ",", "、", "；", ";", "。"};

std::size_t skip_back(std::string_view s, std::size_t pos) {
  for (bool again = true; again;) {
    again = false;
    for (auto sep : separators) {
      if (ends_with(s.substr(0, pos), sep)) {
        pos -= sep.size();
        again = true;
      }
    }
  }
  return pos;
}

}  // namespace

std::optional<phone_match> find_phone(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;
    std::string digits;
    std::size_t j = i, end = i;
    while (j < s.size()) {
      if (is_digit(s[j])) {
        digits.push_back(s[j++]);
        end = j;
      } else if ((s[j] == ' ' || s[j] == '-') && j + 1 < s.size() && is_digit(s[j + 1]) &&
                 !digits.empty()) {
        ++j;
      } else {
        break;
      }
    }
    std::size_t begin = i;
    if (begin > 0 && s[begin - 1] == '+') --begin;
    if (digits.size() == 13 && digits.rfind("86", 0) == 0) digits.erase(0, 2);
    if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3') {
      i = end;
      continue;
    }
    // Widen the cut to the label and the separators around it.
    std::size_t b = skip_back(s, begin);
    for (auto label : phone_labels) {
      if (ends_with(s.substr(0, b), label)) {
        b = skip_back(s, b - label.size());
        break;
      }
    }
    return phone_match{digits, b, end};
  }
  return std::nullopt;
}

std::string cut(std::string_view s, std::size_t begin, std::size_t end) {
  std::string left(s.substr(0, begin));
  std::string_view right = s.substr(end);
  for (bool again = true; again;) {
    again = false;
    for (auto sep : separators) {
      if (right.substr(0, sep.size()) == sep) {
        right.remove_prefix(sep.size());
        again = true;
      }
    }
  }
  if (!left.empty() && !right.empty()) left += "，";
  left += right;
  return normalize(left);
}

std::optional<std::string> find_case_number(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!std::isalpha(static_cast<unsigned char>(s[i])) ||
        (i > 0 && std::isalpha(static_cast<unsigned char>(s[i - 1])))) {
      continue;
    }
    std::size_t j = i;
    std::string prefix;
    while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j])) && prefix.size() < 5) {
      prefix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[j++]))));
    }
    if (prefix.size() < 2 || prefix.size() > 4) continue;
    std::string digits;
    while (j < s.size() && (is_digit(s[j]) || s[j] == '-' || s[j] == ' ') && digits.size() < 12) {
      if (is_digit(s[j])) digits.push_back(s[j]);
      ++j;
    }
    if (digits.size() == 12 && (j >= s.size() || !is_digit(s[j]))) {
      return prefix + "-" + digits.substr(0, 8) + "-" + digits.substr(8);
    }
  }
  return std::nullopt;
}

std::optional<deputy_request> find_deputy_request(std::string_view s) {
  if (s.find("代表") == std::string_view::npos) return std::nullopt;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != 'D' && s[i] != 'd') continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]))) continue;
    std::size_t j = i + 1;
    if (j < s.size() && s[j] == ' ') ++j;
    std::size_t start = j;
    while (j < s.size() && is_digit(s[j])) ++j;
    std::size_t n = j - start;
    if (n < 3 || n > 6 || (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j])))) {
      continue;
    }
    std::string rest(s.substr(j));
    if (rest.rfind("代表", 0) == 0) rest.erase(0, 6);
    return deputy_request{"D" + std::string(s.substr(start, n)), normalize(trim_separators(rest))};
  }
  return std::nullopt;
}

}  // namespace lianxin::workflow::intake::text
