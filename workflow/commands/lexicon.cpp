#include "workflow/commands/lexicon.hpp"

#include <algorithm>
#include <cctype>

#include "workflow/intake/text.hpp"

namespace lianxin::workflow::commands::lexicon {
namespace {

bool is_ascii_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Separators that may follow a word; the parser treats anything else as part of the word.
constexpr std::string_view separators[] = {" ", "：", ":", "，", ",", "。", "、", "；", ";", "！", "!", "-", "．", "."};

std::string trimmed(std::string_view s) {
  s = intake::text::trim_separators(s);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

// Numerals a chat user types for a day count: "7", "七", "十", "十五", "两".
constexpr std::string_view numerals[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                         "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "两"};
std::size_t numeral_at(std::string_view s, std::size_t i) {
  for (auto n : numerals)
    if (s.compare(i, n.size(), n) == 0) return n.size();
  return 0;
}

// Longest first: "个工作日" must win over "日".
constexpr std::string_view day_units[] = {"个工作日", "个工作天", "工作日", "个工日", "天", "日"};

// The office suffixes and place prefixes ignored when a department is named loosely.
constexpr std::string_view dept_prefixes[] = {"县", "市", "区", "镇", "乡"};
constexpr std::string_view dept_suffixes[] = {"委员会", "办公室", "管理局", "中心", "公司", "局", "委", "办", "所", "站", "队"};

std::string core_name(std::string_view n) {
  for (auto p : dept_prefixes)
    if (starts_with(n, p) && n.size() > p.size()) {
      n.remove_prefix(p.size());
      break;
    }
  for (auto s : dept_suffixes)
    if (n.size() > s.size() && n.substr(n.size() - s.size()) == s) {
      n.remove_suffix(s.size());
      break;
    }
  return std::string(n);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view office_suffix(std::string_view n) {
  for (auto s : dept_suffixes)
    if (n.size() > s.size() && n.substr(n.size() - s.size()) == s) return s;
  return {};
}

// Exact id or name first. Loosely, "交通局" should mean 县交通运输局 rather than 县交通执法大队
// or 县公安局交通警察大队: a core that starts with the query's core and the same kind of office
// (局 for 局) rank above a mere substring.
std::vector<const department*> departments_named(const roster& people, std::string_view q) {
  std::vector<const department*> exact, best;
  int best_score = -1;
  const std::string lq = lower(q), cq = core_name(q);
  const std::string_view qs = office_suffix(q);
  for (const auto& d : people.departments()) {
    if (lower(d.id) == lq || d.name == q) exact.push_back(&d);
    const std::string cd = core_name(d.name);
    // Only the department's core may be longer: a longer query ("水利局十个工作日内") is cut at
    // its office suffix by match_department instead.
    if (cq.empty() || cd.find(cq) == std::string::npos) continue;
    const int score = (starts_with(cd, cq) ? 2 : 0) + (!qs.empty() && office_suffix(d.name) == qs ? 1 : 0);
    if (score > best_score) best.clear(), best_score = score;
    if (score == best_score) best.push_back(&d);
  }
  return exact.empty() ? best : exact;
}

}  // namespace

bool starts_with_separator(std::string_view s) {
  return std::any_of(std::begin(separators), std::end(separators), [&](auto sep) { return starts_with(s, sep); });
}

std::vector<case_hit> find_case_numbers(std::string_view s) {
  std::vector<case_hit> hits;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_ascii_alpha(s[i]) || (i > 0 && is_ascii_alpha(s[i - 1]))) continue;
    std::size_t j = i;
    std::string prefix;
    while (j < s.size() && is_ascii_alpha(s[j]) && prefix.size() < 5)
      prefix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[j++]))));
    if (prefix.size() < 2 || prefix.size() > 4) continue;
    std::string digits;
    std::size_t last = j;  // one past the last digit, so trailing dashes or spaces stay outside
    while (j < s.size() && (is_ascii_digit(s[j]) || s[j] == '-' || s[j] == ' ') && digits.size() < 12) {
      if (is_ascii_digit(s[j])) {
        digits.push_back(s[j]);
        last = j + 1;
      }
      ++j;
    }
    if (digits.size() != 12 || (last < s.size() && is_ascii_digit(s[last]))) continue;
    hits.push_back({prefix + "-" + digits.substr(0, 8) + "-" + digits.substr(8), i, last});
    i = last - 1;
  }
  return hits;
}

std::string cut(std::string_view s, std::size_t begin, std::size_t end) {
  std::string out(s.substr(0, begin));
  out += ' ';
  out += s.substr(end);
  return intake::text::normalize(out);
}

std::optional<days_hit> take_days(std::string_view s, bool leading_only) {
  s = intake::text::trim_separators(s);
  for (std::size_t i = 0; i < s.size() && (i == 0 || !leading_only); ++i) {
    if (i > 0 && numeral_at(s, i - 1) == 1 && is_ascii_digit(s[i - 1])) continue;  // inside a number
    std::size_t j = i, n;
    while (j < s.size() && (n = numeral_at(s, j)) > 0) j += n;
    if (j == i) continue;
    std::size_t k = j;
    if (k < s.size() && s[k] == ' ') ++k;
    for (auto unit : day_units) {
      if (s.compare(k, unit.size(), unit) != 0) continue;
      auto value = intake::text::parse_choice(s.substr(i, j - i), 999);
      if (!value) break;
      std::string_view after = s.substr(k + unit.size());
      for (std::string_view within : {"以内", "之内", "内"})
        if (starts_with(after, within)) {
          after.remove_prefix(within.size());
          break;
        }
      std::string rest(s.substr(0, i));
      rest += ' ';
      rest += after;
      return days_hit{*value, intake::text::normalize(rest)};
    }
    i = j - 1;
  }
  return std::nullopt;
}

