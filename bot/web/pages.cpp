#include "bot/web/pages.hpp"

#include "adapters/common/digest.hpp"
#include "bot/api/case_view.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_actions.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/flow/filing.hpp"
#include "bot/flow/recipients.hpp"
#include "bot/qr/png.hpp"
#include "bot/qr/poster.hpp"
#include "bot/qr/qr.hpp"
#include "bot/redis/client.hpp"
#include "bot/web/assets.hpp"
#include "bot/web/form.hpp"
#include "bot/web/html.hpp"
#include "bot/web/respond.hpp"
#include "bot/web/tokens.hpp"
#include "workflow/intake/dialogue.hpp"
#include "workflow/intake/text.hpp"
#include "workflow/privacy.hpp"

#include <nlohmann/json.hpp>

#include <ctime>

namespace lianxin::web {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;
namespace itext = workflow::intake::text;

constexpr std::int64_t kFormMaxAge = 2 * 3600;
constexpr const char* kCookie = "lx_csrf";

const std::string& asset_text(std::string_view name) {
  static const std::string empty;
  const auto& a = embedded_assets();
  auto it = a.find(name);
  return it == a.end() ? empty : it->second;
}

std::string date_time(std::int64_t unix_s) {
  std::time_t t = unix_s + 8 * 3600;  // China time, whatever the server's zone
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// Image type from the bytes themselves, whatever the browser claimed.
std::string sniff_image(std::string_view b) {
  if (b.size() > 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return "image/jpeg";
  if (b.size() > 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  return {};
}

std::string size_label(std::int64_t bytes) {
  if (bytes >= 1024 * 1024) return std::to_string(bytes / (1024 * 1024)) + "MB";
  return std::to_string(bytes / 1024) + "KB";
}

std::string client_address(const http::request_context& ctx) { return ctx.remote.empty() ? "unknown" : ctx.remote; }

}  // namespace

struct pages::pending {
  std::string code, text, category, village, phone;
  bool anonymous = false;
  std::vector<std::string> photos;   // blob:<sha256>
  std::vector<std::string> offered;  // similar case numbers shown to the resident
  json to_json() const {
    return {{"code", code}, {"text", text}, {"category", category}, {"village", village}, {"phone", phone},
            {"anonymous", anonymous}, {"photos", photos}, {"offered", offered}};
  }
  static std::optional<pending> from(const std::string& s) {
    auto j = json::parse(s, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    pending p;
    p.code = j.value("code", "");
    p.text = j.value("text", "");
    p.category = j.value("category", "");
    p.village = j.value("village", "");
    p.phone = j.value("phone", "");
    p.anonymous = j.value("anonymous", false);
    if (j.contains("photos") && j["photos"].is_array()) p.photos = j["photos"].get<std::vector<std::string>>();
    if (j.contains("offered") && j["offered"].is_array()) p.offered = j["offered"].get<std::vector<std::string>>();
    return p;
  }
};

pages::pages(redis::client& redis, const store::keys& keys, flow::case_store& cases, flow::case_actions& actions,
             std::function<std::shared_ptr<const domain::tenant_domain>()> domain, const platforms::bots& bots,
             metrics::registry& metrics, std::function<std::int64_t()> now, api::settings settings, std::string issuer)
    : redis_(redis),
      keys_(keys),
      cases_(cases),
      actions_(actions),
      domain_(std::move(domain)),
      bots_(bots),
      metrics_(metrics),
      now_(std::move(now)),
      settings_(std::move(settings)),
      issuer_(std::move(issuer)) {
  metrics_.describe_counter("lx_web_submissions_total", "Web form submissions by outcome");
}

void pages::add_routes(http::router& r) {
  r.add(bhttp::verb::get, "/d/{code}", [this](http::request_context& ctx) { return deputy_page(ctx); });
  r.add(bhttp::verb::post, "/d/{code}", [this](http::request_context& ctx) { return submit(ctx); });
  r.add(bhttp::verb::get, "/c/{number}", [this](http::request_context& ctx) { return track(ctx); });
  r.add(bhttp::verb::post, "/c/{number}/rate", [this](http::request_context& ctx) { return rate(ctx); });
  r.add(bhttp::verb::get, "/web/classify", [this](http::request_context& ctx) { return classify(ctx); });
  r.add(bhttp::verb::get, "/static/{file}", [this](http::request_context& ctx) { return asset(ctx); });
  r.add(bhttp::verb::get, "/favicon.ico", [](http::request_context& ctx) -> awaitable<http::response> {
    auto res = http::make_response(ctx.req, 204, "");
    res.set(bhttp::field::cache_control, "public, max-age=86400");
    co_return res;
  });
  r.add(bhttp::verb::get, "/api/v1/deputies/{code}/{file}", [this](http::request_context& ctx) { return qr(ctx); });
}

std::string pages::text(const std::string& key, const std::map<std::string, std::string>& params) const {
  return domain_()->render({{key, params}});
}

awaitable<std::string> pages::secret() {
  {
    std::lock_guard lock(secret_mutex_);
    if (!settings_.link_secret.empty()) co_return settings_.link_secret;
    if (!secret_.empty()) co_return secret_;
  }
  // One secret for every instance: the first to ask creates it.
  std::vector<std::vector<std::string>> cmds;
  cmds.push_back({"SET", keys_.make("secret", "links"), new_nonce() + new_nonce(), "NX"});
  cmds.push_back({"GET", keys_.make("secret", "links")});
  auto r = co_await redis_.exec_many(std::move(cmds));
  if (r.size() != 2 || !r[1].ok() || !r[1].v.is_string()) co_return std::string();
  std::lock_guard lock(secret_mutex_);
  secret_ = r[1].v.text();
  co_return secret_;
}

awaitable<bool> pages::over_limit(const std::string& address) {
  const auto hour = std::to_string(now_() / 3600);
  auto key = keys_.make("web", "rl", address, hour);
  std::vector<std::vector<std::string>> cmds;
  cmds.push_back({"INCR", key});
  cmds.push_back({"EXPIRE", key, "3700"});
  auto r = co_await redis_.exec_many(std::move(cmds));
  if (r.empty() || !r[0].ok()) co_return false;  // the submission itself will fail and say so
  co_return r[0].v.as_integer().value_or(0) > settings_.submits_per_hour;
}

http::response pages::page(const http::request& req, unsigned status, const std::string& title,
                           const std::string& body) {
  auto dom = domain_();
  auto cat = [&](std::string_view key) { return dom->render({{std::string(key), {}}}); };
  vars v{{"title", title}, {"body", body}};
  auto res = http::make_response(req, status, render(asset_text("templates/layout.html"), v, cat),
                                 "text/html; charset=utf-8");
  security_headers(res);
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

http::response pages::message_page(const http::request& req, unsigned status, const std::string& title,
                                   const std::vector<std::string>& paragraphs, const std::string& link_href,
                                   const std::string& link_text, const std::string& kind) {
  std::string ps;
  for (const auto& p : paragraphs) ps += "<p>" + escape(p) + "</p>\n";
  std::string link;
  if (!link_href.empty()) {
    link = "<p class=\"link\"><a id=\"track-link\" href=\"" + escape(link_href) + "\">" + escape(link_text) + "</a></p>";
  }
  vars v{{"title", title}, {"paragraphs_html", ps}, {"link_html", link}, {"kind", kind}};
  auto dom = domain_();
  auto cat = [&](std::string_view key) { return dom->render({{std::string(key), {}}}); };
  return page(req, status, title, render(asset_text("templates/message.html"), v, cat));
}

std::string pages::tracking_url(const std::string& secret, const std::string& number) const {
  return settings_.public_base_url + "/c/" + number + "?t=" + link_token(secret, number);
}

awaitable<http::response> pages::form_page(http::request_context& ctx, const std::string& code, unsigned status,
                                           const std::vector<std::string>& errors, const pending* values) {
  auto dom = domain_();
  const auto& d = *dom;
  const auto* dep = d.roster.find_deputy(code);
  auto key = co_await secret();
  if (key.empty()) co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
  const auto nonce = new_nonce();
  vars v;
  v["code"] = code;
  v["title"] = text("web.d.title", {{"name", dep->name}});
  std::string station_name;
  if (const auto* st = d.roster.find_station(dep->station)) station_name = st->name;
  std::string level = qr::level_label(qr::parse_deputy_level(workflow::to_string(dep->level)).value_or(qr::deputy_level::township));
  v["who"] = station_name.empty() ? level : text("web.d.who", {{"level", level}, {"station", station_name}});
  v["constituency_html"] =
      dep->constituency.empty() ? "" : "<p>" + escape(text("web.d.constituency", {{"constituency", dep->constituency}})) + "</p>";
  v["csrf"] = csrf_token(key, nonce, now_());
  v["max_chars"] = std::to_string(d.intake.max_text_chars);
  v["max_photos"] = std::to_string(settings_.max_photos);
  v["max_photo_bytes"] = std::to_string(settings_.max_photo_bytes);
  v["photos_hint"] = text("web.field.photos_hint", {{"count", std::to_string(settings_.max_photos)},
                                                     {"size", size_label(settings_.max_photo_bytes)}});
  v["content"] = values ? values->text : "";
  v["phone"] = values ? values->phone : "";
  v["anonymous_checked"] = values && values->anonymous ? "checked" : "";
  std::string errs;
  if (!errors.empty()) {
    errs = "<div class=\"errors\" role=\"alert\" id=\"errors\">";
    for (const auto& e : errors) errs += "<p>" + escape(e) + "</p>";
    errs += "</div>";
  }
  v["errors_html"] = errs;
  std::string cats;
  for (const auto& c : d.roster.categories()) {
    bool sel = values && values->category == c.id;
    cats += "<option value=\"" + escape(c.id) + "\"" + (sel ? " selected" : "") + ">" + escape(c.name) + "</option>\n";
  }
  v["category_options"] = cats;
  // Villages grouped by township; the deputy's own village chosen by default.
  const std::string chosen = values && !values->village.empty() ? values->village : dep->village;
  std::string vil;
  for (const auto& t : d.roster.townships()) {
    std::string group;
    for (const auto& vg : d.roster.villages()) {
      if (vg.township != t.id) continue;
      group += "<option value=\"" + escape(vg.id) + "\"" + (vg.id == chosen ? " selected" : "") + ">" + escape(vg.name) +
               "</option>\n";
    }
    if (!group.empty()) vil += "<optgroup label=\"" + escape(t.name) + "\">\n" + group + "</optgroup>\n";
  }
  if (chosen.empty()) vil = "<option value=\"\" selected></option>\n" + vil;
  v["village_options"] = vil;
  auto cat = [&](std::string_view k) { return d.render({{std::string(k), {}}}); };
  auto res = page(ctx.req, status, v["title"], render(asset_text("templates/deputy.html"), v, cat));
  res.set(bhttp::field::set_cookie, std::string(kCookie) + "=" + nonce + "; Path=/; Max-Age=" +
                                        std::to_string(kFormMaxAge) + "; HttpOnly; SameSite=Strict");
  co_return res;
}

awaitable<http::response> pages::deputy_page(http::request_context& ctx) {
  const auto code = ctx.param("code");
  if (!domain_()->roster.find_deputy(code)) {
    co_return message_page(ctx.req, 404, text("web.error.not_found_title"), {text("web.error.not_found")});
  }
  co_return co_await form_page(ctx, code, 200, {}, nullptr);
}

awaitable<http::response> pages::submit(http::request_context& ctx) {
  const auto code = ctx.param("code");
  auto dom = domain_();
  const auto& d = *dom;
  if (!d.roster.find_deputy(code)) {
    co_return message_page(ctx.req, 404, text("web.error.not_found_title"), {text("web.error.not_found")});
  }
  auto form = parse_form(ctx.req[bhttp::field::content_type], ctx.req.body());
  if (!form.error.empty()) {
    metrics_.inc("lx_web_submissions_total", {{"outcome", "bad_form"}});
    co_return message_page(ctx.req, form.error == "unsupported form content type" ? 415 : 400,
                           text("web.error.expired"), {text("web.error.expired")}, "/d/" + code, text("web.submit"));
  }
  auto key = co_await secret();
  if (key.empty()) co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
  auto nonce = check_csrf(key, form.text("csrf"), cookie_value(ctx.req[bhttp::field::cookie], kCookie), now_(),
                          kFormMaxAge);
  if (!nonce) {
    metrics_.inc("lx_web_submissions_total", {{"outcome", "csrf"}});
    co_return message_page(ctx.req, 403, text("web.error.expired"), {text("web.error.expired")}, "/d/" + code,
                           text("web.submit"), "notice");
  }
  // A double submit (or a reload after success) shows what the first one produced.
  {
    std::vector<std::string> get{"GET", keys_.make("web", "done", *nonce)};
    auto done = co_await redis_.exec(std::move(get));
    if (!done.ok()) co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
    if (done.v.is_string()) {
      const auto& s = done.v.text();
      const bool joined = s.rfind("join:", 0) == 0;
      const std::string number = joined ? s.substr(5) : s;
      auto c = co_await cases_.load(number);
      std::string deputy_name;
      if (c) {
        if (const auto* dep = d.roster.find_deputy(c->deputy)) deputy_name = dep->name;
      }
      std::string line = joined ? text("web.joined.text", {{"case", number}})
                         : deputy_name.empty() ? text("web.submitted.text_station", {{"case", number}})
                                               : text("web.submitted.text", {{"case", number}, {"deputy", deputy_name}});
      co_return message_page(ctx.req, 200, text(joined ? "web.joined.title" : "web.submitted.title"),
                             {line, text("web.submitted.keep")}, tracking_url(key, number), text("web.submitted.track"),
                             "ok");
    }
  }
  if (co_await over_limit(client_address(ctx))) {
    metrics_.inc("lx_web_submissions_total", {{"outcome", "rate_limited"}});
    auto res = message_page(ctx.req, 429, text("web.error.too_many"), {text("web.error.too_many")});
    res.set(bhttp::field::retry_after, "600");
    co_return res;
  }

  // The answer to the similar-case question: file anyway, or join one of the offered cases.
  if (const auto* choice = form.find("choice")) {
    std::vector<std::string> get{"GET", keys_.make("web", "pending", *nonce)};
    auto pr = co_await redis_.exec(std::move(get));
    auto p = pr.ok() && pr.v.is_string() ? pending::from(pr.v.text()) : std::nullopt;
    if (!p || p->code != code) {
      co_return message_page(ctx.req, 410, text("web.error.expired"), {text("web.error.expired")}, "/d/" + code,
                             text("web.submit"), "notice");
    }
    if (choice->value == "new") co_return co_await file_pending(ctx, *p, *nonce);
    if (std::find(p->offered.begin(), p->offered.end(), choice->value) != p->offered.end()) {
      co_return co_await join_pending(ctx, *nonce, choice->value);
    }
    co_return message_page(ctx.req, 400, text("web.error.expired"), {text("web.error.expired")}, "/d/" + code,
                           text("web.submit"), "notice");
  }

  // A new submission: check every field and say precisely what is wrong.
  pending p;
  p.code = code;
  p.text = itext::normalize(form.text("content"));
  p.category = form.text("category");
  p.village = form.text("village");
  p.anonymous = form.text("anonymous") == "1";
  std::vector<std::string> errors;
  const auto chars = itext::code_points(p.text);
  if (chars < d.intake.min_content_chars) {
    errors.push_back(text("web.error.content", {{"min", std::to_string(d.intake.min_content_chars)}}));
  } else if (chars > d.intake.max_text_chars) {
    errors.push_back(text("web.error.content_long", {{"max", std::to_string(d.intake.max_text_chars)}}));
  }
  const auto phone_raw = itext::normalize(form.text("phone"));
  if (!phone_raw.empty()) {
    auto ph = itext::find_phone(phone_raw);
    std::string digits;
    for (char ch : phone_raw) {
      if (ch >= '0' && ch <= '9') digits += ch;
    }
    if (!ph || digits != ph->digits) {
      errors.push_back(text("web.error.phone"));
      p.phone = phone_raw.substr(0, 20);
    } else {
      p.phone = ph->digits;
    }
  }
  if (!d.roster.find_village(p.village)) errors.push_back(text("web.error.village"));
  if (!p.category.empty() && !d.roster.find_category(p.category)) errors.push_back(text("web.error.category"));
  // Photos: type from the bytes, count and total size within the configured limits.
  std::vector<std::pair<std::string, std::string>> photos;  // (type, bytes)
  std::int64_t total = 0;
  bool photos_ok = true;
  for (const auto& f : form.fields) {
    if (f.name != "photos" || !f.is_file || (f.filename.empty() && f.value.empty())) continue;
    auto type = sniff_image(f.value);
    total += static_cast<std::int64_t>(f.value.size());
    if (type.empty()) photos_ok = false;
    photos.emplace_back(type, f.value);
  }
  if (!photos_ok || static_cast<int>(photos.size()) > settings_.max_photos || total > settings_.max_photo_bytes) {
    errors.push_back(text("web.error.photos", {{"count", std::to_string(settings_.max_photos)},
                                                {"size", size_label(settings_.max_photo_bytes)}}));
  }
  if (!errors.empty()) {
    metrics_.inc("lx_web_submissions_total", {{"outcome", "invalid"}});
    co_return co_await form_page(ctx, code, 400, errors, &p);
  }

  // Emergencies and matters that are not ours: say where to go, file nothing.
  auto screened = workflow::intake::screen_out(p.text, d.intake);
  if (screened.kind != workflow::intake::screening::none) {
    metrics_.inc("lx_web_submissions_total", {{"outcome", "redirected"}});
    std::vector<std::string> lines;
    for (const auto& m : screened.reply) lines.push_back(d.render({m}));
    co_return message_page(ctx.req, 200,
                           text(screened.kind == workflow::intake::screening::emergency ? "web.emergency.title"
                                                                                       : "web.redirect.title"),
                           lines, {}, {}, "notice");
  }
  if (p.category.empty()) {
    auto cls = d.classify(p.text);
    p.category = cls.ranked.empty() ? d.intake.other_category_id : cls.ranked.front().category_id;
  }
  // Photos are stored now (content-addressed, expiring unless a filed case keeps them).
  if (!photos.empty()) {
    std::vector<std::vector<std::string>> cmds;
    for (const auto& [type, bytes] : photos) {
      auto id = adapters::common::sha256_hex(bytes);
      cmds.push_back({"HSET", keys_.make("blob", id), "type", type, "data", bytes});
      cmds.push_back({"EXPIRE", keys_.make("blob", id), "86400", "NX"});
      p.photos.push_back("blob:" + id);
    }
    auto r = co_await redis_.exec_many(std::move(cmds));
    for (const auto& x : r) {
      if (!x.ok()) co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
    }
  }
  auto similar = co_await flow::find_similar_open(cases_, d, p.village, p.category, p.text, d.intake.similarity_threshold,
                                                  d.intake.max_similar);
  if (!similar.empty()) {
    std::string list;
    for (const auto& s : similar) {
      p.offered.push_back(s.number);
      list += "<div class=\"case\"><p>" + escape(s.number) + "：" +
              escape(privacy::mask_pii(itext::code_points(s.text) > 60 ? itext::cut(s.text, 0, 60) + "…" : s.text)) +
              "</p><button type=\"submit\" name=\"choice\" value=\"" + escape(s.number) + "\">" +
              escape(text("web.similar.join")) + "</button></div>\n";
    }
    std::vector<std::string> set{"SET", keys_.make("web", "pending", *nonce), p.to_json().dump(), "EX", "1800"};
    auto r = co_await redis_.exec(std::move(set));
    if (!r.ok()) co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
    metrics_.inc("lx_web_submissions_total", {{"outcome", "similar_offered"}});
    vars v{{"code", code}, {"csrf", form.text("csrf")}, {"cases_html", list}};
    auto cat = [&](std::string_view k) { return d.render({{std::string(k), {}}}); };
    co_return page(ctx.req, 200, text("web.similar.title"), render(asset_text("templates/similar.html"), v, cat));
  }
  co_return co_await file_pending(ctx, p, *nonce);
}

awaitable<http::response> pages::file_pending(http::request_context& ctx, const pending& p, const std::string& nonce) {
  auto dom = domain_();
  const auto& d = *dom;
  auto key = co_await secret();
  flow::recipients who(d, bots_);
  flow::filing_request rq;
  rq.text = p.text;
  rq.category = p.category;
  rq.village = p.village;
  rq.photos = p.photos;
  rq.anonymous = p.anonymous;
  rq.reporter = workflow::party{"web", "", "w-" + nonce, false};
  rq.phone = p.phone;
  rq.explicit_deputy = p.code;
  rq.sender_platform = "web";
  rq.now = now_();
  flow::commit c;
  auto filed = co_await flow::stage_filing(cases_, d, who, keys_, c, rq);
  if (!filed.ok) {
    log::req(log::level::warn, "web", ctx.request_id, "submission not filed: ", filed.error);
    co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
  }
  // Filed once per form: a concurrent double submit loses the race on this key (the version
  // check makes the whole commit fail) and shows the first one's result after a reload.
  c.checks.emplace_back(keys_.make("web", "donelock", nonce), -1);
  c.op({"HSET", keys_.make("web", "donelock", nonce), "ver", "0"});
  c.op({"EXPIRE", keys_.make("web", "donelock", nonce), "86400"});
  c.op({"SET", keys_.make("web", "done", nonce), filed.number, "EX", "86400"});
  c.op({"DEL", keys_.make("web", "pending", nonce)});
  for (const auto& ph : p.photos) c.op({"PERSIST", keys_.make("blob", ph.substr(5))});
  auto r = co_await flow::run_commit(redis_, c);
  if (!r.ok) {
    log::req(log::level::warn, "web", ctx.request_id, "submission commit failed: ", r.detail);
    if (r.conflict) {
      co_return message_page(ctx.req, 409, text("web.error.expired"), {text("web.error.expired")});
    }
    co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
  }
  metrics_.inc("lx_web_submissions_total", {{"outcome", "filed"}});
  metrics_.inc("lx_cases_filed_total");
  log::req(log::level::info, "web", ctx.request_id, "filed ", filed.number, " for deputy ", p.code);
  std::string line = filed.deputy_name.empty()
                         ? text("web.submitted.text_station", {{"case", filed.number}})
                         : text("web.submitted.text", {{"case", filed.number}, {"deputy", filed.deputy_name}});
  co_return message_page(ctx.req, 201, text("web.submitted.title"), {line, text("web.submitted.keep")},
                         tracking_url(key, filed.number), text("web.submitted.track"), "ok");
}

awaitable<http::response> pages::join_pending(http::request_context& ctx, const std::string& nonce,
                                              const std::string& number) {
  auto key = co_await secret();
  workflow::action a;
  a.kind = workflow::action_kind::add_follower;
  a.by = workflow::actor{workflow::actor_role::resident, "web:w-" + nonce};
  a.parties.push_back(workflow::party{"web", "", "w-" + nonce, false});
  a.transition_id = "web:join:" + nonce;
  auto r = co_await actions_.perform(number, a);
  if (!r.ok && !(r.error && r.error->code == workflow::errc::already_exists)) {
    log::req(log::level::info, "web", ctx.request_id, "join of ", number, " refused: ",
             r.error ? r.error->message : r.detail);
    co_return message_page(ctx.req, r.unavailable ? 503 : 409, text("web.error.busy"), {text("web.error.busy")});
  }
  std::vector<std::vector<std::string>> cmds;
  cmds.push_back({"SET", keys_.make("web", "done", nonce), "join:" + number, "EX", "86400"});
  cmds.push_back({"DEL", keys_.make("web", "pending", nonce)});
  co_await redis_.exec_many(std::move(cmds));
  metrics_.inc("lx_web_submissions_total", {{"outcome", "joined"}});
  co_return message_page(ctx.req, 200, text("web.joined.title"),
                         {text("web.joined.text", {{"case", number}}), text("web.submitted.keep")},
                         tracking_url(key, number), text("web.submitted.track"), "ok");
}

awaitable<http::response> pages::track(http::request_context& ctx) {
  const auto number = ctx.param("number");
  auto q = http::parse_query(ctx.query);
  auto key = co_await secret();
  auto bad_link = [&] {
    return message_page(ctx.req, 404, text("web.error.link_title"), {text("web.error.link")}, {}, {}, "notice");
  };
  auto t = q.find("t");
  if (key.empty() || t == q.end() || !check_link_token(key, number, t->second)) co_return bad_link();
  auto c = co_await cases_.load(number);
  if (!c) co_return bad_link();
  auto dom = domain_();
  const auto& d = *dom;
  vars v;
  v["state"] = workflow::to_string(c->state);
  v["number_line"] = text("web.track.number", {{"case", c->number}});
  v["status_line"] = text("web.track.status", {{"status", api::status_label(d, c->state)}});
  const auto* cat = d.roster.find_category(c->category);
  v["category_line"] = text("web.track.category", {{"category", cat ? cat->name : c->category}});
  const auto* vil = d.roster.find_village(c->village);
  v["village_line"] = text("web.track.village", {{"village", vil ? vil->name : c->village}});
  v["content_line"] = text("web.track.content", {{"text", privacy::mask_pii(c->text)}});
  std::string notice;
  if (c->state == workflow::case_state::closed) notice = "<p class=\"notice\">" + escape(text("web.track.closed")) + "</p>";
  if (c->state == workflow::case_state::merged) {
    notice = "<p class=\"notice\">" + escape(text("web.track.merged", {{"case", c->merged_into}})) + "</p>";
  }
  v["notice_html"] = notice;
  v["reply_html"] = c->reply.empty()
                        ? ""
                        : "<div class=\"reply\" id=\"reply\"><p>" + escape(text("web.track.reply", {{"reply", c->reply}})) +
                              "</p></div>";
  std::string steps;
  auto view = api::case_json(*c, d, api::view_level::public_view);
  for (const auto& e : view["log"]) {
    std::string what = e["what"];
    std::string label;
    if (what == "assign") {
      std::string dept = e["by"].value("name", "");
      const auto* dp = d.roster.find_department(c->department);
      label = text("web.step.assign", {{"department", dp ? dp->name : dept}});
    } else {
      label = text("web.step." + what);
      if (label == "web.step." + what) label = text("web.step.other");
    }
    steps += "<li><time>" + escape(date_time(e["at"].get<std::int64_t>())) + "</time>" + escape(label) + "</li>\n";
  }
  v["steps_html"] = steps;
  std::string rate_html;
  std::string nonce;
  if (c->state == workflow::case_state::replied && !c->resident_rating) {
    nonce = new_nonce();
    rate_html = "<form class=\"rate\" method=\"post\" action=\"/c/" + escape(c->number) +
                "/rate\" enctype=\"application/x-www-form-urlencoded\"><h2>" + escape(text("web.rate.title")) +
                "</h2><input type=\"hidden\" name=\"t\" value=\"" + escape(t->second) +
                "\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf_token(key, nonce, now_())) + "\">";
    for (const char* r : {"satisfied", "basically_satisfied", "dissatisfied"}) {
      rate_html += std::string("<label><input type=\"radio\" name=\"rating\" value=\"") + r + "\" required> " +
                   escape(text(std::string("rating.") + r)) + "</label>";
    }
    rate_html += "<button type=\"submit\" id=\"rate-submit\">" + escape(text("web.rate.submit")) + "</button></form>";
  } else if (c->resident_rating) {
    rate_html = "<p class=\"notice\" id=\"rated\">" +
                escape(text("web.rate.done", {{"rating", text(std::string("rating.") + workflow::to_string(*c->resident_rating))}})) +
                "</p>";
    if (c->state == workflow::case_state::reopened) {
      rate_html += "<p class=\"notice\">" + escape(text("web.rate.reopened")) + "</p>";
    }
  }
  v["rate_html"] = rate_html;
  auto catf = [&](std::string_view k) { return d.render({{std::string(k), {}}}); };
  auto res = page(ctx.req, 200, text("web.track.title"), render(asset_text("templates/track.html"), v, catf));
  if (!nonce.empty()) {
    res.set(bhttp::field::set_cookie, std::string(kCookie) + "=" + nonce + "; Path=/; Max-Age=" +
                                          std::to_string(kFormMaxAge) + "; HttpOnly; SameSite=Strict");
  }
  co_return res;
}

awaitable<http::response> pages::rate(http::request_context& ctx) {
  const auto number = ctx.param("number");
  auto form = parse_form(ctx.req[bhttp::field::content_type], ctx.req.body());
  auto key = co_await secret();
  auto bad_link = [&] {
    return message_page(ctx.req, 404, text("web.error.link_title"), {text("web.error.link")}, {}, {}, "notice");
  };
  if (!form.error.empty() || key.empty()) co_return bad_link();
  const auto token = form.text("t");
  if (!check_link_token(key, number, token)) co_return bad_link();
  const std::string back = "/c/" + number + "?t=" + token;
  auto nonce = check_csrf(key, form.text("csrf"), cookie_value(ctx.req[bhttp::field::cookie], kCookie), now_(), kFormMaxAge);
  if (!nonce) co_return message_page(ctx.req, 403, text("web.error.expired"), {text("web.error.expired")}, back,
                                     text("web.submitted.track"), "notice");
  if (co_await over_limit(client_address(ctx))) {
    co_return message_page(ctx.req, 429, text("web.error.too_many"), {text("web.error.too_many")});
  }
  auto value = workflow::parse_rating(form.text("rating"));
  auto c = co_await cases_.load(number);
  if (!c) co_return bad_link();
  if (!value) co_return message_page(ctx.req, 400, text("web.rate.title"), {text("web.rate.title")}, back,
                                     text("web.submitted.track"), "notice");
  // The link is the reporter's: the rating is theirs.
  workflow::action a;
  a.kind = workflow::action_kind::rate;
  a.by = workflow::actor{workflow::actor_role::resident, c->reporter.identity()};
  a.value = value;
  a.transition_id = "web:rate:" + *nonce;
  auto r = co_await actions_.perform(number, a);
  if (r.unavailable) co_return message_page(ctx.req, 503, text("web.error.busy"), {text("web.error.busy")});
  // Refusals (already rated, not replied yet) just show the page as it is now.
  http::response res{bhttp::status::see_other, ctx.req.version()};
  res.set(bhttp::field::location, back);
  security_headers(res);
  res.set(bhttp::field::cache_control, "no-store");
  res.prepare_payload();
  co_return res;
}

awaitable<http::response> pages::classify(http::request_context& ctx) {
  auto q = http::parse_query(ctx.query);
  auto it = q.find("text");
  json j{{"category", nullptr}};
  if (it != q.end() && it->second.size() <= 4000) {
    auto dom = domain_();
    auto cls = dom->classify(itext::normalize(it->second));
    if (!cls.ranked.empty()) {
      j["category"] = cls.ranked.front().category_id;
      j["confident"] = cls.confident;
      if (const auto* c = dom->roster.find_category(cls.ranked.front().category_id)) j["name"] = c->name;
    }
  }
  auto res = http::json_response(ctx.req, 200, j.dump());
  security_headers(res);
  res.set(bhttp::field::cache_control, "no-store");
  co_return res;
}

awaitable<http::response> pages::asset(http::request_context& ctx) {
  co_return asset_response(ctx.req, "static/" + ctx.param("file"));
}

awaitable<http::response> pages::qr(http::request_context& ctx) {
  const auto code = ctx.param("code");
  const auto file = ctx.param("file");
  auto dom = domain_();
  const auto* dep = dom->roster.find_deputy(code);
  if (!dep) co_return http::error_response(ctx.req, 404, "not_found", "no such deputy");
  if (file != "qr.png" && file != "qr.svg" && file != "poster.svg") {
    co_return http::error_response(ctx.req, 404, "not_found", "qr.png, qr.svg or poster.svg");
  }
  std::string base = settings_.public_base_url;
  if (base.empty()) {
    auto host = ctx.req[bhttp::field::host];
    base = "http://" + std::string(host.empty() ? "127.0.0.1" : host);
  }
  auto url = qr::deputy_url(base, code);
  if (!url) co_return http::error_response(ctx.req, 500, "internal", url.err().message);
  auto m = qr::encode(*url);
  if (!m) co_return http::error_response(ctx.req, 500, "internal", m.err().message);
  http::response res;
  if (file == "qr.png") {
    auto png = qr::to_png(*m);
    if (!png) co_return http::error_response(ctx.req, 500, "internal", png.err().message);
    res = http::make_response(ctx.req, 200, std::move(*png), "image/png");
  } else if (file == "qr.svg") {
    res = http::make_response(ctx.req, 200, qr::to_svg(*m), "image/svg+xml");
  } else {
    qr::poster_input in;
    in.deputy_code = code;
    in.name = dep->name;
    in.level = qr::parse_deputy_level(workflow::to_string(dep->level)).value_or(qr::deputy_level::township);
    if (const auto* st = dom->roster.find_station(dep->station)) in.station = st->name;
    in.constituency = dep->constituency;
    in.url = *url;
    in.issuer = issuer_;
    auto svg = qr::poster_svg(in, *m);
    if (!svg) co_return http::error_response(ctx.req, 500, "internal", svg.err().message);
    res = http::make_response(ctx.req, 200, std::move(*svg), "image/svg+xml");
  }
  security_headers(res);
  res.set(bhttp::field::cache_control, "public, max-age=300");
  co_return res;
}

}  // namespace lianxin::web
