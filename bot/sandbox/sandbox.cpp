#include "bot/sandbox/sandbox.hpp"

#include "bot/api/case_view.hpp"
#include "bot/config/reader.hpp"
#include "bot/core/log.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/ingest/inbox.hpp"
#include "bot/ingest/message_json.hpp"
#include "bot/redis/client.hpp"
#include "bot/sandbox/protocol.hpp"
#include "bot/send/rate_limiter.hpp"
#include "bot/web/assets.hpp"
#include "bot/web/html.hpp"
#include "bot/web/respond.hpp"
#include "bot/web/tokens.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace lianxin::sandbox {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

// The pages' headers; sandbox answers are live state, never cached.
void security_headers(http::response& res) {
  web::security_headers(res);
  res.set(bhttp::field::cache_control, "no-store");
}

http::response json_reply(const http::request& req, unsigned status, const json& body) {
  auto res = http::json_response(req, status, body.dump());
  security_headers(res);
  return res;
}

// Every "sandbox.*" and "web.step.*" sentence of the catalogue, placeholders kept as "{name}".
std::map<std::string, std::string> sandbox_texts(const domain::tenant_domain& d) {
  std::map<std::string, std::string> out;
  if (!d.messages) return out;
  for (const auto& key : d.messages->keys()) {
    // The page's own words, and the case log's step names ("web.step.accept" → "代表已受理").
    if (key.rfind("sandbox.", 0) != 0 && key.rfind("web.step.", 0) != 0) continue;
    workflow::intake::message m{key, {}};
    for (const auto& p : d.messages->placeholders(key)) m.params[p] = "{" + p + "}";
    auto r = d.messages->render(m);
    out[key] = r.ok() ? r.text : key;
  }
  return out;
}

std::vector<std::string> split_names(const std::string& s) {
  // "老李、王婶、小张"
  std::vector<std::string> out;
  const std::string sep = "、";
  std::size_t i = 0;
  while (i <= s.size()) {
    auto p = s.find(sep, i);
    auto part = s.substr(i, p == std::string::npos ? std::string::npos : p - i);
    if (!part.empty()) out.push_back(part);
    if (p == std::string::npos) break;
    i = p + sep.size();
  }
  return out;
}

std::string sandbox_contact(const std::vector<workflow::chat_identity>& ids) {
  for (const auto& i : ids) {
    if (i.platform == "sandbox") return i.id;
  }
  return {};
}

}  // namespace

settings read_settings(const config::config& cfg) {
  settings s;
  const std::string file = cfg.source_file.empty() ? "(defaults)" : cfg.source_file;
  if (!cfg.raw.contains("sandbox")) return s;
  const auto& sec = cfg.raw["sandbox"];
  if (!sec.is_object()) throw config::config_error(file + ": sandbox: must be an object");
  config::object_reader r(sec, "sandbox", file);
  r.read("enabled", s.enabled);
  r.read("bot", s.bot);
  if (!valid_id(s.bot)) r.fail("bot", "1-64 of A-Z a-z 0-9 _ - . @");
  if (s.enabled && !cfg.scheduler.test_clock) {
    r.fail("enabled", "the sandbox needs \"scheduler\": {\"test_clock\": true} (its clock control moves time)");
  }
  r.finish();
  return s;
}

service::service(std::shared_ptr<redis::client> redis, const store::keys& keys, ingest::inbox& inbox,
                 flow::case_store& cases, hooks h, settings s)
    : redis_(std::move(redis)),
      keys_(keys),
      inbox_(inbox),
      cases_(cases),
      h_(std::move(h)),
      s_(std::move(s)),
      limiter_(std::make_unique<send::rate_limiter>(redis_, keys_)) {}

service::~service() = default;

