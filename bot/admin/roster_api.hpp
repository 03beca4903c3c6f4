#pragma once
// The admin REST API for the live roster (issue 7). JSON; errors {"error":{"code","message","field"}}.
//
//   GET    /api/v1/roster                        {"version", "counts": {kind: n}}
//   GET    /api/v1/roster/{kind}                 ?q= (id/code/name contains) &page= &per_page= (1..500)
//                                                &village= &station= &township= (where the kind has it)
//                                                → {"items", "total", "page", "per_page", "version"}
//   GET    /api/v1/roster/{kind}/{id}            → {"item", "version"}
//   PUT    /api/v1/roster/{kind}/{id}            create (201) or replace (200) → {"item", "version"}
//   DELETE /api/v1/roster/{kind}/{id}            → {"version"}; 409 in_use names what still refers to it
//   GET    /api/v1/rules/deadlines               → {"deadlines", "version"}
//   PUT    /api/v1/rules/deadlines               the deadline table (workflow/deadlines.hpp)
//   GET    /api/v1/exports/roster/{kind}.csv     deputies | villages | stations | departments
//   POST   /api/v1/imports/roster/{kind}         text/csv; ?dry_run=true checks only. Every bad row
//                                                is reported by line; nothing is imported if any is bad.
//   POST   /api/v1/bind-codes                    {"village"|"station"|"enterprise": id, "ttl_minutes", "unbind"}
//   GET    /api/v1/bind-codes                    active codes
//   DELETE /api/v1/bind-codes/{code}
//   GET    /api/v1/audit                         ?kind= &page= &per_page= newest first (admin)
//
// kinds: townships villages stations specialty_groups deputies enterprises departments
// categories committees groups. A group's id is "platform:bot:group".
//
// Who may do what: admin everything. A station manager (role station, scope = station id)
// reads the roster and edits its own station's deputies, villages and group bindings, and
// makes binding codes for them. Deputies, departments and viewers: 403 (they use the case
// board and statistics). Every write is audited (who, when, before → after).
#include "bot/api/auth.hpp"
#include "bot/api/settings.hpp"
#include "bot/http/router.hpp"

#include <functional>
#include <memory>

namespace lianxin::admin {

class directory;
class bind_codes;

class roster_api {
 public:
  roster_api(redis::client& redis, const store::keys& keys, const api::auth& auth, directory& dir,
             std::function<std::int64_t()> now, const api::settings& settings);
  ~roster_api();
  void add_routes(http::router& r);

  bind_codes& codes() { return *codes_; }

 private:
  awaitable<http::response> summary(http::request_context& ctx);
  awaitable<http::response> list(http::request_context& ctx);
  awaitable<http::response> get(http::request_context& ctx);
  awaitable<http::response> put(http::request_context& ctx);
  awaitable<http::response> remove(http::request_context& ctx);
  awaitable<http::response> get_deadlines(http::request_context& ctx);
  awaitable<http::response> put_deadlines(http::request_context& ctx);
  awaitable<http::response> export_csv(http::request_context& ctx);
  awaitable<http::response> import_csv(http::request_context& ctx);
  awaitable<http::response> create_code(http::request_context& ctx);
  awaitable<http::response> list_codes(http::request_context& ctx);
  awaitable<http::response> revoke_code(http::request_context& ctx);
  awaitable<http::response> audit(http::request_context& ctx);

  redis::client& redis_;
  const store::keys& keys_;
  const api::auth& auth_;
  directory& dir_;
  std::function<std::int64_t()> now_;
  const api::settings& settings_;
  std::unique_ptr<bind_codes> codes_;
};

}  // namespace lianxin::admin
