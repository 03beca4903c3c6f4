#include "workflow/exports.hpp"

#include "workflow/calendar.hpp"
#include "workflow/privacy.hpp"
#include "workflow/stats.hpp"

#include <cstdio>

namespace lianxin::workflow::exports {
namespace {

using nlohmann::json;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct local_parts {
  civil_date date;
  int hour = 0, minute = 0, second = 0;
};

local_parts split(std::int64_t unix_seconds, std::int64_t offset) {
  const std::int64_t local = unix_seconds + offset;
  const std::int64_t days = floor_div(local, 86400);
  const std::int64_t sod = local - days * 86400;
  return {civil_from_days(days), static_cast<int>(sod / 3600), static_cast<int>(sod % 3600 / 60),
          static_cast<int>(sod % 60)};
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string name_or_id(const std::string& id, const std::string* name) { return name ? *name : id; }

std::string category_name(const roster& r, const std::string& id) {
  const auto* c = r.find_category(id);
  return name_or_id(id, c ? &c->name : nullptr);
}
std::string village_name(const roster& r, const std::string& id) {
  const auto* v = r.find_village(id);
  return name_or_id(id, v ? &v->name : nullptr);
}
std::string township_name(const roster& r, const std::string& id) {
  const auto* t = r.find_township(id);
  return name_or_id(id, t ? &t->name : nullptr);
}
std::string department_name(const roster& r, const std::string& id) {
  if (id.empty()) return {};
  const auto* d = r.find_department(id);
  return name_or_id(id, d ? &d->name : nullptr);
}
std::string deputy_name(const roster& r, const std::string& code) {
  if (code.empty()) return r.office().name;
  const auto* d = r.find_deputy(code);
  return name_or_id(code, d ? &d->name : nullptr);
}

}  // namespace

std::string iso_datetime(std::int64_t unix_seconds, std::int64_t utc_offset_seconds) {
  if (unix_seconds == 0) return {};
  auto p = split(unix_seconds, utc_offset_seconds);
  const std::int64_t off = utc_offset_seconds < 0 ? -utc_offset_seconds : utc_offset_seconds;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", p.date.year, p.date.month, p.date.day,
                p.hour, p.minute, p.second, utc_offset_seconds < 0 ? '-' : '+', static_cast<int>(off / 3600),
                static_cast<int>(off % 3600 / 60));
  return buf;
}

std::string local_datetime(std::int64_t unix_seconds, std::int64_t utc_offset_seconds) {
  if (unix_seconds == 0) return {};
  auto p = split(unix_seconds, utc_offset_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", p.date.year, p.date.month, p.date.day, p.hour, p.minute);
  return buf;
}

std::optional<std::int64_t> parse_iso_datetime(std::string_view s, std::int64_t utc_offset_seconds) {
  auto date = parse_date(s.substr(0, 10));
  if (!date) return std::nullopt;
  const std::int64_t midnight_utc = days_from_civil(*date) * 86400;
  if (s.size() == 10) return midnight_utc - utc_offset_seconds;
  int h = 0, m = 0, sec = 0;
  if (s.size() < 19 || s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, m) || s[16] != ':' ||
      !digits(s, 17, 2, sec) || h > 23 || m > 59 || sec > 60) {
    return std::nullopt;
  }
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {  // fractions of a second are accepted and dropped
    ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  const std::int64_t wall = midnight_utc + h * 3600 + m * 60 + sec;
  std::string_view zone = s.substr(i);
  if (zone.empty()) return wall - utc_offset_seconds;  // no zone: the tenant's local time
  if (zone == "Z") return wall;
  // "+08:00"; a '+' that arrived unescaped in a query string reads as a space.
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-' && zone[0] != ' ') || zone[3] != ':') return std::nullopt;
  int oh = 0, om = 0;
  if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 14 || om > 59) return std::nullopt;
  const std::int64_t off = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  return wall - off;
}

std::string cut_chars(std::string_view text, std::size_t chars) {
  std::size_t count = 0, i = 0;
  while (i < text.size()) {
    if (count == chars) return std::string(text.substr(0, i)) + "…";
    const unsigned char b = static_cast<unsigned char>(text[i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    i += len;
    ++count;
  }
  return std::string(text);
}

std::vector<std::string> ledger_header() {
  return {"编号",     "提出时间", "村",       "乡镇",     "类别",     "内容摘要", "代表",
          "承办部门", "状态",     "交办时间", "办理时限", "答复时间", "是否超期", "评价"};
}

std::vector<std::string> ledger_row(const case_record& c, const roster& r, const label_fn& label,
                                    const ledger_options& o) {
  std::string deadline;
  if (c.deadline_at > 0) {
    // Due by 24:00 of the last day: the ledger shows that day.
    deadline = format_date(split(c.deadline_at - 1, o.utc_offset_seconds).date);
  }
  std::string overdue;
  if (c.deadline_at > 0) overdue = stats::missed_deadline(c, o.now) ? "是" : "否";
  std::string rated;
  if (c.resident_rating) rated = label(std::string("rating.") + to_string(*c.resident_rating));
  return {c.number,
          local_datetime(c.created_at, o.utc_offset_seconds),
          village_name(r, c.village),
          township_name(r, c.township),
          category_name(r, c.category),
          cut_chars(privacy::mask_pii(c.text), o.summary_chars),
          deputy_name(r, c.deputy),
          department_name(r, c.department),
          label(std::string("status.") + to_string(c.state)),
          local_datetime(c.assigned_at, o.utc_offset_seconds),
          deadline,
          local_datetime(c.replied_at, o.utc_offset_seconds),
          overdue,
          rated};
}

std::string formula_safe(std::string_view value) {
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    return "'" + std::string(value);
  }
  return std::string(value);
}

std::string csv_cell(std::string_view value) {
  std::string v = formula_safe(value);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string to_csv(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += csv_cell(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

json open311_request(const case_record& c, const roster& r, const label_fn& label, std::int64_t utc_offset_seconds) {
  json j{{"service_request_id", c.number},
         {"status", c.is_open() ? "open" : "closed"},
         {"status_notes", label(std::string("status.") + to_string(c.state))},
         {"service_name", category_name(r, c.category)},
         {"service_code", c.category},
         {"description", privacy::mask_pii(c.text)},
         {"requested_datetime", iso_datetime(c.created_at, utc_offset_seconds)},
         {"updated_datetime", iso_datetime(c.updated_at ? c.updated_at : c.created_at, utc_offset_seconds)},
         {"address", township_name(r, c.township) + village_name(r, c.village)},
         {"address_id", c.village}};
  j["agency_responsible"] = c.department.empty() ? json(nullptr) : json(department_name(r, c.department));
  j["expected_datetime"] = c.deadline_at > 0 ? json(iso_datetime(c.deadline_at, utc_offset_seconds)) : json(nullptr);
  j["service_notice"] = nullptr;
  return j;
}

}  // namespace lianxin::workflow::exports
