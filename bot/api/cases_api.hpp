#pragma once
// The case REST API (issue 5; roles from issue 7):
//
//   GET  /api/v1/me                      who the token belongs to
//   GET  /api/v1/cases                   filters: status, deputy, village, category, department;
//                                        page (from 1), per_page (1..100); newest first
//   GET  /api/v1/cases/{number}          one case with its log
//   POST /api/v1/cases/{number}/actions  {"action": "accept" | "return" | "transfer" | "merge" |
//                                        "assign" | "acknowledge" | "reply" | "request_extension" |
//                                        "approve_extension" | "deny_extension" | "rate_department" |
//                                        "close" | "mark_immediate" | "mark_key_supervision",
//                                        "reason", "target", "text", "working_days",
//                                        "handling": "immediate", "rating"}
//                                        optional header Idempotency-Key: a retry with the same
//                                        key changes nothing and answers the same case
//   GET  /api/v1/outbox/dead-letters     notifications that could not be delivered (admin)
//
// Every request needs "Authorization: Bearer <token>". What a role sees and may do:
// admin everything; station its station's cases (read); deputy its own cases; department the
// cases assigned to it; viewer no cases (statistics only). The reporter's identity and contact
// are returned only to admins and to the deputy of a named case, and each such read is written
// to the audit stream. Errors: {"error": {"code", "message", "field"?}}.
#include "bot/api/auth.hpp"
#include "bot/asio.hpp"
#include "bot/http/router.hpp"

#include <functional>
#include <memory>

namespace lianxin::domain {
struct tenant_domain;
}
namespace lianxin::flow {
class case_store;
class case_actions;
}

namespace lianxin::api {

class cases_api {
 public:
  cases_api(redis::client& redis, const store::keys& keys, const auth& auth, flow::case_store& cases,
            flow::case_actions& actions, std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
            std::function<std::int64_t()> now);
  void add_routes(http::router& r);

 private:
  awaitable<http::response> me(http::request_context& ctx);
  awaitable<http::response> list(http::request_context& ctx);
  awaitable<http::response> get(http::request_context& ctx);
  awaitable<http::response> act(http::request_context& ctx);
  awaitable<http::response> dead_letters(http::request_context& ctx);
  // Authenticates; on failure fills `refusal` with the 401/503 answer.
  awaitable<std::optional<principal>> who(http::request_context& ctx, std::optional<http::response>& refusal);
  awaitable<void> audit_read(const principal& p, const std::string& number, const std::string& request_id);

  redis::client& redis_;
  const store::keys& keys_;
  const auth& auth_;
  flow::case_store& cases_;
  flow::case_actions& actions_;
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain_;
  std::function<std::int64_t()> now_;
};

// `page` (from 1) and `per_page` (1..max_per_page) of a list request; on a bad value fills
// `refusal` with the 400 naming the parameter.
struct paging {
  int page = 1;
  int per_page = 20;
};
std::optional<paging> read_paging(const http::request& req, const std::map<std::string, std::string, std::less<>>& q,
                                  int default_per_page, int max_per_page, std::optional<http::response>& refusal);

// Error helpers shared by the API routes: {"error":{"code","message","field"}}.
http::response api_error(const http::request& req, unsigned status, std::string_view code, std::string_view message,
                         std::string_view field = {});
// Authenticates "Authorization: Bearer <token>"; on failure fills `refusal` with the 401/503 answer.
awaitable<std::optional<principal>> require_principal(const auth& a, http::request_context& ctx,
                                                     std::optional<http::response>& refusal);

}  // namespace lianxin::api
