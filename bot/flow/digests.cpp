#include "bot/flow/digests.hpp"

#include "bot/config/reader.hpp"
#include "bot/core/log.hpp"
#include "bot/flow/commit.hpp"
#include "bot/flow/recipients.hpp"
#include "bot/redis/client.hpp"
#include "workflow/calendar.hpp"
#include "workflow/stats.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cmath>

namespace lianxin::flow {
namespace {

using workflow::intake::message;
constexpr std::int64_t kDay = 86400;
constexpr const char* kSentTtl = "7776000";  // 90 days
constexpr std::size_t kBatch = 200;
constexpr std::size_t kClustersListed = 3;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string name_of(const workflow::roster& r, const workflow::case_record& c, bool village) {
  if (village) {
    const auto* v = r.find_village(c.village);
    return v ? v->name : c.village;
  }
  const auto* cat = r.find_category(c.category);
  return cat ? cat->name : c.category;
}

// "83%" from the catalogue, or its "none yet" word when nothing was measured.
std::string percent(const domain::tenant_domain& d, const workflow::stats::ratio& r) {
  auto v = r.rate();
  if (!v) return d.render({{"digest.rate.none", {}}});
  return d.render({{"digest.rate.value", {{"percent", std::to_string(std::lround(*v * 100))}}}});
}

}  // namespace

digest_settings read_digest_settings(const config::config& cfg) {
  digest_settings s;
  const std::string file = cfg.source_file.empty() ? "(defaults)" : cfg.source_file;
  static const nlohmann::json empty = nlohmann::json::object();
  const auto& sec = cfg.raw.contains("digests") ? cfg.raw["digests"] : empty;
  if (!sec.is_object()) throw config::config_error(file + ": digests: must be an object");
  config::object_reader r(sec, "digests", file);
  r.read("enabled", s.enabled);
  std::string weekly = "mon 09:00", monthly = "1 09:00", why;
  r.read("weekly", weekly);
  auto w = workflow::parse_weekly(weekly, &why);
  if (!w) r.fail("weekly", why);
  s.weekly = *w;
  r.read("monthly", monthly);
  auto m = workflow::parse_monthly(monthly, &why);
  if (!m) r.fail("monthly", why);
  s.monthly = *m;
  int listed = static_cast<int>(s.max_cases_listed);
  r.read("max_cases_listed", listed, 1, 200);
  s.max_cases_listed = static_cast<std::size_t>(listed);
  r.finish();
  return s;
}

digests::digests(redis::client& redis, case_store& cases, const store::keys& keys,
                 std::function<std::shared_ptr<const domain::tenant_domain>()> domain, const platforms::bots& bots,
                 metrics::registry& metrics, std::function<std::int64_t()> now, digest_settings settings, int poll_ms)
    : redis_(redis),
      cases_(cases),
      keys_(keys),
      domain_(std::move(domain)),
      bots_(bots),
      metrics_(metrics),
      now_(std::move(now)),
      settings_(settings),
      poll_ms_(poll_ms) {
  metrics_.describe_counter("lx_digests_sent_total", "Digests staged for sending, by kind");
}

awaitable<void> digests::run() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  log::info("digests", "weekly and monthly digests on; the clock is checked every ", poll_ms_, " ms");
  while (!stopping_) {
    if (redis_.connected()) co_await tick();
    timer.expires_after(std::chrono::milliseconds(poll_ms_));
    co_await timer.async_wait(use_nothrow);
  }
}

awaitable<int> digests::tick() {
  int sent = 0;
  if (co_await tick_one(kind::weekly)) ++sent;
  if (co_await tick_one(kind::monthly)) ++sent;
  co_return sent;
}

