#include "bot/api/stats_api.hpp"

#include "bot/api/case_view.hpp"
#include "bot/api/cases_api.hpp"
#include "bot/api/xlsx.hpp"
#include "bot/config/reader.hpp"
#include "bot/core/log.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/redis/client.hpp"
#include "workflow/calendar.hpp"
#include "workflow/exports.hpp"
#include "workflow/stats.hpp"

#include <algorithm>
#include <set>

namespace lianxin::api {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

constexpr std::int64_t kDay = 86400;
constexpr std::size_t kBatch = 200;     // cases per pipelined load
constexpr std::size_t kOpen311Max = 1000;  // GeoReport's customary cap on one answer
constexpr std::int64_t kOpen311Span = 90 * kDay;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

workflow::civil_date local_day(std::int64_t t, std::int64_t off) {
  return workflow::civil_from_days(floor_div(t + off, kDay));
}
std::int64_t local_midnight(workflow::civil_date d, std::int64_t off) { return workflow::days_from_civil(d) * kDay - off; }

struct period {
  workflow::civil_date from, to;  // both included
  std::int64_t begin = 0, end = 0;  // [begin, end) unix seconds
};

// from/to: YYYY-MM-DD local dates; default the last 30 days up to today.
std::optional<period> read_period(const std::map<std::string, std::string, std::less<>>& q, std::int64_t now,
                                  const stats_settings& s, std::string& field, std::string& problem) {
  period p;
  p.to = local_day(now, s.utc_offset_seconds);
  p.from = workflow::add_days(p.to, -29);
  bool has_from = false;
  for (const char* key : {"from", "to"}) {
    auto it = q.find(key);
    if (it == q.end()) continue;
    auto d = workflow::parse_date(it->second);
    if (!d) {
      field = key;
      problem = "must be a date YYYY-MM-DD";
      return std::nullopt;
    }
    (std::string_view(key) == "from" ? p.from : p.to) = *d;
    if (std::string_view(key) == "from") has_from = true;
  }
  if (!has_from && q.count("to")) p.from = workflow::add_days(p.to, -29);
  if (p.from > p.to) {
    field = "from";
    problem = "must not be after to";
    return std::nullopt;
  }
  if (workflow::days_from_civil(p.to) - workflow::days_from_civil(p.from) + 1 > s.max_span_days) {
    field = "to";
    problem = "the period may span at most " + std::to_string(s.max_span_days) + " days";
    return std::nullopt;
  }
  p.begin = local_midnight(p.from, s.utc_offset_seconds);
  p.end = local_midnight(workflow::add_days(p.to, 1), s.utc_offset_seconds);
  return p;
}

std::optional<std::string> unknown_param(const std::map<std::string, std::string, std::less<>>& q,
                                         std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : q) {
    if (std::find(known.begin(), known.end(), k) == known.end()) return k;
  }
  return std::nullopt;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

http::response file_response(const http::request& req, std::string body, const std::string& type,
                             const std::string& filename) {
  auto res = http::make_response(req, 200, std::move(body), type);
  res.set(bhttp::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

http::response unavailable(const http::request& req) {
  return api_error(req, 503, "storage_unavailable", "storage unavailable, retry later");
}

}  // namespace

stats_settings read_stats_settings(const config::config& cfg, int utc_offset_minutes) {
  stats_settings s;
  s.utc_offset_seconds = static_cast<std::int64_t>(utc_offset_minutes) * 60;
  const std::string file = cfg.source_file.empty() ? "(defaults)" : cfg.source_file;
  static const nlohmann::json empty = nlohmann::json::object();
  const auto& sec = cfg.raw.contains("stats") ? cfg.raw["stats"] : empty;
  if (!sec.is_object()) throw config::config_error(file + ": stats: must be an object");
  config::object_reader r(sec, "stats", file);
  int hours = 72;
  r.read("response_hours", hours, 1, 24 * 90);
  s.response_window_seconds = static_cast<std::int64_t>(hours) * 3600;
  r.read("max_span_days", s.max_span_days, 1, 3660);
  r.finish();
  return s;
}

stats_api::stats_api(redis::client& redis, const store::keys& keys, const auth& auth, flow::case_store& cases,
                     std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
                     std::function<std::int64_t()> now, stats_settings settings)
    : redis_(redis),
      keys_(keys),
      auth_(auth),
      cases_(cases),
      domain_(std::move(domain)),
      now_(std::move(now)),
      settings_(settings) {}

void stats_api::add_routes(http::router& r) {
  r.add(bhttp::verb::get, "/api/v1/stats", [this](http::request_context& ctx) { return stats(ctx); });
  r.add(bhttp::verb::get, "/api/v1/exports/cases.csv", [this](http::request_context& ctx) { return ledger(ctx, false); });
  r.add(bhttp::verb::get, "/api/v1/exports/cases.xlsx", [this](http::request_context& ctx) { return ledger(ctx, true); });
  r.add(bhttp::verb::get, "/api/v1/open311/requests.json", [this](http::request_context& ctx) { return open311(ctx); });
}

awaitable<std::optional<std::vector<workflow::case_record>>> stats_api::load_period(
    std::int64_t from, std::int64_t to, const std::function<bool(const workflow::case_record&)>& keep) {
  std::vector<std::string> cmd{"ZRANGEBYSCORE", keys_.make("cases"), std::to_string(from), "(" + std::to_string(to)};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok()) co_return std::nullopt;
  std::vector<std::string> numbers;
  for (const auto& e : r.v.elements()) numbers.push_back(e.text());
  std::vector<workflow::case_record> out;
  for (std::size_t i = 0; i < numbers.size(); i += kBatch) {
    std::vector<std::string> part(numbers.begin() + static_cast<std::ptrdiff_t>(i),
                                  numbers.begin() + static_cast<std::ptrdiff_t>(std::min(numbers.size(), i + kBatch)));
    auto loaded = co_await cases_.load_many(part);
    for (auto& c : loaded) {
      if (keep(c)) out.push_back(std::move(c));
    }
  }
  co_return out;
}

awaitable<http::response> stats_api::stats(http::request_context& ctx) {
  std::optional<http::response> refusal;
  auto p = co_await require_principal(auth_, ctx, refusal);
  if (!p) co_return std::move(*refusal);
  auto q = http::parse_query(ctx.query);
  if (auto k = unknown_param(q, {"from", "to", "by"})) {
    co_return api_error(ctx.req, 400, "bad_request", "unknown query parameter", *k);
  }
  workflow::stats::options o;
  o.now = now_();
  o.response_window_seconds = settings_.response_window_seconds;
  if (auto it = q.find("by"); it != q.end()) {
    auto g = workflow::stats::parse_grouping(it->second);
    if (!g) {
      co_return api_error(ctx.req, 400, "bad_request", "by is category, village, township, deputy or department", "by");
    }
    o.by = *g;
  }
  std::string field, problem;
  auto per = read_period(q, o.now, settings_, field, problem);
  if (!per) co_return api_error(ctx.req, 400, "bad_request", problem, field);

  const principal who = *p;
  std::function<bool(const workflow::case_record&)> keep = [who](const workflow::case_record& c) {
    return counts_in_stats(who, c);
  };
  auto cases = co_await load_period(per->begin, per->end, keep);
  if (!cases) co_return unavailable(ctx.req);
  auto dom = domain_();
  json body = workflow::stats::to_json(workflow::stats::summarise(*cases, o), dom->roster, o.by);
  body["period"] = {{"from", workflow::format_date(per->from)},
                    {"to", workflow::format_date(per->to)},
                    {"utc_offset_minutes", settings_.utc_offset_seconds / 60}};
  body["response_window_hours"] = settings_.response_window_seconds / 3600;
  body["generated_at"] = workflow::exports::iso_datetime(o.now, settings_.utc_offset_seconds);
  body["scope"] = {{"role", to_string(who.r)}, {"id", who.scope}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> stats_api::ledger(http::request_context& ctx, bool xlsx) {
  std::optional<http::response> refusal;
  auto p = co_await require_principal(auth_, ctx, refusal);
  if (!p) co_return std::move(*refusal);
  if (p->r == role::viewer) co_return api_error(ctx.req, 403, "forbidden", "this token sees statistics only");
  auto q = http::parse_query(ctx.query);
  if (auto k = unknown_param(q, {"from", "to"})) {
    co_return api_error(ctx.req, 400, "bad_request", "unknown query parameter", *k);
  }
  const std::int64_t now = now_();
  std::string field, problem;
  auto per = read_period(q, now, settings_, field, problem);
  if (!per) co_return api_error(ctx.req, 400, "bad_request", problem, field);

  const principal who = *p;
  std::function<bool(const workflow::case_record&)> keep = [who](const workflow::case_record& c) {
    return may_see(who, c);
  };
  auto cases = co_await load_period(per->begin, per->end, keep);
  if (!cases) co_return unavailable(ctx.req);
  auto dom = domain_();
  workflow::exports::label_fn label = [&dom](const std::string& key) { return dom->render({{key, {}}}); };
  workflow::exports::ledger_options lo;
  lo.now = now;
  lo.utc_offset_seconds = settings_.utc_offset_seconds;
  std::vector<std::vector<std::string>> rows{workflow::exports::ledger_header()};
  for (const auto& c : *cases) rows.push_back(workflow::exports::ledger_row(c, dom->roster, label, lo));
  const std::string name = "cases-" + workflow::format_date(per->from) + "-" + workflow::format_date(per->to);
  log::req(log::level::info, "api", ctx.request_id, who.describe(), " exported ", cases->size(), " cases as ",
           xlsx ? "xlsx" : "csv");
  if (!xlsx) {
    co_return file_response(ctx.req, workflow::exports::to_csv(rows), "text/csv; charset=utf-8", name + ".csv");
  }
  static const std::vector<double> widths{18, 17, 10, 10, 12, 50, 10, 18, 10, 17, 12, 17, 9, 9};
  std::string error;
  auto book = xlsx_workbook("台账", rows, widths, error);
  if (!book) {
    log::req(log::level::error, "api", ctx.request_id, "xlsx export failed: ", error);
    co_return api_error(ctx.req, 500, "internal", "the workbook could not be written");
  }
  co_return file_response(ctx.req, std::move(*book),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
}

awaitable<http::response> stats_api::open311(http::request_context& ctx) {
  std::optional<http::response> refusal;
  auto p = co_await require_principal(auth_, ctx, refusal);
  if (!p) co_return std::move(*refusal);
  if (p->r != role::admin && p->r != role::viewer) {
    co_return api_error(ctx.req, 403, "forbidden", "Open311 exchange is for admin and viewer tokens");
  }
  auto q = http::parse_query(ctx.query);
  if (auto k = unknown_param(q, {"start_date", "end_date", "status", "service_code", "jurisdiction_id"})) {
    co_return api_error(ctx.req, 400, "bad_request", "unknown query parameter", *k);
  }
  const std::int64_t now = now_();
  const auto off = settings_.utc_offset_seconds;
  std::optional<std::int64_t> start, end;
  for (const char* key : {"start_date", "end_date"}) {
    auto it = q.find(key);
    if (it == q.end()) continue;
    auto t = workflow::exports::parse_iso_datetime(it->second, off);
    if (!t) co_return api_error(ctx.req, 400, "bad_request", "must be an ISO 8601 date or date-time", key);
    (std::string_view(key) == "start_date" ? start : end) = *t;
  }
  // Only start_date: the 90 days from it; neither: the last 90 days.
  if (!end) end = start ? *start + kOpen311Span : now;
  if (!start) start = *end - kOpen311Span;
  if (*start > *end) co_return api_error(ctx.req, 400, "bad_request", "must not be after end_date", "start_date");
  if (*end - *start > kOpen311Span) {
    co_return api_error(ctx.req, 400, "bad_request", "start_date and end_date may be at most 90 days apart", "end_date");
  }
  std::set<std::string> statuses, codes;
  if (auto it = q.find("status"); it != q.end()) {
    for (auto& s : split_list(it->second)) {
      if (s != "open" && s != "closed") co_return api_error(ctx.req, 400, "bad_request", "status is open or closed", "status");
      statuses.insert(s);
    }
  }
  if (auto it = q.find("service_code"); it != q.end()) {
    for (auto& s : split_list(it->second)) codes.insert(s);
  }
  std::function<bool(const workflow::case_record&)> keep = [statuses, codes](const workflow::case_record& c) {
    if (!statuses.empty() && !statuses.count(c.is_open() ? "open" : "closed")) return false;
    return codes.empty() || codes.count(c.category) > 0;
  };
  // end_date is inclusive: a request filed at that very second is in.
  auto cases = co_await load_period(*start, *end + 1, keep);
  if (!cases) co_return unavailable(ctx.req);
  std::sort(cases->begin(), cases->end(), [](const workflow::case_record& a, const workflow::case_record& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.number > b.number;
  });
  if (cases->size() > kOpen311Max) cases->resize(kOpen311Max);
  auto dom = domain_();
  workflow::exports::label_fn label = [&dom](const std::string& key) { return dom->render({{key, {}}}); };
  json out = json::array();
  for (const auto& c : *cases) out.push_back(workflow::exports::open311_request(c, dom->roster, label, off));
  co_return http::json_response(ctx.req, 200, out.dump());
}

}  // namespace lianxin::api