void service::add_routes(http::router& r) {
  r.add(bhttp::verb::get, "/sandbox", [this](http::request_context& ctx) { return page(ctx); });
  r.add(bhttp::verb::get, "/sandbox/", [this](http::request_context& ctx) { return page(ctx); });
  r.add(bhttp::verb::get, "/sandbox/{file}", [this](http::request_context& ctx) { return asset(ctx); });
  r.add(bhttp::verb::get, "/sandbox/api/setup", [this](http::request_context& ctx) { return setup(ctx); });
  r.add(bhttp::verb::post, "/sandbox/api/messages", [this](http::request_context& ctx) { return post_message(ctx); });
  r.add(bhttp::verb::get, "/sandbox/api/messages", [this](http::request_context& ctx) { return transcript(ctx); });
  r.add(bhttp::verb::get, "/sandbox/api/clock", [this](http::request_context& ctx) { return clock(ctx); });
  r.add(bhttp::verb::post, "/sandbox/api/clock", [this](http::request_context& ctx) { return set_clock(ctx); });
  r.add(bhttp::verb::post, "/sandbox/api/quirks", [this](http::request_context& ctx) { return quirks(ctx); });
  r.add(bhttp::verb::get, "/sandbox/api/cases", [this](http::request_context& ctx) { return cases(ctx); });
}

std::string service::chat_key(const std::string& chat) const { return keys_.make("sandbox", "chat", s_.bot, chat); }

awaitable<http::response> service::page(http::request_context& ctx) {
  if (ctx.path == "/sandbox") {
    auto res = http::make_response(ctx.req, 308, "");
    res.set(bhttp::field::location, "/sandbox/");
    co_return res;
  }
  const auto& a = web::embedded_assets();
  auto it = a.find("sandbox/index.html");
  if (it == a.end()) co_return http::error_response(ctx.req, 404, "not_found", "the sandbox page is not built in");
  auto texts = sandbox_texts(*h_.domain());
  web::vars v;
  json tj = json::object();
  for (const auto& [k, t] : texts) {
    v[k] = t;
    tj[k] = t;
  }
  // A JSON data block (never executed); "<" escaped so nothing can close the element.
  std::string data = tj.dump();
  std::string safe;
  for (char c : data) {
    if (c == '<') {
      safe += "\\u003c";
    } else {
      safe += c;
    }
  }
  v["texts_json"] = safe;
  auto res = http::make_response(ctx.req, 200, web::render(it->second, v, nullptr), "text/html; charset=utf-8");
  security_headers(res);
  co_return res;
}

awaitable<http::response> service::asset(http::request_context& ctx) {
  const auto file = ctx.param("file");
  // index.html is a template, rendered by page().
  if (file == "index.html") co_return http::error_response(ctx.req, 404, "not_found", "no such file");
  co_return web::asset_response(ctx.req, "sandbox/" + file);
}

awaitable<http::response> service::setup(http::request_context& ctx) {
  auto dom = h_.domain();
  const auto& roster = dom->roster;
  json groups = json::array();
  std::set<std::string> stations, villages;
  for (const auto& [key, g] : dom->groups) {
    if (g.platform != "sandbox" || g.bot != s_.bot) continue;
    groups.push_back({{"id", g.group}, {"name", g.name}, {"village", g.village}, {"station", g.station}});
    if (!g.village.empty()) {
      villages.insert(g.village);
      if (const auto* v = roster.find_village(g.village); v && !v->station.empty()) stations.insert(v->station);
    }
    if (!g.station.empty()) stations.insert(g.station);
  }
  // Village groups first (the page and `lianxin chat` open the first one).
  std::stable_sort(groups.begin(), groups.end(), [](const json& a, const json& b) {
    return !a["village"].get<std::string>().empty() && b["village"].get<std::string>().empty();
  });
  auto texts = sandbox_texts(*dom);
  json residents = json::array();
  for (const auto& n : split_names(texts.count("sandbox.residents") ? texts["sandbox.residents"] : "")) {
    residents.push_back({{"id", resident_id(n)}, {"name", n}});
  }
  json deputies = json::array();
  for (const auto& d : roster.deputies()) {
    auto c = d.contacts.find("sandbox");
    if (c == d.contacts.end()) continue;
    if (!villages.count(d.village) && !stations.count(d.station)) continue;
    deputies.push_back({{"code", d.code}, {"name", d.name}, {"chat", c->second}, {"station", d.station}});
  }
  json handlers = json::array();
  for (const auto& d : roster.departments()) {
    auto id = sandbox_contact(d.handlers);
    if (!id.empty()) handlers.push_back({{"id", d.id}, {"name", d.name}, {"chat", id}});
  }
  json committee = json::array();
  for (const auto& c : roster.committees()) {
    for (const auto& m : c.members) {
      if (m.platform == "sandbox") committee.push_back({{"id", c.id}, {"name", c.name}, {"chat", m.id}});
    }
  }
  for (const auto& m : roster.office().members) {
    if (m.platform == "sandbox") committee.push_back({{"id", roster.office().id}, {"name", roster.office().name}, {"chat", m.id}});
  }
  json body = {{"bot", s_.bot},           {"groups", groups},       {"residents", residents}, {"deputies", deputies},
               {"handlers", handlers},    {"committee", committee}, {"clock", clock_json()}};
  co_return json_reply(ctx.req, 200, body);
}

