#pragma once
// Summaries (汇总) and exports over the cases filed in a period (issue 7):
//
//   GET /api/v1/stats                   from, to (YYYY-MM-DD, the tenant's local dates, both
//                                       included; default the last 30 days up to today),
//                                       by = category | village | township | deputy | department
//   GET /api/v1/exports/cases.csv       the case ledger (台账), from/to as above
//   GET /api/v1/exports/cases.xlsx      the same ledger as an Excel workbook
//   GET /api/v1/open311/requests.json   Open311 GeoReport v2 requests: start_date, end_date
//                                       (ISO 8601; default the last 90 days, at most 90 days
//                                       apart), status (open, closed; comma list),
//                                       service_code (category ids; comma list); newest first,
//                                       at most 1000
//
// Every request needs "Authorization: Bearer <token>". Statistics: admin and viewer count
// every case, station / deputy / department the cases they may see (api::may_see). The
// ledger: admin, station, deputy and department, each its own cases (viewer: 403). Open311:
// admin and viewer. The figures are defined in workflow/stats.hpp; nothing returned carries
// a resident's personal data (case texts are masked, reporters never appear).
//
//   "stats": {"response_hours": 72}   the deputy's response window for the response rate
#include "bot/api/auth.hpp"
#include "bot/asio.hpp"
#include "bot/config/config.hpp"
#include "bot/http/router.hpp"
#include "workflow/case.hpp"

#include <functional>
#include <memory>

namespace lianxin::domain {
struct tenant_domain;
}
namespace lianxin::flow {
class case_store;
}

namespace lianxin::api {

struct stats_settings {
  std::int64_t response_window_seconds = 72 * 3600;  // stats.response_hours
  std::int64_t utc_offset_seconds = 8 * 3600;        // notify.utc_offset_minutes
  int max_span_days = 731;                           // longest from..to period
};

// Throws config::config_error naming file, key and problem.
stats_settings read_stats_settings(const config::config& cfg, int utc_offset_minutes);

class stats_api {
 public:
  stats_api(redis::client& redis, const store::keys& keys, const auth& auth, flow::case_store& cases,
            std::function<std::shared_ptr<const domain::tenant_domain>()> domain, std::function<std::int64_t()> now,
            stats_settings settings);
  void add_routes(http::router& r);

 private:
  awaitable<http::response> stats(http::request_context& ctx);
  awaitable<http::response> ledger(http::request_context& ctx, bool xlsx);
  awaitable<http::response> open311(http::request_context& ctx);
  // The cases filed in [from, to) (unix seconds) that `keep` accepts; nullopt when Redis failed.
  awaitable<std::optional<std::vector<workflow::case_record>>> load_period(
      std::int64_t from, std::int64_t to, const std::function<bool(const workflow::case_record&)>& keep);

  redis::client& redis_;
  const store::keys& keys_;
  const auth& auth_;
  flow::case_store& cases_;
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain_;
  std::function<std::int64_t()> now_;
  stats_settings settings_;
};

}  // namespace lianxin::api