awaitable<bool> digests::tick_one(kind k) {
  const bool weekly = k == kind::weekly;
  const char* name = weekly ? "weekly" : "monthly";
  const auto& sched = weekly ? settings_.weekly : settings_.monthly;
  const auto off = settings_.utc_offset_seconds;
  const std::int64_t now = now_();
  const std::string due_key = keys_.make("digest", "due", name);
  const std::string next = std::to_string(workflow::next_occurrence(sched, now, off));

  std::vector<std::string> get{"GET", due_key};
  auto due = co_await redis_.exec(std::move(get));
  if (!due.ok()) co_return false;
  if (!due.v.is_string()) {
    // First start: the first digest goes out at the next scheduled moment, not now.
    std::vector<std::string> init{"SET", due_key, next, "NX"};
    co_await redis_.exec(std::move(init));
    co_return false;
  }
  if (now < std::atoll(due.v.text().c_str())) co_return false;

  const std::int64_t occurrence = workflow::latest_occurrence(sched, now, off);
  const std::string period = workflow::period_label(sched, occurrence, off);
  const std::string sent_key = keys_.make("digest", "sent", name, period);
  std::vector<std::string> exists{"EXISTS", sent_key};
  auto seen = co_await redis_.exec(std::move(exists));
  if (!seen.ok()) co_return false;
  if (seen.v.int_value() == 1) {
    std::vector<std::string> advance{"SET", due_key, next};
    co_await redis_.exec(std::move(advance));
    co_return false;
  }

  std::optional<std::vector<adapters::outbound_message>> msgs;
  if (weekly) {
    msgs = co_await weekly_messages(period);
  } else {
    msgs = co_await monthly_messages(period, occurrence);
  }
  if (!msgs) co_return false;  // Redis trouble: the next tick tries again

  commit c;
  c.checks.emplace_back(sent_key, -1);
  c.op({"HSET", sent_key, "ver", "1", "at", std::to_string(now), "messages", std::to_string(msgs->size())});
  c.op({"EXPIRE", sent_key, kSentTtl});
  for (const auto& m : *msgs) cases_.stage_outbound(c, m);
  c.op({"SET", due_key, next});
  auto r = co_await run_commit(redis_, c);
  if (r.ok) {
    metrics_.inc("lx_digests_sent_total", {{"kind", name}});
    log::info("digests", name, " digest ", period, ": ", msgs->size(), " message(s) staged");
    co_return true;
  }
  if (r.conflict) {
    // Another instance sent this period's digest first.
    std::vector<std::string> advance{"SET", due_key, next};
    co_await redis_.exec(std::move(advance));
  } else {
    log::warn("digests", name, " digest ", period, " not staged: ", r.detail, "; retrying");
  }
  co_return false;
}

awaitable<std::optional<std::vector<adapters::outbound_message>>> digests::weekly_messages(const std::string& period) {
  auto dom = domain_();
  const auto& d = *dom;
  const std::int64_t now = now_();
  // Deputies who hold open cases, and those cases (the open-case index sets).
  std::vector<std::string> all{"HGETALL", keys_.make("open_count")};
  auto counts = co_await redis_.exec(std::move(all));
  if (!counts.ok()) co_return std::nullopt;
  std::vector<std::string> deputies;
  const auto& e = counts.v.elements();
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    if (std::atoi(e[i + 1].text().c_str()) > 0) deputies.push_back(e[i].text());
  }
  std::sort(deputies.begin(), deputies.end());
  std::vector<adapters::outbound_message> out;
  if (deputies.empty()) co_return out;
  std::vector<std::vector<std::string>> cmds;
  for (const auto& code : deputies) cmds.push_back({"SMEMBERS", cases_.deputy_key(code)});
  auto sets = co_await redis_.exec_many(std::move(cmds));
  std::vector<std::string> numbers;
  for (const auto& s : sets) {
    if (!s.ok()) co_return std::nullopt;
    for (const auto& n : s.v.elements()) numbers.push_back(n.text());
  }
  std::map<std::string, std::vector<workflow::case_record>> by_deputy;
  for (std::size_t i = 0; i < numbers.size(); i += kBatch) {
    std::vector<std::string> part(numbers.begin() + static_cast<std::ptrdiff_t>(i),
                                  numbers.begin() + static_cast<std::ptrdiff_t>(std::min(numbers.size(), i + kBatch)));
    auto loaded = co_await cases_.load_many(part);
    for (auto& c : loaded) {
      if (c.is_open() && !c.deputy.empty()) by_deputy[c.deputy].push_back(std::move(c));
    }
  }

  recipients who(d, bots_);
  for (auto& [code, open] : by_deputy) {
    const auto* dep = d.roster.find_deputy(code);
    if (!dep) continue;
    // Most overdue first, then oldest first.
    std::sort(open.begin(), open.end(), [now](const workflow::case_record& a, const workflow::case_record& b) {
      const int da = workflow::stats::days_overdue(a, now), db = workflow::stats::days_overdue(b, now);
      if (da != db) return da > db;
      return a.created_at != b.created_at ? a.created_at < b.created_at : a.number < b.number;
    });
    std::size_t overdue = 0;
    for (const auto& c : open) overdue += workflow::stats::is_overdue(c, now) ? 1 : 0;
    std::vector<message> lines;
    lines.push_back({"digest.weekly.header",
                     {{"deputy", dep->name}, {"open", std::to_string(open.size())}, {"overdue", std::to_string(overdue)}}});
    std::size_t listed = 0;
    for (const auto& c : open) {
      if (listed == settings_.max_cases_listed) break;
      ++listed;
      std::map<std::string, std::string> p{
          {"case", c.number}, {"category", name_of(d.roster, c, false)}, {"village", name_of(d.roster, c, true)}};
      if (workflow::stats::is_overdue(c, now)) {
        p["days"] = std::to_string(workflow::stats::days_overdue(c, now));
        lines.push_back({"digest.weekly.overdue_case", std::move(p)});
      } else {
        p["status"] = workflow::to_string(c.state);
        lines.push_back({"digest.weekly.open_case", std::move(p)});
      }
    }
    if (open.size() > listed) lines.push_back({"digest.weekly.more", {{"count", std::to_string(open.size() - listed)}}});
    workflow::notification n;
    n.to = workflow::audience::deputy;
    n.target = code;
    n.dedupe_key = "digest:weekly:" + period + ":" + code;
    for (auto& m : who.render_lines(n, std::move(lines))) out.push_back(std::move(m));
  }
  co_return out;
}