awaitable<http::response> service::post_message(http::request_context& ctx) {
  auto j = json::parse(ctx.req.body(), nullptr, false);
  auto parsed = parse_post(j);
  if (auto* err = std::get_if<std::string>(&parsed)) {
    co_return http::error_response(ctx.req, 400, "bad_request", *err);
  }
  auto p = std::get<sandbox::post_message>(std::move(parsed));
  std::string id = p.message_id;
  if (id.empty()) {
    std::vector<std::string> cmd{"INCR", keys_.make("sandbox", "seq")};
    auto r = co_await redis_->exec(std::move(cmd));
    if (!r.ok()) co_return http::error_response(ctx.req, 503, "unavailable", "Redis cannot take the message now");
    id = "m" + std::to_string(r.v.int_value());
  }
  auto m = to_inbound(p, s_.bot, id, h_.now());
  std::vector<adapters::inbound_message> batch{m};
  auto stored = co_await inbox_.store(batch);
  if (!stored.ok) co_return http::error_response(ctx.req, 503, "unavailable", "Redis cannot take the message now");
  auto payload = ingest::to_json(m).dump();
  // The chat shows what was typed (once per message id, also when a resend after a 503 finds
  // that the first attempt did get in); the bot's answers follow through the notifier.
  std::vector<std::string> shown{"SET", keys_.make("sandbox", "shown", s_.bot, id), "1", "NX", "EX", "604800"};
  auto first = co_await redis_->exec(std::move(shown));
  if (first.ok() && first.v.is_ok()) {
    std::vector<std::vector<std::string>> cmds;
    cmds.push_back({"XADD", chat_key(m.chat_id), "MAXLEN", "~", "500", "*", "d", "in", "m", payload});
    if (!p.name.empty()) cmds.push_back({"HSET", keys_.make("sandbox", "names"), p.sender, p.name});
    cmds.push_back({"SET", keys_.make("sandbox", "last"), payload});
    auto rs = co_await redis_->exec_many(std::move(cmds));
    if (rs.empty() || !rs[0].ok()) log::warn("sandbox", "message ", id, " stored but not added to the transcript");
  }
  json body = {{"message_id", id}, {"fresh", stored.fresh}, {"duplicates", stored.duplicates}, {"chatter", stored.chatter}};
  co_return json_reply(ctx.req, 202, body);
}

