#include "bot/flow/scheduler.hpp"

#include "bot/flow/filing.hpp"

#include "bot/core/log.hpp"
#include "bot/redis/client.hpp"
#include "workflow/similarity.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include <unordered_map>

namespace lianxin::flow {
namespace {

// Removes a timer only if it still has the due time we fired for (a transition may have
// rescheduled it meanwhile).
constexpr const char* kDropLua = R"lua(
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
)lua";

constexpr int kBatch = 200;
constexpr std::size_t kLanes = 16;

}  // namespace

scheduler::scheduler(redis::client& redis, case_store& cases,
                     std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
                     const platforms::bots& bots, metrics::registry& metrics, std::function<std::int64_t()> now,
                     int poll_ms)
    : redis_(redis),
      cases_(cases),
      domain_(std::move(domain)),
      metrics_(metrics),
      now_(std::move(now)),
      poll_ms_(poll_ms),
      actions_(redis, cases, domain_, bots, now_),
      drop_script_(kDropLua) {
  metrics_.describe_counter("lx_timers_fired_total", "Workflow timers fired, by kind and result");
}

awaitable<void> scheduler::drop_if_unchanged(const std::string& member, std::int64_t due) {
  std::vector<std::string> keys{cases_.timers_key()};
  std::vector<std::string> args{member, std::to_string(due)};
  co_await redis_.eval(drop_script_, std::move(keys), std::move(args));
}

awaitable<bool> scheduler::fire(const std::string& member, std::int64_t due) {
  auto colon = member.rfind(':');
  if (colon == std::string::npos) {
    co_await drop_if_unchanged(member, due);
    co_return true;
  }
  auto number = member.substr(0, colon);
  auto kind_name = member.substr(colon + 1);
  if (kind_name == "cluster") {
    if (!co_await check_cluster(number)) co_return false;
    metrics_.inc("lx_timers_fired_total", {{"kind", kind_name}, {"result", "fired"}});
    co_await drop_if_unchanged(member, due);
    co_return true;
  }
  auto kind = workflow::parse_action_kind(kind_name);
  if (!kind) {
    co_await drop_if_unchanged(member, due);
    co_return true;
  }
  workflow::action a;
  a.kind = *kind;
  a.by = workflow::actor{workflow::actor_role::system, "scheduler"};
  a.timer_due = due;
  a.transition_id = "timer:" + member + ":" + std::to_string(due);
  auto r = co_await actions_.perform(number, std::move(a));
  if (r.unavailable) co_return false;  // Redis trouble: try again next tick
  // Fired; or already fired by another instance (replayed); or stale: the case moved on or is gone.
  const char* result = r.error ? "stale" : r.replayed ? "replayed" : "fired";
  metrics_.inc("lx_timers_fired_total", {{"kind", kind_name}, {"result", result}});
  co_await drop_if_unchanged(member, due);
  co_return true;
}

awaitable<bool> scheduler::check_cluster(const std::string& number) {
  const auto dom = domain_();
  const auto& d = *dom;
  auto fresh = co_await cases_.load(number);
  if (!fresh) co_return true;  // gone (or Redis down: the load of the set below fails too)
  if (!fresh->is_open() || !fresh->cluster.empty()) co_return true;
  std::vector<std::string> villages{fresh->village};
  if (d.clusters.township_scope && !fresh->township.empty()) {
    villages.clear();
    for (const auto& v : d.roster.villages()) {
      if (v.township == fresh->township) villages.push_back(v.id);
    }
  }
  std::vector<std::string> numbers;
  for (const auto& v : villages) {
    for (auto& n : co_await cases_.members(cases_.open_key(v, fresh->category))) {
      if (n != number) numbers.push_back(std::move(n));
    }
  }
  // The most recent ones decide (a concentration is about now); see kRecentOpenWindow.
  numbers = newest_numbers(std::move(numbers), kRecentOpenWindow);
  auto open = co_await cases_.load_many(numbers);
  std::vector<workflow::case_summary> recent;
  for (const auto& oc : open) {
    recent.push_back({oc.number, oc.category, oc.village, oc.township, oc.text, oc.created_at, oc.cluster});
  }
  workflow::case_summary me{fresh->number, fresh->category, fresh->village, fresh->township, fresh->text,
                            fresh->created_at, ""};
  auto decision = workflow::detect_cluster(me, recent, d.clusters);
  if (!decision.reached || decision.cluster.empty()) co_return true;
  std::vector<std::string> targets;
  if (decision.newly_flagged) targets = decision.members;
  targets.push_back(number);
  const std::string reason = "问题较为集中：" + std::to_string(decision.members.size() + 1) + "件相似问题";
  bool ok = true;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    workflow::action a;
    a.kind = workflow::action_kind::mark_key_supervision;
    a.by = workflow::actor{workflow::actor_role::system, "cluster"};
    a.cluster = decision.cluster;
    a.reason = reason;
    // The committee hears once, with the newest case; the others are marked silently.
    a.silent = !(decision.newly_flagged && i + 1 == targets.size());
    a.transition_id = "cluster:" + decision.cluster + ":" + targets[i];
    auto r = co_await actions_.perform(targets[i], a);
    if (r.unavailable) ok = false;  // the timer stays and is tried again
    else if (r.error && r.error->code != workflow::errc::already_exists && r.error->code != workflow::errc::invalid_transition)
      log::warn("scheduler", "cluster ", decision.cluster, ": cannot mark ", targets[i], ": ", r.error->message);
  }
  if (ok) log::info("scheduler", "concentrated problem ", decision.cluster, ": ", targets.size(), " case(s) marked");
  co_return ok;
}

