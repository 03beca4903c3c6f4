#include "bot/api/cases_api.hpp"

#include "bot/api/case_view.hpp"
#include "bot/core/log.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_actions.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/redis/client.hpp"
#include "workflow/privacy.hpp"

#include <openssl/rand.h>

namespace lianxin::api {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

view_level level_for(const principal& p, const workflow::case_record& c) {
  if (p.r == role::admin) return view_level::full;
  if (p.r == role::deputy && c.deputy == p.scope && !c.anonymous) return view_level::full;
  return view_level::staff;
}

std::optional<int> parse_int(const std::string& s) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(s);
}

unsigned status_for(workflow::errc e) {
  switch (e) {
    case workflow::errc::not_found: return 404;
    case workflow::errc::not_authorised: return 403;
    case workflow::errc::invalid_argument: return 422;
    case workflow::errc::invalid_config: return 500;
    default: return 409;  // invalid_transition, reopen_limit, already_exists, stale_timer, no_candidate
  }
}

std::string random_id() {
  unsigned char b[12];
  RAND_bytes(b, sizeof b);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : b) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

}  // namespace

std::optional<paging> read_paging(const http::request& req, const std::map<std::string, std::string, std::less<>>& q,
                                  int default_per_page, int max_per_page, std::optional<http::response>& refusal) {
  paging p{1, default_per_page};
  if (auto it = q.find("page"); it != q.end()) {
    auto v = parse_int(it->second);
    if (!v || *v < 1) {
      refusal = api_error(req, 400, "bad_request", "page must be a whole number from 1", "page");
      return std::nullopt;
    }
    p.page = *v;
  }
  if (auto it = q.find("per_page"); it != q.end()) {
    auto v = parse_int(it->second);
    if (!v || *v < 1 || *v > max_per_page) {
      refusal = api_error(req, 400, "bad_request", "per_page must be 1.." + std::to_string(max_per_page), "per_page");
      return std::nullopt;
    }
    p.per_page = *v;
  }
  return p;
}