awaitable<http::response> service::transcript(http::request_context& ctx) {
  auto q = http::parse_query(ctx.query);
  auto chat = q.count("chat") ? q["chat"] : "";
  auto after = q.count("after") ? q["after"] : "";
  if (!valid_id(chat)) co_return http::error_response(ctx.req, 400, "bad_request", "chat: a chat id");
  if (!after.empty() && !valid_stream_id(after)) co_return http::error_response(ctx.req, 400, "bad_request", "after: a message id");
  std::vector<std::vector<std::string>> cmds;
  if (after.empty()) {
    cmds.push_back({"XREVRANGE", chat_key(chat), "+", "-", "COUNT", "200"});
  } else {
    cmds.push_back({"XRANGE", chat_key(chat), "(" + after, "+", "COUNT", "200"});
  }
  cmds.push_back({"HGETALL", keys_.make("sandbox", "names")});
  auto rs = co_await redis_->exec_many(std::move(cmds));
  if (rs.size() != 2 || !rs[0].ok()) co_return http::error_response(ctx.req, 503, "unavailable", "Redis is not answering");
  std::map<std::string, std::string> names;
  if (rs[1].ok() && rs[1].v.is_array()) {
    const auto& e = rs[1].v.elements();
    for (std::size_t i = 0; i + 1 < e.size(); i += 2) names[e[i].text()] = e[i + 1].text();
  }
  std::vector<const redis::value*> entries;
  if (rs[0].v.is_array()) {
    for (const auto& e : rs[0].v.elements()) entries.push_back(&e);
  }
  if (after.empty()) std::reverse(entries.begin(), entries.end());
  json out = json::array();
  std::string last = after;
  for (const auto* e : entries) {
    if (!e->is_array() || e->elements().size() != 2) continue;
    const auto& sid = e->elements()[0].text();
    last = sid;
    std::string dir, m;
    const auto& f = e->elements()[1].elements();
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
      if (f[i].text() == "d") dir = f[i + 1].text();
      if (f[i].text() == "m") m = f[i + 1].text();
    }
    auto mj = json::parse(m, nullptr, false);
    if (mj.is_discarded()) continue;
    json item = {{"id", sid}, {"dir", dir}, {"at", std::stoll(sid.substr(0, sid.find('-'))) / 1000}};
    if (dir == "in") {
      auto in = ingest::inbound_from_json(mj);
      if (!in) continue;
      item["from"] = in->sender_id;
      item["name"] = in->sender_name.empty() ? in->sender_id : in->sender_name;
      item["text"] = in->text;
      bool image = false, mention = false;
      for (const auto& s : in->segments) {
        image = image || s.kind == adapters::segment_kind::image;
        mention = mention || s.kind == adapters::segment_kind::mention_bot;
      }
      item["image"] = image;
      item["mention"] = mention;
      item["sim_time"] = in->time;
    } else {
      auto o = ingest::outbound_from_json(mj);
      if (!o) continue;
      std::string text;
      for (const auto& s : o->segments) {
        if (s.kind == adapters::out_segment_kind::text) {
          text += s.value;
        } else if (s.kind == adapters::out_segment_kind::mention) {
          auto n = names.find(s.value);
          text += "@" + (n == names.end() ? s.value : n->second);
        } else {
          text += "[图片]";
        }
      }
      item["from"] = "bot";
      item["text"] = text;
    }
    out.push_back(std::move(item));
  }
  json body = {{"chat", chat}, {"messages", out}, {"last", last}};
  co_return json_reply(ctx.req, 200, body);
}

json service::clock_json() const {
  auto now = h_.now();
  auto real = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto dom = h_.domain();
  auto today = workflow::local_date(now);
  return {{"now", now},
          {"local", local_time_label(now)},
          {"offset_seconds", now - real},
          {"working_day", dom->calendar.is_working_day(today)}};
}

awaitable<http::response> service::clock(http::request_context& ctx) { co_return json_reply(ctx.req, 200, clock_json()); }

awaitable<http::response> service::set_clock(http::request_context& ctx) {
  auto j = json::parse(ctx.req.body(), nullptr, false);
  auto r = clock_advance(j, h_.domain()->calendar, h_.now());
  if (auto* err = std::get_if<std::string>(&r)) co_return http::error_response(ctx.req, 400, "bad_request", *err);
  auto seconds = std::get<std::int64_t>(r);
  try {
    h_.advance_clock(seconds);
  } catch (const std::exception& e) {
    co_return http::error_response(ctx.req, 409, "conflict", e.what());
  }
  log::info("sandbox", "clock moved forward ", seconds, " s to ", local_time_label(h_.now()));
  auto body = clock_json();
  body["advanced_seconds"] = seconds;
  co_return json_reply(ctx.req, 200, body);
}

