#include "workflow/schedule.hpp"

#include "workflow/calendar.hpp"

#include <cstdio>

namespace lianxin::workflow {
namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// "09:00" → minutes, or -1.
int parse_hhmm(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return -1;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  return h > 23 || m > 59 ? -1 : h * 60 + m;
}

std::optional<digest_schedule> fail(std::string* why, const char* text) {
  if (why) *why = text;
  return std::nullopt;
}

civil_date local_day(std::int64_t unix_seconds, std::int64_t off) {
  return civil_from_days(floor_div(unix_seconds + off, kDay));
}

std::int64_t at_local(civil_date d, int minute, std::int64_t off) { return days_from_civil(d) * kDay + minute * 60 - off; }

civil_date month_day(int year, int month, int day) {
  while (month < 1) {
    month += 12;
    --year;
  }
  while (month > 12) {
    month -= 12;
    ++year;
  }
  return civil_date{year, month, day};
}

}  // namespace

std::optional<digest_schedule> parse_weekly(std::string_view s, std::string* why) {
  static const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  auto sp = s.find(' ');
  if (sp == std::string_view::npos) return fail(why, "must be \"<weekday> HH:MM\", e.g. \"mon 09:00\"");
  digest_schedule d;
  d.every = digest_schedule::kind::weekly;
  d.day = 0;
  for (int i = 0; i < 7; ++i) {
    if (s.substr(0, sp) == days[i]) d.day = i + 1;
  }
  if (d.day == 0) return fail(why, "the weekday must be one of mon tue wed thu fri sat sun");
  d.minute = parse_hhmm(s.substr(sp + 1));
  if (d.minute < 0) return fail(why, "the time must be HH:MM (00:00-23:59)");
  return d;
}

std::optional<digest_schedule> parse_monthly(std::string_view s, std::string* why) {
  auto sp = s.find(' ');
  if (sp == std::string_view::npos || sp == 0 || sp > 2) {
    return fail(why, "must be \"<day of month> HH:MM\", e.g. \"1 09:00\"");
  }
  digest_schedule d;
  d.every = digest_schedule::kind::monthly;
  d.day = 0;
  for (char ch : s.substr(0, sp)) {
    if (ch < '0' || ch > '9') return fail(why, "the day of the month must be a number 1..28");
    d.day = d.day * 10 + (ch - '0');
  }
  if (d.day < 1 || d.day > 28) return fail(why, "the day of the month must be 1..28 (every month has it)");
  d.minute = parse_hhmm(s.substr(sp + 1));
  if (d.minute < 0) return fail(why, "the time must be HH:MM (00:00-23:59)");
  return d;
}

std::int64_t latest_occurrence(const digest_schedule& s, std::int64_t now, std::int64_t off) {
  const civil_date today = local_day(now, off);
  if (s.every == digest_schedule::kind::weekly) {
    const int back = (iso_weekday(today) - s.day + 7) % 7;
    std::int64_t t = at_local(add_days(today, -back), s.minute, off);
    if (t > now) t -= 7 * kDay;
    return t;
  }
  std::int64_t t = at_local(month_day(today.year, today.month, s.day), s.minute, off);
  if (t > now) t = at_local(month_day(today.year, today.month - 1, s.day), s.minute, off);
  return t;
}

std::int64_t next_occurrence(const digest_schedule& s, std::int64_t now, std::int64_t off) {
  const std::int64_t last = latest_occurrence(s, now, off);
  if (s.every == digest_schedule::kind::weekly) return last + 7 * kDay;
  const civil_date d = local_day(last, off);
  return at_local(month_day(d.year, d.month + 1, s.day), s.minute, off);
}

std::string period_label(const digest_schedule& s, std::int64_t occurrence, std::int64_t off) {
  const civil_date d = local_day(occurrence, off);
  char buf[16];
  if (s.every == digest_schedule::kind::monthly) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
    return buf;
  }
  // ISO week: the week's Thursday decides the year.
  const civil_date thursday = add_days(d, 4 - iso_weekday(d));
  const std::int64_t ordinal = days_from_civil(thursday) - days_from_civil(civil_date{thursday.year, 1, 1});
  std::snprintf(buf, sizeof buf, "%04d-W%02d", thursday.year, static_cast<int>(ordinal / 7 + 1));
  return buf;
}

}  // namespace lianxin::workflow
