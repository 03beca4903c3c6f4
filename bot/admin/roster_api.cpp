#include "bot/admin/roster_api.hpp"

#include "bot/admin/bind_codes.hpp"
#include "bot/admin/directory.hpp"
#include "bot/admin/roster_csv.hpp"
#include "bot/api/cases_api.hpp"
#include "bot/core/log.hpp"
#include "bot/domain/domain.hpp"
#include "bot/redis/client.hpp"

#include <map>
#include <set>

namespace lianxin::admin {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;
using api::api_error;
using api::principal;
using api::role;

const std::map<std::string, std::set<std::string>, std::less<>>& fields_by_kind() {
  static const std::map<std::string, std::set<std::string>, std::less<>> m{
      {"townships", {"id", "name"}},
      {"villages", {"id", "name", "township", "station"}},
      {"stations", {"id", "name", "township", "head", "deputy_heads", "members"}},
      {"specialty_groups", {"id", "name", "station", "categories", "members"}},
      {"deputies", {"code", "name", "level", "village", "constituency", "station", "specialty_group", "contacts"}},
      {"enterprises", {"id", "name", "village", "deputies", "members"}},
      {"departments", {"id", "name", "handlers"}},
      {"categories", {"id", "name", "department", "deadline_class", "phrases"}},
      {"committees", {"id", "name", "members"}},
      {"groups", {"id", "platform", "bot", "group", "village", "station", "enterprise", "name", "valid_from",
                  "valid_until"}},
  };
  return m;
}


const json* find_item(const json& doc, const kind_info& k, const std::string& id, std::size_t* index = nullptr) {
  auto it = doc.find(std::string(k.name));
  if (it == doc.end() || !it->is_array()) return nullptr;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (item_id(k, (*it)[i]) == id) {
      if (index) *index = i;
      return &(*it)[i];
    }
  }
  return nullptr;
}

// The station an item belongs to, for a station manager's scope; empty when none.
std::string station_of(const kind_info& k, const json& item, const domain::tenant_domain& d) {
  auto s = [&](const char* f) { return item.contains(f) && item[f].is_string() ? item[f].get<std::string>() : ""; };
  if (k.name == "deputies" || k.name == "villages") return s("station");
  if (k.name == "groups") {
    if (!s("station").empty()) return s("station");
    if (const auto* v = d.roster.find_village(s("village"))) return v->station;
    if (const auto* e = d.roster.find_enterprise(s("enterprise"))) {
      if (const auto* v = d.roster.find_village(e->village)) return v->station;
    }
  }
  return {};
}

bool station_may_edit(const principal& p, std::string_view kind) {
  return p.r == role::station && (kind == "deputies" || kind == "villages" || kind == "groups");
}

http::response from_write(const http::request& req, const write_result& w) {
  switch (w.s) {
    case write_result::status::ok: break;
    case write_result::status::invalid: return api_error(req, 422, "invalid", w.message, w.field);
    case write_result::status::in_use: return api_error(req, 409, "in_use", w.message, w.field);
    case write_result::status::not_found: return api_error(req, 404, "not_found", w.message);
    case write_result::status::conflict:
      return api_error(req, 409, "conflict", "the roster kept changing meanwhile; try again");
    case write_result::status::unavailable:
      return api_error(req, 503, "storage_unavailable", "storage unavailable, retry later");
  }
  return api_error(req, 500, "internal", "unexpected");
}

