#include "workflow/calendar.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace lianxin::workflow {

std::int64_t days_from_civil(civil_date d) {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

civil_date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

civil_date add_days(civil_date d, std::int64_t n) { return civil_from_days(days_from_civil(d) + n); }

int iso_weekday(civil_date d) {
  const std::int64_t z = days_from_civil(d);  // 1970-01-01 was a Thursday (4)
  const std::int64_t w = ((z % 7) + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(w) + 1;
}

bool valid_date(civil_date d) {
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  return civil_from_days(days_from_civil(d)) == d;
}

std::optional<civil_date> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  civil_date d{num(0, 4), num(5, 2), num(8, 2)};
  if (d.year < 0 || d.month < 0 || d.day < 0 || !valid_date(d)) return std::nullopt;
  return d;
}

std::string format_date(civil_date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string format_date_compact(civil_date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
  return buf;
}

namespace {
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

civil_date local_date(std::int64_t unix_seconds) {
  return civil_from_days(floor_div(unix_seconds + china_utc_offset_seconds, seconds_per_day));
}

int local_seconds_of_day(std::int64_t unix_seconds) {
  const std::int64_t local = unix_seconds + china_utc_offset_seconds;
  return static_cast<int>(local - floor_div(local, seconds_per_day) * seconds_per_day);
}

std::int64_t local_to_unix(civil_date d, int hour, int minute, int second) {
  return days_from_civil(d) * seconds_per_day + hour * 3600 + minute * 60 + second -
         china_utc_offset_seconds;
}

result<working_calendar> working_calendar::from_json(const nlohmann::json& j) {
  auto fail = [](std::string path, std::string what) {
    return make_error(errc::invalid_config, path + ": " + what);
  };
  if (!j.is_object() || !j.contains("years") || !j["years"].is_object())
    return fail("years", "missing or not an object");
  working_calendar cal;
  for (const auto& [year_key, year] : j["years"].items()) {
    const std::string yp = "years." + year_key;
    int y = 0;
    if (year_key.size() != 4 || std::sscanf(year_key.c_str(), "%d", &y) != 1)
      return fail(yp, "year key must be four digits");
    if (!year.is_object()) return fail(yp, "not an object");
    cal.years_[y] = year.value("source", "");
    if (!year.contains("holidays") || !year["holidays"].is_array())
      return fail(yp + ".holidays", "missing or not an array");
    const auto& hs = year["holidays"];
    for (std::size_t i = 0; i < hs.size(); ++i) {
      const std::string hp = yp + ".holidays[" + std::to_string(i) + "]";
      const auto& h = hs[i];
      if (!h.is_object()) return fail(hp, "not an object");
      if (!h.contains("name") || !h["name"].is_string()) return fail(hp + ".name", "missing string");
      const std::string name = h["name"];
      auto date_at = [&](const nlohmann::json& v, const std::string& p) -> result<civil_date> {
        if (!v.is_string()) return fail(p, "not a date string");
        auto d = parse_date(v.get<std::string>());
        if (!d) return fail(p, "not a date \"" + v.get<std::string>() + "\" (want YYYY-MM-DD)");
        if (d->year < y - 1 || d->year > y + 1) return fail(p, "date is far from year " + year_key);
        return *d;
      };
      if (!h.contains("from")) return fail(hp + ".from", "missing");
      auto from = date_at(h["from"], hp + ".from");
      if (!from) return from.err();
      auto to = date_at(h.value("to", h["from"]), hp + ".to");
      if (!to) return to.err();
      if (*to < *from) return fail(hp + ".to", "before from");
      if (days_from_civil(*to) - days_from_civil(*from) > 14) return fail(hp + ".to", "holiday longer than 15 days");
      for (civil_date d = *from; d <= *to; d = add_days(d, 1)) cal.days_[d] = day_info{true, name};
      holiday entry{name, *from, *to, {}};
      if (h.contains("make_up")) {
        if (!h["make_up"].is_array()) return fail(hp + ".make_up", "not an array");
        for (std::size_t k = 0; k < h["make_up"].size(); ++k) {
          const std::string mp = hp + ".make_up[" + std::to_string(k) + "]";
          auto d = date_at(h["make_up"][k], mp);
          if (!d) return d.err();
          if (iso_weekday(*d) < 6) return fail(mp, format_date(*d) + " is a weekday, not a make-up weekend day");
          cal.days_[*d] = day_info{false, name};
          entry.make_up.push_back(*d);
        }
      }
      cal.holidays_[y].push_back(std::move(entry));
    }
  }
  return cal;
}

nlohmann::json working_calendar::to_json() const {
  nlohmann::json years = nlohmann::json::object();
  for (const auto& [y, source] : years_) {
    nlohmann::json hs = nlohmann::json::array();
    auto it = holidays_.find(y);
    if (it != holidays_.end()) {
      for (const auto& h : it->second) {
        nlohmann::json hj{{"name", h.name}, {"from", format_date(h.from)}, {"to", format_date(h.to)}};
        if (!h.make_up.empty()) {
          hj["make_up"] = nlohmann::json::array();
          for (auto d : h.make_up) hj["make_up"].push_back(format_date(d));
        }
        hs.push_back(hj);
      }
    }
    nlohmann::json yj{{"holidays", hs}};
    if (!source.empty()) yj["source"] = source;
    years[std::to_string(y)] = yj;
  }
  return {{"time_zone", "Asia/Shanghai"}, {"years", years}};
}

std::vector<int> working_calendar::uncovered_years(civil_date from, civil_date to) const {
  std::vector<int> out;
  for (int y = from.year; y <= to.year; ++y)
    if (!covers(y)) out.push_back(y);
  return out;
}

bool working_calendar::is_working_day(civil_date d) const {
  auto it = days_.find(d);
  if (it != days_.end()) return !it->second.off;
  return iso_weekday(d) <= 5;
}

std::optional<std::string> working_calendar::holiday_name(civil_date d) const {
  auto it = days_.find(d);
  if (it != days_.end() && it->second.off) return it->second.holiday;
  return std::nullopt;
}

civil_date working_calendar::add_working_days(civil_date d, int n) const {
  if (n == 0) {
    while (!is_working_day(d)) d = add_days(d, 1);
    return d;
  }
  const int step = n > 0 ? 1 : -1;
  for (int left = n > 0 ? n : -n; left > 0;) {
    d = add_days(d, step);
    if (is_working_day(d)) --left;
  }
  return d;
}

int working_calendar::working_days_between(civil_date from, civil_date to) const {
  if (to < from) return -working_days_between(to, from);
  int n = 0;
  for (civil_date d = add_days(from, 1); d <= to; d = add_days(d, 1))
    if (is_working_day(d)) ++n;
  return n;
}

std::int64_t working_calendar::deadline_after(std::int64_t unix_seconds, int working_days) const {
  const civil_date last = add_working_days(local_date(unix_seconds), working_days < 1 ? 1 : working_days);
  return local_to_unix(add_days(last, 1));
}

std::int64_t working_calendar::working_morning(civil_date d, int n_before, int hour) const {
  return local_to_unix(add_working_days(d, -n_before), hour);
}

}  // namespace lianxin::workflow