awaitable<http::response> service::quirks(http::request_context& ctx) {
  auto j = json::parse(ctx.req.body(), nullptr, false);
  auto parsed = parse_quirk(j);
  if (auto* err = std::get_if<std::string>(&parsed)) co_return http::error_response(ctx.req, 400, "bad_request", *err);
  auto q = std::get<quirk>(parsed);
  if (q.what == quirk::kind::duplicate) {
    std::vector<std::string> cmd{"GET", keys_.make("sandbox", "last")};
    auto r = co_await redis_->exec(std::move(cmd));
    if (!r.ok()) co_return http::error_response(ctx.req, 503, "unavailable", "Redis is not answering");
    if (r.v.is_nil()) co_return http::error_response(ctx.req, 409, "conflict", "no message has been sent yet");
    auto mj = json::parse(r.v.text(), nullptr, false);
    auto m = mj.is_discarded() ? std::nullopt : ingest::inbound_from_json(mj);
    if (!m) co_return http::error_response(ctx.req, 500, "internal", "the last message is unreadable");
    // Exactly what a platform does when it did not see our acknowledgement: the same event again.
    std::vector<adapters::inbound_message> batch{*m};
    auto stored = co_await inbox_.store(batch);
    if (!stored.ok) co_return http::error_response(ctx.req, 503, "unavailable", "Redis cannot take the message now");
    json body = {{"kind", "duplicate"}, {"message_id", m->message_id}, {"chat", m->chat_id}, {"fresh", stored.fresh},
                 {"duplicates", stored.duplicates}};
    co_return json_reply(ctx.req, 200, body);
  }
  if (q.what == quirk::kind::rate_limit) {
    std::vector<std::string> cmd{"SET", keys_.make("sandbox", "limit", s_.bot, q.chat),
                                 std::to_string(q.limit) + "/" + std::to_string(q.window_seconds * 1000), "EX",
                                 std::to_string(q.seconds)};
    auto r = co_await redis_->exec(std::move(cmd));
    if (!r.ok()) co_return http::error_response(ctx.req, 503, "unavailable", "Redis is not answering");
    log::info("sandbox", "rate limit on ", q.chat, ": ", q.limit, " per ", q.window_seconds, " s for ", q.seconds, " s");
    json body = {{"kind", "rate_limit"}, {"chat", q.chat}, {"limit", q.limit}, {"window_seconds", q.window_seconds},
                 {"seconds", q.seconds}};
    co_return json_reply(ctx.req, 200, body);
  }
  // Redis stops answering everybody for a while: commands time out, webhooks answer 503, the
  // platforms (and the page) send again; nothing acknowledged is lost.
  std::vector<std::string> cmd{"CLIENT", "PAUSE", std::to_string(q.seconds * 1000), "ALL"};
  auto r = co_await redis_->exec(std::move(cmd));
  if (!r.ok()) co_return http::error_response(ctx.req, 503, "unavailable", "Redis is not answering");
  log::warn("sandbox", "Redis paused for ", q.seconds, " s on request (quirk)");
  json body = {{"kind", "redis_outage"}, {"seconds", q.seconds}};
  co_return json_reply(ctx.req, 200, body);
}

awaitable<http::response> service::cases(http::request_context& ctx) {
  std::vector<std::string> cmd{"ZREVRANGE", keys_.make("cases"), "0", "29"};
  auto r = co_await redis_->exec(std::move(cmd));
  if (!r.ok()) co_return http::error_response(ctx.req, 503, "unavailable", "Redis is not answering");
  std::vector<std::string> numbers;
  if (r.v.is_array()) {
    for (const auto& e : r.v.elements()) numbers.push_back(e.text());
  }
  auto records = co_await cases_.load_many(numbers);
  auto secret = co_await h_.link_secret();
  auto dom = h_.domain();
  json list = json::array();
  for (const auto& c : records) {
    auto j = api::case_json(c, *dom, api::view_level::staff);
    if (!secret.empty()) j["track_url"] = "/c/" + c.number + "?t=" + web::link_token(secret, c.number);
    list.push_back(std::move(j));
  }
  json body = {{"cases", list}};
  co_return json_reply(ctx.req, 200, body);
}

awaitable<std::chrono::milliseconds> service::gate(const adapters::outbound_message& m) {
  std::vector<std::string> cmd{"GET", keys_.make("sandbox", "limit", m.target.bot, m.target.chat_id)};
  auto r = co_await redis_->exec(std::move(cmd));
  if (!r.ok()) co_return std::chrono::milliseconds(1000);
  if (!r.v.is_string()) co_return std::chrono::milliseconds(0);
  const auto& v = r.v.text();
  auto slash = v.find('/');
  send::rate_limit lim;
  try {
    lim.limit = std::stoi(v.substr(0, slash));
    lim.window = std::chrono::milliseconds(std::stoll(v.substr(slash + 1)));
  } catch (const std::exception&) {
    co_return std::chrono::milliseconds(0);
  }
  auto d = co_await limiter_->acquire("sandbox:" + m.target.bot + ":" + m.target.chat_id, lim);
  if (d.allowed) co_return std::chrono::milliseconds(0);
  co_return std::max(d.wait, std::chrono::milliseconds(100));
}

}  // namespace lianxin::sandbox
