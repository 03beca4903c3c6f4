#pragma once
// Internal to the command parser: the small recognisers it is built from — case numbers with
// their position, working-day counts, rating words, departments and deputies named loosely.
// Inputs are text::normalize()d (full-width digits and letters already ASCII).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/case.hpp"
#include "workflow/roster.hpp"

namespace lianxin::workflow::commands::lexicon {

struct case_hit {
  std::string number;  // canonical "RN-20261128-0042"
  std::size_t begin = 0, end = 0;
};
// Every case number in order: 2–4 letters (any case), then 12 digits with optional dashes or
// spaces between the date and the sequence.
std::vector<case_hit> find_case_numbers(std::string_view s);

// A space or a Chinese or ASCII separator (：，。、；！- …) at the start of s.
bool starts_with_separator(std::string_view s);

// Cuts [begin, end) out of s, leaving one space so the words either side stay apart.
std::string cut(std::string_view s, std::size_t begin, std::size_t end);

// The first "7天", "7个工作日", "三天", "十个工作日内", "5日" in s: the count, and s without it.
// leading_only: only at the start, so "交通局 尽快，群众等了三天" keeps its three days as words.
struct days_hit {
  int days = 0;
  std::string rest;
};
std::optional<days_hit> take_days(std::string_view s, bool leading_only);

// A rating word or digit at the start of s ("满意", "基本满意", "不满意", "1"–"3", "①"…),
// followed by the end, a separator, or at most two filler characters ("满意了"). `rest` is the
// text after the separator (a resident's "不满意，路还是坑" keeps "路还是坑" as the reason).
struct rating_hit {
  rating value = rating::satisfied;
  std::string rest;
};
std::optional<rating_hit> take_rating(std::string_view s);
// The catalogue's words for a rating, for confirmations.
const char* rating_label(rating r);

// s without leading separators and one leading label such as "原因：" or "办理结果：".
std::string strip_label(std::string_view s, const std::vector<std::string_view>& labels);

// The first word of s (up to a space or a comma-like separator) and the remainder.
std::pair<std::string, std::string> first_word(std::string_view s);

// A department named by id, by full name, or loosely ("交通局", "交通" for 县交通运输局): the
// county/township prefix and the office suffix (局, 委, 办, 中心…) are ignored on both sides.
struct department_match {
  std::vector<const department*> found;  // exactly one on success
  std::string query;                     // the words taken as the department's name
  std::string rest;                      // what followed the name
};
department_match match_department(const roster& people, std::string_view s);

// A deputy named by code ("D0456", "d0456") or by exact name at the start of s.
struct deputy_match {
  const deputy* found = nullptr;
  std::string query;
  std::string rest;
};
deputy_match match_deputy(const roster& people, std::string_view s);

}  // namespace lianxin::workflow::commands::lexicon