http::response api_error(const http::request& req, unsigned status, std::string_view code, std::string_view message,
                         std::string_view field) {
  json e{{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  json body{{"error", e}};
  auto res = http::json_response(req, status, body.dump());
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

cases_api::cases_api(redis::client& redis, const store::keys& keys, const auth& auth, flow::case_store& cases,
                     flow::case_actions& actions, std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
                     std::function<std::int64_t()> now)
    : redis_(redis),
      keys_(keys),
      auth_(auth),
      cases_(cases),
      actions_(actions),
      domain_(std::move(domain)),
      now_(std::move(now)) {}

void cases_api::add_routes(http::router& r) {
  r.add(bhttp::verb::get, "/api/v1/me", [this](http::request_context& ctx) { return me(ctx); });
  r.add(bhttp::verb::get, "/api/v1/cases", [this](http::request_context& ctx) { return list(ctx); });
  r.add(bhttp::verb::get, "/api/v1/cases/{number}", [this](http::request_context& ctx) { return get(ctx); });
  r.add(bhttp::verb::post, "/api/v1/cases/{number}/actions", [this](http::request_context& ctx) { return act(ctx); });
  r.add(bhttp::verb::get, "/api/v1/outbox/dead-letters",
        [this](http::request_context& ctx) { return dead_letters(ctx); });
}

awaitable<std::optional<principal>> require_principal(const auth& a, http::request_context& ctx,
                                                     std::optional<http::response>& refusal) {
  auto c = co_await a.authenticate(ctx.req);
  switch (c.result) {
    case auth::outcome::ok: co_return c.who;
    case auth::outcome::missing:
      refusal = api_error(ctx.req, 401, "unauthorized", "send Authorization: Bearer <token>");
      refusal->set(bhttp::field::www_authenticate, "Bearer");
      break;
    case auth::outcome::invalid:
      refusal = api_error(ctx.req, 401, "unauthorized", "unknown or revoked token");
      refusal->set(bhttp::field::www_authenticate, "Bearer error=\"invalid_token\"");
      break;
    case auth::outcome::unavailable:
      refusal = api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
      break;
  }
  co_return std::nullopt;
}

awaitable<std::optional<principal>> cases_api::who(http::request_context& ctx, std::optional<http::response>& refusal) {
  return require_principal(auth_, ctx, refusal);
}

awaitable<void> cases_api::audit_read(const principal& p, const std::string& number, const std::string& request_id) {
  log::req(log::level::info, "audit", request_id, p.describe(), " read the reporter's personal data of ", number);
  std::vector<std::string> cmd{"XADD", keys_.make("audit"), "MAXLEN", "~", "1000000", "*",
                               "at", std::to_string(now_()), "who", p.describe(), "what", "read_personal_data",
                               "case", number, "rid", request_id};
  co_await redis_.exec(std::move(cmd));
}

awaitable<http::response> cases_api::me(http::request_context& ctx) {
  std::optional<http::response> refusal;
  auto p = co_await who(ctx, refusal);
  if (!p) co_return std::move(*refusal);
  json j{{"role", to_string(p->r)}, {"scope", p->scope}, {"token_id", p->token_id}, {"label", p->label}};
  co_return http::json_response(ctx.req, 200, j.dump());
}

awaitable<http::response> cases_api::list(http::request_context& ctx) {
  std::optional<http::response> refusal;
  auto p = co_await who(ctx, refusal);
  if (!p) co_return std::move(*refusal);
  if (p->r == role::viewer) co_return api_error(ctx.req, 403, "forbidden", "this token sees statistics only");
  auto q = http::parse_query(ctx.query);
  static const std::set<std::string, std::less<>> known{"status", "deputy", "village", "category", "department",
                                                         "page", "per_page"};
  for (const auto& [k, v] : q) {
    if (!known.count(k)) co_return api_error(ctx.req, 400, "bad_request", "unknown query parameter", k);
  }
  std::optional<workflow::case_state> status;
  if (auto it = q.find("status"); it != q.end()) {
    status = workflow::parse_case_state(it->second);
    if (!status) co_return api_error(ctx.req, 400, "bad_request", "unknown status", "status");
  }
  std::optional<http::response> bad_paging;
  auto paged = read_paging(ctx.req, q, 20, 100, bad_paging);
  if (!paged) co_return std::move(*bad_paging);
  const int page = paged->page, per_page = paged->per_page;
  auto filter = [&](const char* key) -> std::string {
    auto it = q.find(key);
    return it == q.end() ? std::string() : it->second;
  };
  const std::string deputy = filter("deputy"), village = filter("village"), category = filter("category"),
                    department = filter("department");

  std::vector<std::string> cmd{"ZREVRANGE", keys_.make("cases"), "0", "-1"};
  auto all = co_await redis_.exec(std::move(cmd));
  if (!all.ok()) co_return api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
  std::vector<std::string> numbers;
  for (const auto& e : all.v.elements()) numbers.push_back(e.text());

  auto dom = domain_();
  json items = json::array();
  std::size_t total = 0;
  const std::size_t first = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(per_page);
  constexpr std::size_t chunk = 200;
  for (std::size_t i = 0; i < numbers.size(); i += chunk) {
    std::vector<std::string> part(numbers.begin() + static_cast<std::ptrdiff_t>(i),
                                  numbers.begin() + static_cast<std::ptrdiff_t>(std::min(numbers.size(), i + chunk)));
    auto loaded = co_await cases_.load_many(part);
    for (const auto& c : loaded) {
      if (!may_see(*p, c)) continue;
      if (status && c.state != *status) continue;
      if (!deputy.empty() && c.deputy != deputy) continue;
      if (!village.empty() && c.village != village) continue;
      if (!category.empty() && c.category != category) continue;
      if (!department.empty() && c.department != department) continue;
      if (total >= first && items.size() < static_cast<std::size_t>(per_page)) {
        // Lists never carry personal data, whoever asks.
        items.push_back(case_summary_json(c, *dom, view_level::staff));
      }
      ++total;
    }
  }
  json body{{"items", std::move(items)}, {"page", page}, {"per_page", per_page}, {"total", total}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> cases_api::get(http::request_context& ctx) {
  std::optional<http::response> refusal;
  auto p = co_await who(ctx, refusal);
  if (!p) co_return std::move(*refusal);
  const auto number = ctx.param("number");
  auto c = co_await cases_.load(number);
  // A case the token may not see is "not found": no probing for numbers.
  if (!c || !may_see(*p, *c)) co_return api_error(ctx.req, 404, "not_found", "no such case");
  auto level = level_for(*p, *c);
  auto dom = domain_();
  json j = case_json(*c, *dom, level);
  if (level == view_level::full) {
    std::vector<std::string> cmd{"HGET", keys_.make("contact", number), "phone"};
    auto ph = co_await redis_.exec(std::move(cmd));
    if (ph.ok() && ph.v.is_string()) j["contact"] = {{"phone", ph.v.text()}};
    co_await audit_read(*p, number, ctx.request_id);
  }
  co_return http::json_response(ctx.req, 200, j.dump());
}

awaitable<http::response> cases_api::act(http::request_context& ctx) {
  std::optional<http::response> refusal;
  auto p = co_await who(ctx, refusal);
  if (!p) co_return std::move(*refusal);
  if (p->r == role::viewer || p->r == role::station) {
    co_return api_error(ctx.req, 403, "forbidden", std::string("a ") + to_string(p->r) + " token cannot act on cases");
  }
  auto ct = ctx.req[bhttp::field::content_type];
  if (ct.substr(0, ct.find(';')) != "application/json") {
    co_return api_error(ctx.req, 415, "unsupported_media_type", "send Content-Type: application/json");
  }
  auto body = json::parse(ctx.req.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) co_return api_error(ctx.req, 400, "bad_request", "body must be a JSON object");
  static const std::set<std::string, std::less<>> known{"action", "reason", "target", "text", "working_days",
                                                         "handling", "rating"};
  for (const auto& [k, v] : body.items()) {
    if (!known.count(k)) co_return api_error(ctx.req, 400, "bad_request", "unknown field", k);
  }
  auto str = [&](const char* k, std::string& out) -> bool {
    if (!body.contains(k)) return true;
    if (!body[k].is_string()) return false;
    out = body[k].get<std::string>();
    return out.size() <= 4000;
  };
  workflow::action a;
  std::string action_name, handling, rating;
  if (!str("action", action_name) || action_name.empty()) {
    co_return api_error(ctx.req, 400, "bad_request", "action is required", "action");
  }
  auto kind = workflow::parse_action_kind(action_name);
  using K = workflow::action_kind;
  static const std::set<K> allowed{K::accept,  K::return_case,       K::transfer,        K::merge,
                                   K::assign,  K::acknowledge,       K::reply,           K::request_extension,
                                   K::approve_extension, K::deny_extension, K::rate_department, K::close,
                                   K::mark_immediate,    K::mark_key_supervision};
  if (!kind || !allowed.count(*kind)) co_return api_error(ctx.req, 400, "bad_request", "unknown action", "action");
  a.kind = *kind;
  for (const char* f : {"reason", "target", "text"}) {
    std::string* dst = std::string_view(f) == "reason" ? &a.reason : std::string_view(f) == "target" ? &a.target : &a.text;
    if (!str(f, *dst)) co_return api_error(ctx.req, 400, "bad_request", "must be a string of at most 4000 bytes", f);
  }
  if (body.contains("working_days")) {
    if (!body["working_days"].is_number_integer() || body["working_days"].get<long long>() < 1 ||
        body["working_days"].get<long long>() > 365) {
      co_return api_error(ctx.req, 400, "bad_request", "working_days must be a whole number 1..365", "working_days");
    }
    a.working_days = body["working_days"].get<int>();
  }
  if (!str("handling", handling)) co_return api_error(ctx.req, 400, "bad_request", "must be a string", "handling");
  if (!handling.empty()) {
    if (handling == "immediate") a.handling = workflow::handling_class::immediate;
    else if (handling == "normal") a.handling = workflow::handling_class::normal;
    else co_return api_error(ctx.req, 400, "bad_request", "handling is immediate or normal", "handling");
  }
  if (!str("rating", rating)) co_return api_error(ctx.req, 400, "bad_request", "must be a string", "rating");
  if (!rating.empty()) {
    a.value = workflow::parse_rating(rating);
    if (!a.value) co_return api_error(ctx.req, 400, "bad_request", "rating is satisfied, basically_satisfied or dissatisfied", "rating");
  }
  a.by = p->actor();
  auto key = ctx.req["Idempotency-Key"];
  if (key.size() > 100) co_return api_error(ctx.req, 400, "bad_request", "Idempotency-Key is at most 100 characters");
  a.transition_id = key.empty() ? "api:" + random_id() : "api:" + p->token_id + ":" + std::string(key);

  const auto number = ctx.param("number");
  // Staff may act only on cases they may see; the state machine then checks the role itself.
  // A named local, not a temporary in the co_await (see README, known traps).
  std::function<bool(const workflow::case_record&)> visible = [who = *p](const workflow::case_record& c) {
    return may_see(who, c);
  };
  auto r = co_await actions_.perform(number, std::move(a), std::move(visible));
  if (r.unavailable) {
    log::req(log::level::warn, "api", ctx.request_id, "action on ", number, " not applied: ", r.detail);
    co_return api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
  }
  if (r.error) {
    co_return api_error(ctx.req, status_for(r.error->code), workflow::to_string(r.error->code), r.error->message);
  }
  log::req(log::level::info, "api", ctx.request_id, p->describe(), " ", action_name, " ", number,
           r.replayed ? " (replayed)" : "");
  auto dom = domain_();
  json j = case_json(*r.after, *dom, view_level::staff);
  j["replayed"] = r.replayed;
  co_return http::json_response(ctx.req, 200, j.dump());
}

awaitable<http::response> cases_api::dead_letters(http::request_context& ctx) {
  std::optional<http::response> refusal;
  auto p = co_await who(ctx, refusal);
  if (!p) co_return std::move(*refusal);
  if (p->r != role::admin) co_return api_error(ctx.req, 403, "forbidden", "admins only");
  std::vector<std::string> cmd{"XREVRANGE", keys_.make("outbox", "dlq"), "+", "-", "COUNT", "100"};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok()) co_return api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
  json items = json::array();
  for (const auto& e : r.v.elements()) {
    if (e.elements().size() != 2) continue;
    json item{{"id", e.elements()[0].text()}};
    const auto& f = e.elements()[1].elements();
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
      const auto& k = f[i].text();
      if (k == "m") {
        auto m = json::parse(f[i + 1].text(), nullptr, false);
        // The message text may quote a resident: mask it like a log line.
        item["message"] = m.is_discarded() ? json(privacy::mask_pii(f[i + 1].text())) : m;
      } else if (k == "reason") {
        item["reason"] = privacy::mask_pii(f[i + 1].text());
      } else if (k == "a") {
        item["attempts"] = std::atoi(f[i + 1].text().c_str());
      }
    }
    items.push_back(std::move(item));
  }
  co_return http::json_response(ctx.req, 200, json{{"items", items}}.dump());
}

}  // namespace lianxin::api