struct scheduler::tick_state {
  explicit tick_state(asio::any_io_executor ex) : done(std::move(ex)) {
    done.expires_at(asio::steady_timer::time_point::max());
  }
  // Each lane: (member, due) in due order, fired one after another.
  std::vector<std::vector<std::pair<std::string, std::int64_t>>> lanes;
  std::size_t next = 0;     // the next lane a runner takes
  std::size_t running = 0;  // runners not finished yet
  int fired = 0;
  asio::steady_timer done;
};

awaitable<void> scheduler::run_lanes(std::shared_ptr<tick_state> st) {
  while (st->next < st->lanes.size()) {
    auto& lane = st->lanes[st->next++];
    for (const auto& [member, due] : lane) {
      if (co_await fire(member, due)) ++st->fired;
    }
  }
  if (--st->running == 0) st->done.cancel();
}

awaitable<int> scheduler::tick() {
  std::vector<std::string> cmd{"ZRANGEBYSCORE", cases_.timers_key(), "-inf", std::to_string(now_()), "WITHSCORES",
                               "LIMIT", "0", std::to_string(kBatch)};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok() || !r.v.is_array()) co_return 0;
  const auto& e = r.v.elements();
  if (e.size() < 2) co_return 0;
  auto ex = co_await asio::this_coro::executor;
  auto st = std::make_shared<tick_state>(ex);
  // Lane 0: the concentrated-problem checks; then one lane per case, in the order first due.
  st->lanes.emplace_back();
  std::unordered_map<std::string, std::size_t> lane_of;
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    const auto& member = e[i].text();
    auto due = std::atoll(e[i + 1].text().c_str());
    auto colon = member.rfind(':');
    std::size_t lane = 0;
    if (colon == std::string::npos || member.compare(colon + 1, std::string::npos, "cluster") != 0) {
      auto [it, added] = lane_of.emplace(member.substr(0, colon == std::string::npos ? member.size() : colon), st->lanes.size());
      if (added) st->lanes.emplace_back();
      lane = it->second;
    }
    st->lanes[lane].emplace_back(member, due);
  }
  if (st->lanes.front().empty()) st->lanes.erase(st->lanes.begin());
  const std::size_t runners = std::min(kLanes, st->lanes.size());
  st->running = runners;
  // Runners share this coroutine's executor (a strand): the state needs no lock.
  for (std::size_t i = 0; i < runners; ++i) asio::co_spawn(ex, run_lanes(st), asio::detached);
  if (st->running > 0) co_await st->done.async_wait(use_nothrow);  // zero if every runner already finished
  co_return st->fired;
}

awaitable<void> scheduler::run() {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!stopping_) {
    // A full batch means more are due: keep going before sleeping (a backlog after downtime
    // or a fast-forwarded clock drains at Redis speed, not 200 per poll interval).
    if (redis_.connected()) {
      while (!stopping_ && co_await tick() >= kBatch) {
      }
    }
    t.expires_after(std::chrono::milliseconds(poll_ms_));
    co_await t.async_wait(use_nothrow);
  }
}

}  // namespace lianxin::flow