bool matches(const json& item, const std::string& q) {
  if (q.empty()) return true;
  for (const char* f : {"id", "code", "name", "group"}) {
    auto it = item.find(f);
    if (it != item.end() && it->is_string() && it->get<std::string>().find(q) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

roster_api::roster_api(redis::client& redis, const store::keys& keys, const api::auth& auth, directory& dir,
                       std::function<std::int64_t()> now, const api::settings& settings)
    : redis_(redis),
      keys_(keys),
      auth_(auth),
      dir_(dir),
      now_(std::move(now)),
      settings_(settings),
      codes_(std::make_unique<bind_codes>(redis, keys)) {}

roster_api::~roster_api() = default;

void roster_api::add_routes(http::router& r) {
  r.add(bhttp::verb::get, "/api/v1/roster", [this](http::request_context& c) { return summary(c); });
  r.add(bhttp::verb::get, "/api/v1/roster/{kind}", [this](http::request_context& c) { return list(c); });
  r.add(bhttp::verb::get, "/api/v1/roster/{kind}/{id}", [this](http::request_context& c) { return get(c); });
  r.add(bhttp::verb::put, "/api/v1/roster/{kind}/{id}", [this](http::request_context& c) { return put(c); });
  r.add(bhttp::verb::delete_, "/api/v1/roster/{kind}/{id}", [this](http::request_context& c) { return remove(c); });
  r.add(bhttp::verb::get, "/api/v1/rules/deadlines", [this](http::request_context& c) { return get_deadlines(c); });
  r.add(bhttp::verb::put, "/api/v1/rules/deadlines", [this](http::request_context& c) { return put_deadlines(c); });
  r.add(bhttp::verb::get, "/api/v1/exports/roster/{file}", [this](http::request_context& c) { return export_csv(c); });
  r.add(bhttp::verb::post, "/api/v1/imports/roster/{kind}", [this](http::request_context& c) { return import_csv(c); });
  r.add(bhttp::verb::post, "/api/v1/bind-codes", [this](http::request_context& c) { return create_code(c); });
  r.add(bhttp::verb::get, "/api/v1/bind-codes", [this](http::request_context& c) { return list_codes(c); });
  r.add(bhttp::verb::delete_, "/api/v1/bind-codes/{code}", [this](http::request_context& c) { return revoke_code(c); });
  r.add(bhttp::verb::get, "/api/v1/audit", [this](http::request_context& c) { return audit(c); });
}

#define LX_WHO(p)                                                          \
  std::optional<http::response> refusal;                                   \
  auto p = co_await api::require_principal(auth_, ctx, refusal);     \
  if (!p) co_return std::move(*refusal);

#define LX_READER(p)                                                                           \
  if (p->r != role::admin && p->r != role::station) {                                          \
    co_return api_error(ctx.req, 403, "forbidden", "the roster is for admins and station managers"); \
  }

awaitable<http::response> roster_api::summary(http::request_context& ctx) {
  LX_WHO(p)
  LX_READER(p)
  co_await dir_.refresh();
  auto snap = dir_.current();
  json counts = json::object();
  for (const auto& k : kinds()) {
    auto it = snap.doc->find(std::string(k.name));
    counts[std::string(k.name)] = it != snap.doc->end() && it->is_array() ? it->size() : 0;
  }
  json body{{"version", snap.version}, {"counts", counts}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> roster_api::list(http::request_context& ctx) {
  LX_WHO(p)
  LX_READER(p)
  const auto* k = find_kind(ctx.param("kind"));
  if (!k) co_return api_error(ctx.req, 404, "not_found", "unknown kind", "kind");
  auto q = http::parse_query(ctx.query);
  static const std::set<std::string, std::less<>> known{"q", "page", "per_page", "village", "station", "township"};
  for (const auto& [key, v] : q) {
    if (!known.count(key)) co_return api_error(ctx.req, 400, "bad_request", "unknown query parameter", key);
  }
  std::optional<http::response> bad_paging;
  auto paged = api::read_paging(ctx.req, q, 50, 500, bad_paging);
  if (!paged) co_return std::move(*bad_paging);
  const int page = paged->page, per_page = paged->per_page;
  auto filter = [&](const char* key) {
    auto it = q.find(key);
    return it == q.end() ? std::string() : it->second;
  };
  const std::string text = filter("q"), village = filter("village"), station = filter("station"),
                    township = filter("township");
  co_await dir_.refresh();
  auto snap = dir_.current();
  json items = json::array();
  std::size_t total = 0;
  const std::size_t first = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(per_page);
  for (const auto& item : (*snap.doc)[std::string(k->name)]) {
    if (!matches(item, text)) continue;
    if (!village.empty() && item.value("village", "") != village) continue;
    if (!station.empty() && item.value("station", "") != station) continue;
    if (!township.empty() && item.value("township", "") != township) continue;
    if (total >= first && items.size() < static_cast<std::size_t>(per_page)) items.push_back(item);
    ++total;
  }
  json body{{"items", std::move(items)}, {"total", total}, {"page", page}, {"per_page", per_page},
            {"version", snap.version}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> roster_api::get(http::request_context& ctx) {
  LX_WHO(p)
  LX_READER(p)
  const auto* k = find_kind(ctx.param("kind"));
  if (!k) co_return api_error(ctx.req, 404, "not_found", "unknown kind", "kind");
  auto id = http::url_decode(ctx.param("id"));
  co_await dir_.refresh();
  auto snap = dir_.current();
  const auto* item = find_item(*snap.doc, *k, id);
  if (!item) co_return api_error(ctx.req, 404, "not_found", "no " + std::string(k->name) + " item \"" + id + "\"");
  json body{{"item", *item}, {"version", snap.version}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> roster_api::put(http::request_context& ctx) {
  LX_WHO(p)
  const auto* k = find_kind(ctx.param("kind"));
  if (!k) co_return api_error(ctx.req, 404, "not_found", "unknown kind", "kind");
  if (p->r != role::admin && !station_may_edit(*p, k->name)) {
    co_return api_error(ctx.req, 403, "forbidden", "this token may not change " + std::string(k->name));
  }
  auto id = http::url_decode(ctx.param("id"));
  auto ct = std::string(ctx.req[bhttp::field::content_type]);
  if (ct.find("application/json") == std::string::npos) {
    co_return api_error(ctx.req, 415, "unsupported_media_type", "send Content-Type: application/json");
  }
  auto body = json::parse(ctx.req.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    co_return api_error(ctx.req, 400, "bad_request", "the body must be a JSON object");
  }
  const auto& allowed = fields_by_kind().at(std::string(k->name));
  for (const auto& [f, v] : body.items()) {
    if (!allowed.count(f)) co_return api_error(ctx.req, 422, "invalid", "unknown field", f);
  }
  if (k->name == "groups") {
    body.erase("id");
    if (item_id(*k, body) != id) {
      co_return api_error(ctx.req, 422, "invalid", "the path's id must be platform:bot:group of the body", "group");
    }
  } else {
    std::string idf(k->id_field);
    if (!valid_item_id(id)) {
      co_return api_error(ctx.req, 422, "invalid", "use letters, digits, '-', '_' or '.' (at most 64)", idf);
    }
    if (body.contains(idf) && body[idf] != id) {
      co_return api_error(ctx.req, 422, "invalid", "differs from the id in the path", idf);
    }
    body[idf] = id;
  }
  if (!body.contains("name") && k->name != "groups") co_return api_error(ctx.req, 422, "invalid", "required", "name");

  auto dom = dir_.current().domain;
  if (p->r == role::station) {
    // Both the item as it is and as it will be must belong to the manager's station.
    auto snap = dir_.current();
    const auto* old = find_item(*snap.doc, *k, id);
    if ((old && station_of(*k, *old, *dom) != p->scope) || station_of(*k, body, *dom) != p->scope) {
      co_return api_error(ctx.req, 403, "forbidden", "outside this token's station (" + p->scope + ")");
    }
  }
  bool created = false;
  const std::string kind_name(k->name);
  const kind_info kind = *k;
  const bool existed = find_item(*dir_.current().doc, *k, id) != nullptr;
  auto edit = [&](const json& cur) -> workflow::result<json> {
    json next = cur;
    auto& arr = next[kind_name];
    if (!arr.is_array()) arr = json::array();
    created = true;
    for (auto& item : arr) {
      if (item_id(kind, item) == id) {
        item = body;
        created = false;
      }
    }
    if (created) arr.push_back(body);
    return next;
  };
  directory::edit_fn fn = edit;
  auto w = co_await dir_.update(fn, p->describe(), existed ? "update" : "create", kind_name, id);
  if (w.s != write_result::status::ok) co_return from_write(ctx.req, w);
  const auto* item = find_item(*w.doc, *k, id);
  json out{{"item", item ? *item : body}, {"version", w.version}};
  log::req(log::level::info, "audit", ctx.request_id, p->describe(), created ? " created " : " updated ", kind_name,
           "/", id);
  co_return http::json_response(ctx.req, created ? 201 : 200, out.dump());
}

awaitable<http::response> roster_api::remove(http::request_context& ctx) {
  LX_WHO(p)
  const auto* k = find_kind(ctx.param("kind"));
  if (!k) co_return api_error(ctx.req, 404, "not_found", "unknown kind", "kind");
  if (p->r != role::admin && !station_may_edit(*p, k->name)) {
    co_return api_error(ctx.req, 403, "forbidden", "this token may not change " + std::string(k->name));
  }
  auto id = http::url_decode(ctx.param("id"));
  {
    auto snap = dir_.current();
    const auto* old = find_item(*snap.doc, *k, id);
    if (p->r == role::station && old && station_of(*k, *old, *snap.domain) != p->scope) {
      co_return api_error(ctx.req, 403, "forbidden", "outside this token's station (" + p->scope + ")");
    }
  }
  const std::string kind_name(k->name);
  const kind_info kind = *k;
  auto edit = [&](const json& cur) -> workflow::result<json> {
    json next = cur;
    auto& arr = next[kind_name];
    std::size_t index = 0;
    if (!find_item(cur, kind, id, &index)) {
      return workflow::make_error(workflow::errc::not_found, "no " + kind_name + " item \"" + id + "\"");
    }
    arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(index));
    return next;
  };
  directory::edit_fn fn = edit;
  auto w = co_await dir_.update(fn, p->describe(), "delete", kind_name, id);
  if (w.s == write_result::status::in_use) {
    w.message = "still referred to: " + w.message;
  }
  if (w.s != write_result::status::ok) co_return from_write(ctx.req, w);
  json out{{"version", w.version}};
  co_return http::json_response(ctx.req, 200, out.dump());
}

awaitable<http::response> roster_api::get_deadlines(http::request_context& ctx) {
  LX_WHO(p)
  LX_READER(p)
  co_await dir_.refresh();
  auto snap = dir_.current();
  json body{{"deadlines", snap.doc->value("deadlines", json::object())}, {"version", snap.version}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> roster_api::put_deadlines(http::request_context& ctx) {
  LX_WHO(p)
  if (p->r != role::admin) co_return api_error(ctx.req, 403, "forbidden", "only admins change deadlines");
  auto body = json::parse(ctx.req.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    co_return api_error(ctx.req, 400, "bad_request", "the body must be a JSON object");
  }
  json table = body.contains("deadlines") ? body["deadlines"] : body;
  auto edit = [&](const json& cur) -> workflow::result<json> {
    json next = cur;
    next["deadlines"] = table;
    return next;
  };
  directory::edit_fn fn = edit;
  auto w = co_await dir_.update(fn, p->describe(), "update", "deadlines", "");
  if (w.s == write_result::status::invalid && w.field.rfind("deadlines.", 0) == 0) w.field = w.field.substr(10);
  if (w.s != write_result::status::ok) co_return from_write(ctx.req, w);
  json out{{"deadlines", w.doc->value("deadlines", json::object())}, {"version", w.version}};
  co_return http::json_response(ctx.req, 200, out.dump());
}

awaitable<http::response> roster_api::export_csv(http::request_context& ctx) {
  LX_WHO(p)
  LX_READER(p)
  auto file = ctx.param("file");
  if (file.size() < 5 || file.substr(file.size() - 4) != ".csv") {
    co_return api_error(ctx.req, 404, "not_found", "ask for <kind>.csv");
  }
  auto kind = file.substr(0, file.size() - 4);
  if (!csv_kind_supported(kind)) {
    co_return api_error(ctx.req, 404, "not_found", "CSV is for deputies, villages, stations and departments", "kind");
  }
  co_await dir_.refresh();
  auto snap = dir_.current();
  auto res = http::make_response(ctx.req, 200, roster_csv(kind, (*snap.doc)[kind]), "text/csv; charset=utf-8");
  res.set(bhttp::field::content_disposition, "attachment; filename=\"" + kind + ".csv\"");
  co_return res;
}

awaitable<http::response> roster_api::import_csv(http::request_context& ctx) {
  LX_WHO(p)
  if (p->r != role::admin) co_return api_error(ctx.req, 403, "forbidden", "only admins import the roster");
  const std::string kind = ctx.param("kind");
  if (!csv_kind_supported(kind)) {
    co_return api_error(ctx.req, 404, "not_found", "CSV is for deputies, villages, stations and departments", "kind");
  }
  auto q = http::parse_query(ctx.query);
  for (const auto& [key, v] : q) {
    if (key != "dry_run") co_return api_error(ctx.req, 400, "bad_request", "unknown query parameter", key);
  }
  bool dry_run = false;
  if (auto it = q.find("dry_run"); it != q.end()) {
    if (it->second != "true" && it->second != "false" && it->second != "1" && it->second != "0") {
      co_return api_error(ctx.req, 400, "bad_request", "dry_run is true or false", "dry_run");
    }
    dry_run = it->second == "true" || it->second == "1";
  }
  auto parsed = parse_roster_csv(kind, ctx.req.body());
  const auto* k = find_kind(kind);
  std::map<std::string, int> line_of;
  for (std::size_t i = 0; i < parsed.items.size(); ++i) line_of[item_id(*k, parsed.items[i])] = parsed.lines[i];

  std::size_t created = 0, updated = 0;
  auto merge = [&](const json& cur) -> json {
    json next = cur;
    auto& arr = next[kind];
    if (!arr.is_array()) arr = json::array();
    created = updated = 0;
    std::map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < arr.size(); ++i) at[item_id(*k, arr[i])] = i;
    for (const auto& item : parsed.items) {
      auto it = at.find(item_id(*k, item));
      if (it == at.end()) {
        arr.push_back(item);
        ++created;
      } else {
        // Columns the file leaves out keep their values.
        for (const auto& [f, v] : item.items()) arr[it->second][f] = v;
        ++updated;
      }
    }
    return next;
  };
  json errors = json::array();
  for (const auto& e : parsed.errors) errors.push_back({{"line", e.line}, {"field", e.field}, {"message", e.message}});
  auto report = [&](unsigned status, long long version) {
    json body{{"dry_run", dry_run},   {"rows", parsed.items.size() + (errors.size())},
              {"created", created},   {"updated", updated},
              {"errors", errors},     {"imported", status == 200 && !dry_run}};
    if (version >= 0) body["version"] = version;
    return http::json_response(ctx.req, status, body.dump());
  };
  if (errors.empty()) {
    // Whole-roster check: references to stations, villages, deputies… that do not exist.
    co_await dir_.refresh();
    auto snap = dir_.current();
    json candidate = merge(*snap.doc);
    auto built = dir_.build(candidate);
    if (!built) {
      const auto& msg = built.err().message;
      auto colon = msg.find(": ");
      std::string path = colon == std::string::npos ? msg : msg.substr(0, colon);
      int line = 0;
      std::string field = path;
      auto open = path.find('['), close = path.find("].");
      if (open != std::string::npos && close != std::string::npos && path.substr(0, open) == kind) {
        auto idx = std::stoul(path.substr(open + 1, close - open - 1));
        const auto& arr = candidate[kind];
        if (idx < arr.size()) {
          auto l = line_of.find(item_id(*k, arr[idx]));
          if (l != line_of.end()) line = l->second;
        }
        field = path.substr(close + 2);
      }
      errors.push_back({{"line", line}, {"field", field}, {"message", colon == std::string::npos ? msg : msg.substr(colon + 2)}});
    }
  }
  if (!errors.empty()) co_return report(422, -1);
  if (dry_run) co_return report(200, -1);  // the counts are the check's merge above
  auto edit = [&](const json& cur) -> workflow::result<json> { return merge(cur); };
  directory::edit_fn fn = edit;
  auto w = co_await dir_.update(fn, p->describe(), "import", kind, "");
  if (w.s != write_result::status::ok) co_return from_write(ctx.req, w);
  log::req(log::level::info, "audit", ctx.request_id, p->describe(), " imported ", parsed.items.size(), " ", kind);
  co_return report(200, w.version);
}

awaitable<http::response> roster_api::create_code(http::request_context& ctx) {
  LX_WHO(p)
  if (p->r != role::admin && p->r != role::station) {
    co_return api_error(ctx.req, 403, "forbidden", "binding codes are made by admins and station managers");
  }
  auto body = json::parse(ctx.req.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    co_return api_error(ctx.req, 400, "bad_request", "the body must be a JSON object");
  }
  std::string target_kind, target_id;
  for (const char* t : {"village", "station", "enterprise"}) {
    if (!body.contains(t)) continue;
    if (!target_kind.empty()) co_return api_error(ctx.req, 422, "invalid", "name exactly one target", t);
    if (!body[t].is_string()) co_return api_error(ctx.req, 422, "invalid", "must be a string", t);
    target_kind = t;
    target_id = body[t];
  }
  for (const auto& [f, v] : body.items()) {
    static const std::set<std::string, std::less<>> known{"village", "station", "enterprise", "ttl_minutes", "unbind"};
    if (!known.count(f)) co_return api_error(ctx.req, 422, "invalid", "unknown field", f);
  }
  if (target_kind.empty()) co_return api_error(ctx.req, 422, "invalid", "name a village, station or enterprise", "village");
  int ttl = settings_.bind_code_ttl_minutes;
  if (body.contains("ttl_minutes")) {
    if (!body["ttl_minutes"].is_number_integer() || body["ttl_minutes"] < 1 || body["ttl_minutes"] > 30 * 24 * 60) {
      co_return api_error(ctx.req, 422, "invalid", "a whole number of minutes, 1..43200", "ttl_minutes");
    }
    ttl = body["ttl_minutes"];
  }
  bool unbind = false;
  if (body.contains("unbind")) {
    if (!body["unbind"].is_boolean()) co_return api_error(ctx.req, 422, "invalid", "true or false", "unbind");
    unbind = body["unbind"];
  }
  co_await dir_.refresh();
  auto dom = dir_.current().domain;
  std::string station;
  if (target_kind == "village") {
    const auto* v = dom->roster.find_village(target_id);
    if (!v) co_return api_error(ctx.req, 422, "invalid", "unknown village \"" + target_id + "\"", "village");
    station = v->station;
  } else if (target_kind == "station") {
    if (!dom->roster.find_station(target_id)) {
      co_return api_error(ctx.req, 422, "invalid", "unknown station \"" + target_id + "\"", "station");
    }
    station = target_id;
  } else {
    const auto* e = dom->roster.find_enterprise(target_id);
    if (!e) co_return api_error(ctx.req, 422, "invalid", "unknown enterprise \"" + target_id + "\"", "enterprise");
    if (const auto* v = dom->roster.find_village(e->village)) station = v->station;
  }
  if (p->r == role::station && station != p->scope) {
    co_return api_error(ctx.req, 403, "forbidden", "outside this token's station (" + p->scope + ")");
  }
  auto c = co_await codes_->create(target_kind, target_id, unbind, static_cast<std::int64_t>(ttl) * 60, p->describe(),
                                   now_());
  if (!c) co_return api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
  log::req(log::level::info, "audit", ctx.request_id, p->describe(), " made a ", unbind ? "unbinding" : "binding",
           " code for ", target_kind, " ", target_id);
  std::vector<std::string> cmd{"XADD", keys_.make("audit"), "MAXLEN", "~", "1000000", "*", "at", std::to_string(now_()),
                               "who", p->describe(), "what", unbind ? "unbind_code" : "bind_code", "kind", "groups",
                               "key", target_kind + ":" + target_id, "before", "", "after", c->to_json().dump()};
  co_await redis_.exec(std::move(cmd));
  co_return http::json_response(ctx.req, 201, c->to_json().dump());
}

awaitable<http::response> roster_api::list_codes(http::request_context& ctx) {
  LX_WHO(p)
  LX_READER(p)
  auto list = co_await codes_->list(now_());
  if (!list) co_return api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
  auto dom = dir_.current().domain;
  json items = json::array();
  for (const auto& c : *list) {
    if (p->r == role::station) {
      std::string station = c.target_kind == "station" ? c.target_id : "";
      if (const auto* v = dom->roster.find_village(c.target_id); v && c.target_kind == "village") station = v->station;
      if (station != p->scope) continue;
    }
    items.push_back(c.to_json());
  }
  json body{{"items", items}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> roster_api::revoke_code(http::request_context& ctx) {
  LX_WHO(p)
  if (p->r != role::admin && p->r != role::station) {
    co_return api_error(ctx.req, 403, "forbidden", "binding codes are made by admins and station managers");
  }
  auto code = normalise_code(ctx.param("code"));
  if (code.empty()) co_return api_error(ctx.req, 404, "not_found", "no such code");
  auto r = co_await codes_->revoke(code);
  if (!r) co_return api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
  if (!*r) co_return api_error(ctx.req, 404, "not_found", "no such code (used, expired or revoked)");
  json body{{"revoked", code}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

awaitable<http::response> roster_api::audit(http::request_context& ctx) {
  LX_WHO(p)
  if (p->r != role::admin) co_return api_error(ctx.req, 403, "forbidden", "the audit log is for admins");
  auto q = http::parse_query(ctx.query);
  static const std::set<std::string, std::less<>> known{"kind", "page", "per_page", "key"};
  for (const auto& [key, v] : q) {
    if (!known.count(key)) co_return api_error(ctx.req, 400, "bad_request", "unknown query parameter", key);
  }
  std::optional<http::response> bad_paging;
  auto paged = api::read_paging(ctx.req, q, 50, 200, bad_paging);
  if (!paged) co_return std::move(*bad_paging);
  const int page = paged->page, per_page = paged->per_page;
  std::string kind = q.count("kind") ? q["kind"] : "", key = q.count("key") ? q["key"] : "";
  // Newest first, read in chunks until the page is filled (filters skip entries).
  json items = json::array();
  std::size_t matched = 0;
  const std::size_t first = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(per_page);
  std::string end = "+";
  bool more = true;
  while (more && items.size() < static_cast<std::size_t>(per_page)) {
    std::vector<std::string> cmd{"XREVRANGE", keys_.make("audit"), end, "-", "COUNT", "500"};
    auto r = co_await redis_.exec(std::move(cmd));
    if (!r.ok()) co_return api_error(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
    const auto& entries = r.v.elements();
    more = entries.size() == 500;
    for (const auto& e : entries) {
      if (e.size() < 2) continue;
      const std::string& id = e[0].text();
      if (id == end) continue;
      json entry{{"id", id}};
      const auto& f = e[1];
      for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
        const auto& name = f[i].text();
        const auto& val = f[i + 1].text();
        if (name == "at") {
          entry["at"] = std::atoll(val.c_str());
        } else if (name == "before" || name == "after") {
          auto j = json::parse(val, nullptr, false);
          entry[name] = val.empty() ? json() : j.is_discarded() ? json(val) : j;
        } else {
          entry[name] = val;
        }
      }
      if (!kind.empty() && entry.value("kind", "") != kind) continue;
      if (!key.empty() && entry.value("key", "") != key) continue;
      if (matched++ < first) continue;
      if (items.size() < static_cast<std::size_t>(per_page)) items.push_back(std::move(entry));
    }
    if (!entries.empty()) end = "(" + entries.back()[0].text();
  }
  json body{{"items", items}, {"page", page}, {"per_page", per_page}};
  co_return http::json_response(ctx.req, 200, body.dump());
}

}  // namespace lianxin::admin
