#pragma once
// When the digests go out: "mon 09:00" (weekly: a weekday and a local time) and "1 09:00"
// (monthly: a day of the month 1..28 and a local time). Pure: occurrences are computed from
// a unix time and the tenant's UTC offset; the shell keeps the next due time in Redis.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lianxin::workflow {

struct digest_schedule {
  enum class kind { weekly, monthly } every = kind::weekly;
  int day = 1;     // weekly: 1 = Monday … 7 = Sunday; monthly: 1..28
  int minute = 0;  // minutes after local midnight
  bool operator==(const digest_schedule&) const = default;
};

// Weekly: "mon 09:00" (mon tue wed thu fri sat sun). Monthly: "1 09:00" (1..28, so every
// month has the day). nullopt when malformed; `why` says what is wrong.
std::optional<digest_schedule> parse_weekly(std::string_view s, std::string* why = nullptr);
std::optional<digest_schedule> parse_monthly(std::string_view s, std::string* why = nullptr);

// The latest occurrence at or before `now`, and the first one strictly after it.
std::int64_t latest_occurrence(const digest_schedule& s, std::int64_t now, std::int64_t utc_offset_seconds);
std::int64_t next_occurrence(const digest_schedule& s, std::int64_t now, std::int64_t utc_offset_seconds);

// The period an occurrence belongs to, for "sent once per period" keys: "2026-W48" (ISO week)
// or "2026-12".
std::string period_label(const digest_schedule& s, std::int64_t occurrence, std::int64_t utc_offset_seconds);

}  // namespace lianxin::workflow