awaitable<std::optional<std::vector<adapters::outbound_message>>> digests::monthly_messages(const std::string& period,
                                                                                           std::int64_t occurrence) {
  auto dom = domain_();
  const auto& d = *dom;
  const auto off = settings_.utc_offset_seconds;
  // The last full calendar month before the occurrence.
  const auto day = workflow::civil_from_days(floor_div(occurrence + off, kDay));
  workflow::civil_date first_this{day.year, day.month, 1};
  workflow::civil_date first_last = day.month == 1 ? workflow::civil_date{day.year - 1, 12, 1}
                                                   : workflow::civil_date{day.year, day.month - 1, 1};
  const std::int64_t from = workflow::days_from_civil(first_last) * kDay - off;
  const std::int64_t to = workflow::days_from_civil(first_this) * kDay - off;
  std::vector<std::string> range{"ZRANGEBYSCORE", keys_.make("cases"), std::to_string(from), "(" + std::to_string(to)};
  auto r = co_await redis_.exec(std::move(range));
  if (!r.ok()) co_return std::nullopt;
  std::vector<std::string> numbers;
  for (const auto& e : r.v.elements()) numbers.push_back(e.text());
  std::vector<workflow::case_record> cases;
  for (std::size_t i = 0; i < numbers.size(); i += kBatch) {
    std::vector<std::string> part(numbers.begin() + static_cast<std::ptrdiff_t>(i),
                                  numbers.begin() + static_cast<std::ptrdiff_t>(std::min(numbers.size(), i + kBatch)));
    auto loaded = co_await cases_.load_many(part);
    for (auto& c : loaded) cases.push_back(std::move(c));
  }
  workflow::stats::options o;
  o.now = now_();
  o.response_window_seconds = settings_.response_window_seconds;
  o.top_clusters = kClustersListed;
  auto s = workflow::stats::summarise(cases, o);

  std::vector<message> lines;
  lines.push_back({"digest.monthly.header", {{"year", std::to_string(first_last.year)},
                                             {"month", std::to_string(first_last.month)},
                                             {"total", std::to_string(s.totals.cases)}}});
  lines.push_back({"digest.monthly.rates", {{"response", percent(d, s.totals.response)},
                                            {"resolution", percent(d, s.totals.resolution)},
                                            {"satisfaction", percent(d, s.totals.satisfaction)},
                                            {"on_time", percent(d, s.totals.on_time)}}});
  lines.push_back({"digest.monthly.overdue", {{"overdue", std::to_string(s.totals.overdue)}}});
  if (s.clusters.empty()) {
    lines.push_back({"digest.monthly.no_clusters", {}});
  } else {
    lines.push_back({"digest.monthly.clusters", {}});
    for (const auto& c : s.clusters) {
      const auto* cat = d.roster.find_category(c.category);
      std::string place;
      if (const auto* v = c.village.empty() ? nullptr : d.roster.find_village(c.village)) place = v->name;
      else if (const auto* t = d.roster.find_township(c.township)) place = t->name;
      else place = c.village.empty() ? c.township : c.village;
      lines.push_back({"digest.monthly.cluster",
                       {{"category", cat ? cat->name : c.category}, {"place", place}, {"count", std::to_string(c.count)}}});
    }
  }
  workflow::notification n;
  n.to = workflow::audience::office;
  n.dedupe_key = "digest:monthly:" + period;
  recipients who(d, bots_);
  co_return who.render_lines(n, std::move(lines));
}

}  // namespace lianxin::flow