std::optional<rating_hit> take_rating(std::string_view s) {
  struct word { std::string_view text; rating value; };
  // Negations and qualifiers before the bare word, so "不满意" is never read as "满意".
  static constexpr word words[] = {
      {"非常不满意", rating::dissatisfied}, {"很不满意", rating::dissatisfied}, {"不太满意", rating::dissatisfied},
      {"不满意", rating::dissatisfied},     {"基本满意", rating::basically_satisfied},
      {"比较满意", rating::basically_satisfied}, {"一般", rating::basically_satisfied},
      {"还行", rating::basically_satisfied}, {"非常满意", rating::satisfied}, {"很满意", rating::satisfied},
      {"满意", rating::satisfied},          {"1", rating::satisfied}, {"2", rating::basically_satisfied},
      {"3", rating::dissatisfied},          {"一", rating::satisfied}, {"二", rating::basically_satisfied},
      {"三", rating::dissatisfied},         {"①", rating::satisfied}, {"②", rating::basically_satisfied},
      {"③", rating::dissatisfied}};
  s = intake::text::trim_separators(s);
  for (const auto& w : words) {
    if (!starts_with(s, w.text)) continue;
    std::string_view after = s.substr(w.text.size());
    if (after.empty() || starts_with_separator(after)) return rating_hit{w.value, trimmed(after)};
    // "满意了", "满意的": fillers after a word. A digit takes none ("一下" is not a rating) and a
    // longer tail ("满意度", "12") is something else.
    if (is_ascii_digit(after.front())) return std::nullopt;
    if (intake::text::code_points(after) <= 2 && intake::text::code_points(w.text) > 1) return rating_hit{w.value, ""};
    return std::nullopt;
  }
  return std::nullopt;
}

const char* rating_label(rating r) {
  switch (r) {
    case rating::satisfied: return "满意";
    case rating::basically_satisfied: return "基本满意";
    case rating::dissatisfied: return "不满意";
  }
  return "";
}

std::string strip_label(std::string_view s, const std::vector<std::string_view>& labels) {
  s = intake::text::trim_separators(s);
  for (auto l : labels)
    if (starts_with(s, l)) {
      std::string_view after = s.substr(l.size());
      if (after.empty() || starts_with_separator(after) || starts_with(after, "是")) {
        if (starts_with(after, "是")) after.remove_prefix(std::string_view("是").size());
        return trimmed(after);
      }
    }
  return trimmed(s);
}

std::pair<std::string, std::string> first_word(std::string_view s) {
  s = intake::text::trim_separators(s);
  for (std::size_t i = 0; i < s.size(); ++i)
    if (starts_with_separator(s.substr(i))) return {std::string(s.substr(0, i)), trimmed(s.substr(i))};
  return {std::string(s), ""};
}

department_match match_department(const roster& people, std::string_view s) {
  auto [word, rest] = first_word(s);
  department_match m{departments_named(people, word), word, rest};
  if (m.found.size() == 1 || word.empty()) return m;
  // "水利局尽快处理": no space after the name; try the word cut after each office suffix.
  for (std::size_t i = 0; i < word.size(); ++i)
    for (auto suffix : dept_suffixes)
      if (word.compare(i, suffix.size(), suffix) == 0) {
        const std::size_t end = i + suffix.size();
        if (end == word.size()) continue;
        auto found = departments_named(people, std::string_view(word).substr(0, end));
        if (found.size() == 1) {
          std::string tail = word.substr(end);
          if (!rest.empty()) tail += " " + rest;
          return {found, word.substr(0, end), trimmed(tail)};
        }
      }
  return m;
}

deputy_match match_deputy(const roster& people, std::string_view s) {
  s = intake::text::trim_separators(s);
  if (!s.empty() && (s[0] == 'D' || s[0] == 'd')) {
    std::size_t j = 1;
    while (j < s.size() && is_ascii_digit(s[j])) ++j;
    if (j >= 4) {
      std::string code = "D" + std::string(s.substr(1, j - 1));
      return {people.find_deputy(code), code, trimmed(s.substr(j))};
    }
  }
  const deputy* best = nullptr;
  for (const auto& d : people.deputies())
    if (!d.name.empty() && starts_with(s, d.name) && (!best || d.name.size() > best->name.size())) best = &d;
  if (best) {
    std::string_view after = s.substr(best->name.size());
    if (starts_with(after, "代表")) after.remove_prefix(std::string_view("代表").size());
    return {best, best->name, trimmed(after)};
  }
  auto [word, rest] = first_word(s);
  return {nullptr, word, rest};
}

}  // namespace lianxin::workflow::commands::lexicon
