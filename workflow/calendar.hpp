#pragma once
// Civil dates in China's single time zone and the statutory working-day calendar (days off
// plus the make-up working weekends, 调休). Deadlines in the workflow are counted in working
// days, as 12345 hotlines and congress offices count them.
//
// Asia/Shanghai has had no DST since 1991, so local time is UTC+08:00 and we convert unix
// seconds ourselves instead of depending on the host's tzdata.
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "workflow/result.hpp"

namespace lianxin::workflow {

inline constexpr std::int64_t china_utc_offset_seconds = 8 * 3600;
inline constexpr std::int64_t seconds_per_day = 86400;

struct civil_date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const civil_date&) const = default;
};

// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
std::int64_t days_from_civil(civil_date d);
civil_date civil_from_days(std::int64_t days);
civil_date add_days(civil_date d, std::int64_t n);
// 1 = Monday … 7 = Sunday (ISO).
int iso_weekday(civil_date d);
bool valid_date(civil_date d);

// "2026-02-15" <-> civil_date. Parsing is strict (zero-padded, valid day of month).
std::optional<civil_date> parse_date(std::string_view text);
std::string format_date(civil_date d);
// "20260215", used in case numbers.
std::string format_date_compact(civil_date d);

// Local (UTC+8) civil date of a unix time, and the unix time of a local wall-clock moment.
civil_date local_date(std::int64_t unix_seconds);
int local_seconds_of_day(std::int64_t unix_seconds);
std::int64_t local_to_unix(civil_date d, int hour = 0, int minute = 0, int second = 0);

class working_calendar {
 public:
  // An empty calendar: Mon–Fri for every year, no year covered.
  working_calendar() = default;

  // {"years": {"2026": {"source": "...", "holidays": [{"name": "春节", "from": "2026-02-15",
  //   "to": "2026-02-23", "make_up": ["2026-02-14", "2026-02-28"]}, ...]}}}
  // Errors name the JSON path, e.g. `years.2026.holidays[1].from: not a date "2026-2-15"`.
  static result<working_calendar> from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  // Whether the file has the official arrangement for this year. For a year it does not
  // cover the calendar falls back to Mon–Fri, and the shell should warn the admin.
  bool covers(int year) const { return years_.count(year) != 0; }
  // Years in [from.year, to.year] that the calendar does not cover.
  std::vector<int> uncovered_years(civil_date from, civil_date to) const;

  bool is_working_day(civil_date d) const;
  // Name of the holiday a day off belongs to ("春节"), or nothing.
  std::optional<std::string> holiday_name(civil_date d) const;

  // The n-th working day strictly after `d` (n >= 1); n == 0 gives d itself if it is a working
  // day, else the next working day. Negative n counts backwards (strictly before d).
  civil_date add_working_days(civil_date d, int n) const;
  // Number of working days in the half-open range (from, to]; negative when to < from.
  int working_days_between(civil_date from, civil_date to) const;

  // A deadline "within n working days" of a moment: the end (24:00 local) of the n-th working
  // day after the moment's local date. Assigned on a Saturday, the count starts on Monday.
  std::int64_t deadline_after(std::int64_t unix_seconds, int working_days) const;
  // `hour`:00 local on the working day that is `n` working days before (n < 0: after) the
  // given date; used for reminders and escalation so they land in office hours.
  std::int64_t working_morning(civil_date d, int n_before, int hour) const;

 private:
  struct day_info {
    bool off = false;  // true: holiday day off; false: make-up working day
    std::string holiday;
  };
  std::map<civil_date, day_info> days_;
  std::map<int, std::string> years_;  // year -> the notice it comes from
  struct holiday {
    std::string name;
    civil_date from, to;
    std::vector<civil_date> make_up;
  };
  std::map<int, std::vector<holiday>> holidays_;  // kept as written, for to_json
};

}  // namespace lianxin::workflow
