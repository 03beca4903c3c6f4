#include "bot/flow/notifier.hpp"

#include "bot/core/log.hpp"
#include "bot/flow/commit.hpp"
#include "adapters/common/safe_json.hpp"
#include "bot/ingest/message_json.hpp"
#include "bot/redis/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <set>
#include <string_view>

#include <random>

namespace lianxin::flow {
namespace {

constexpr const char* kGroup = "notify";

// KEYS[1] retry zset, KEYS[2] outbox. ARGV[1] now ms. Moves due entries back into the outbox.
constexpr const char* kPromoteLua = R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 200)
for _, e in ipairs(due) do
  local sep = string.find(e, '|', 1, true)
  redis.call('XADD', KEYS[2], '*', 'm', string.sub(e, sep + 1), 'a', string.sub(e, 1, sep - 1))
  redis.call('ZREM', KEYS[1], e)
end
return #due
)lua";

// KEYS[1] digest list, KEYS[2] digests zset, KEYS[3] outbox. ARGV[1] n, ARGV[2] first item,
// ARGV[3] last item, ARGV[4] zset member, ARGV[5] merged payload. Removes exactly the n
// bulletins that were merged (still at the head, as read) and queues the merged message.
constexpr const char* kFlushLua = R"lua(
local n = tonumber(ARGV[1])
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[2] or redis.call('LINDEX', KEYS[1], n - 1) ~= ARGV[3] then return 0 end
redis.call('LTRIM', KEYS[1], n, -1)
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[4]) end
redis.call('XADD', KEYS[3], '*', 'm', ARGV[5], 'a', '0')
return 1
)lua";

std::string field(const redis::value& fields, std::string_view name) {
  if (!fields.is_array()) return {};
  const auto& e = fields.elements();
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    if (e[i].text() == name) return e[i + 1].text();
  }
  return {};
}

}  // namespace

notifier::notifier(redis::client& redis, redis::client& blocking, const store::keys& keys, metrics::registry& metrics,
                   send_fn send, std::function<std::int64_t()> now_ms, notifier_options opt)
    : redis_(redis),
      blocking_(blocking),
      keys_(keys),
      metrics_(metrics),
      send_(std::move(send)),
      now_ms_(std::move(now_ms)),
      opt_(std::move(opt)),
      promote_script_(kPromoteLua),
      flush_script_(kFlushLua) {
  metrics_.describe_counter("lx_outbox_delivered_total", "Outbox messages by platform and result");
  metrics_.describe_gauge("lx_outbox_dead_letters", "Entries in the dead-letter stream");
}

std::int64_t bulletin_due_ms(std::int64_t now_ms, const notifier_options& opt) {
  std::int64_t due = now_ms + std::int64_t{opt.group_merge_seconds} * 1000;
  if (opt.quiet_from_min == opt.quiet_to_min) return due;
  constexpr std::int64_t day = 86'400'000;
  const std::int64_t offset = std::int64_t{opt.utc_offset_min} * 60'000;
  const std::int64_t local = due + offset;
  const std::int64_t midnight = local - ((local % day) + day) % day;
  const std::int64_t minute = (local - midnight) / 60'000;
  const bool wraps = opt.quiet_from_min > opt.quiet_to_min;  // 22:00 → 07:00
  const bool quiet = wraps ? (minute >= opt.quiet_from_min || minute < opt.quiet_to_min)
                           : (minute >= opt.quiet_from_min && minute < opt.quiet_to_min);
  if (!quiet) return due;
  std::int64_t end = midnight + std::int64_t{opt.quiet_to_min} * 60'000;
  if (end <= local) end += day;
  return end - offset;
}

awaitable<void> notifier::flush_due_digests() {
  std::vector<std::string> due{"ZRANGEBYSCORE", keys_.make("digests"), "-inf", std::to_string(now_ms_()), "LIMIT", "0",
                               "20"};
  auto r = co_await redis_.exec(std::move(due));
  if (!r.ok() || !r.v.is_array()) co_return;
  for (const auto& member_v : r.v.elements()) {
    const std::string member = member_v.text();
    std::string list = keys_.make("digest", member);
    std::vector<std::string> range{"LRANGE", list, "0", std::to_string(opt_.max_merged - 1)};
    auto items = co_await redis_.exec(std::move(range));
    if (!items.ok()) co_return;
    const auto& e = items.v.elements();
    if (e.empty()) {
      std::vector<std::string> zrem{"ZREM", keys_.make("digests"), member};
      co_await redis_.exec(std::move(zrem));
      continue;
    }
    std::optional<adapters::outbound_message> merged;
    std::string text;
    for (const auto& item : e) {
      auto j = nlohmann::json::parse(item.text(), nullptr, false);
      auto m = j.is_discarded() ? std::nullopt : ingest::outbound_from_json(j);
      if (!m) continue;
      if (!merged) merged = *m;
      if (!text.empty()) text += "\n";
      text += adapters::plain_text(*m);
    }
    if (!merged) continue;
    merged->segments.clear();
    merged->segments.push_back({adapters::out_segment_kind::text, text});
    merged->bulletin = false;  // it goes out now
    merged->idempotency_key = "digest:" + merged->idempotency_key;
    std::vector<std::string> keys{list, keys_.make("digests"), keys_.make("outbox")};
    std::vector<std::string> args{std::to_string(e.size()), e.front().text(), e.back().text(), member,
                                  adapters::common::dump_json(ingest::to_json(*merged))};
    co_await redis_.eval(flush_script_, std::move(keys), std::move(args));
  }
}

awaitable<void> notifier::promote_due_retries() {
  std::vector<std::string> keys{keys_.make("outbox", "retry"), keys_.make("outbox")};
  std::vector<std::string> args{std::to_string(now_ms_())};
  co_await redis_.eval(promote_script_, std::move(keys), std::move(args));
}

awaitable<void> notifier::reclaim() {
  std::vector<std::string> cmd{"XAUTOCLAIM", keys_.make("outbox"), kGroup, opt_.consumer,
                               std::to_string(opt_.claim_idle_ms), "0-0", "COUNT", "50"};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok() || !r.v.is_array() || r.v.elements().size() < 2) co_return;
  for (const auto& e : r.v.elements()[1].elements()) {
    if (!e.is_array() || e.elements().size() != 2) continue;
    const auto& fields = e.elements()[1];
    auto a = field(fields, "a");
    log::info("notify", "reclaimed outbox entry ", e.elements()[0].text(), " from a stopped consumer");
    outbox_entry oe{e.elements()[0].text(), field(fields, "m"), a.empty() ? 0 : std::atoi(a.c_str()), {}, {}};
    co_await deliver(oe);
  }
}

awaitable<bool> notifier::deliver_sandbox(const adapters::outbound_message& m, const std::string& payload) {
  // The sandbox platform is Lianxin's own: "sending" is keeping the message where the sandbox
  // page and `lianxin chat` read it.
  auto list = keys_.make("sandbox", "chat", m.target.bot, m.target.chat_id);
  commit c;
  c.op({"XADD", list, "MAXLEN", "~", "500", "*", "d", "out", "m", payload});
  c.op({"PUBLISH", keys_.make("sandbox", "events"), m.target.bot + ":" + m.target.chat_id});
  auto r = co_await run_commit(redis_, c);
  co_return r.ok;
}

awaitable<bool> notifier::deliver(const outbox_entry& e) {
  const std::string& id = e.id;
  const std::string& payload = e.payload;
  const int attempts = e.attempts;
  auto outbox = keys_.make("outbox");
  commit done;
  done.op({"XACK", outbox, kGroup, id});
  done.op({"XDEL", outbox, id});
  nlohmann::json own;
  const nlohmann::json& j = e.parsed ? *e.parsed : (own = adapters::common::parse_stored_json(payload));
  auto m = j.is_discarded() ? std::nullopt : ingest::outbound_from_json(j);
  if (!m) {
    done.op({"XADD", keys_.make("outbox", "dlq"), "*", "m", payload, "reason", "unreadable", "a", std::to_string(attempts)});
    co_return (co_await run_commit(redis_, done)).ok;
  }
  std::string platform(adapters::to_string(m->target.dest));
  auto sent_key = keys_.make("sent", m->idempotency_key);
  if (!m->idempotency_key.empty()) {
    bool sent = false;
    if (e.already_sent) {
      sent = *e.already_sent;
    } else {
      std::vector<std::string> cmd{"EXISTS", sent_key};
      auto r = co_await redis_.exec(std::move(cmd));
      if (!r.ok()) co_return false;
      sent = r.v.int_value() == 1;
    }
    if (sent) {
      metrics_.inc("lx_outbox_delivered_total", {{"platform", platform}, {"result", "already_sent"}});
      co_return (co_await run_commit(redis_, done)).ok;
    }
  }
  // Official QQ bots may only reply to a user's message: updates wait for the chat's next one.
  if (m->target.dest == adapters::platform::qq && m->target.reply_to_message_id.empty()) {
    auto list = keys_.make("qq", "pending", m->target.bot,
                           m->target.chat == adapters::chat_type::group ? "g" : "p", m->target.chat_id);
    done.op({"RPUSH", list, payload});
    done.op({"LTRIM", list, "-20", "-1"});
    done.op({"EXPIRE", list, "2592000"});
    metrics_.inc("lx_outbox_delivered_total", {{"platform", platform}, {"result", "deferred"}});
    co_return (co_await run_commit(redis_, done)).ok;
  }
  // Case bulletins for a group: held for the merge window and quiet hours, then merged.
  if (m->bulletin && m->target.chat == adapters::chat_type::group &&
      (opt_.group_merge_seconds > 0 || opt_.quiet_from_min != opt_.quiet_to_min)) {
    const std::string member = platform + ":" + m->target.bot + ":" + m->target.chat_id;
    done.op({"RPUSH", keys_.make("digest", member), payload});
    done.op({"ZADD", keys_.make("digests"), "NX", std::to_string(bulletin_due_ms(now_ms_(), opt_)), member});
    metrics_.inc("lx_outbox_delivered_total", {{"platform", platform}, {"result", "held"}});
    co_return (co_await run_commit(redis_, done)).ok;
  }
  delivery d;
  if (m->target.dest == adapters::platform::sandbox) {
    std::chrono::milliseconds wait{0};
    if (opt_.sandbox_gate) wait = co_await opt_.sandbox_gate(*m);
    if (wait.count() > 0) {
      done.op({"ZADD", keys_.make("outbox", "retry"), std::to_string(now_ms_() + wait.count()),
               std::to_string(attempts) + "|" + payload});
      metrics_.inc("lx_outbox_delivered_total", {{"platform", platform}, {"result", "rate_limited"}});
      co_return (co_await run_commit(redis_, done)).ok;
    }
    if (!co_await deliver_sandbox(*m, payload)) co_return false;
    d.outcome = adapters::api_outcome::ok;
  } else {
    d = co_await send_(*m);
  }
  using adapters::api_outcome;
  if (d.outcome == api_outcome::ok) {
    if (!m->idempotency_key.empty()) done.op({"SET", sent_key, "1", "EX", "604800"});
    metrics_.inc("lx_outbox_delivered_total", {{"platform", platform}, {"result", "ok"}});
  } else if (d.outcome == api_outcome::give_up || attempts + 1 >= opt_.max_attempts) {
    log::warn("notify", "dead-lettered a message to ", platform, ":", m->target.bot, " after ", attempts + 1,
              " attempt(s): ", d.detail);
    done.op({"XADD", keys_.make("outbox", "dlq"), "*", "m", payload, "reason", d.detail, "a", std::to_string(attempts + 1)});
    metrics_.inc("lx_outbox_delivered_total", {{"platform", platform}, {"result", "dead_letter"}});
    metrics_.add("lx_outbox_dead_letters", {}, 1);
  } else {
    // Exponential backoff with full jitter; a platform's own Retry-After wins when longer.
    thread_local std::mt19937 rng{std::random_device{}()};
    auto cap = std::min<long long>(opt_.backoff_max_ms, static_cast<long long>(opt_.backoff_base_ms) << std::min(attempts, 20));
    auto delay = std::uniform_int_distribution<long long>(cap / 2, cap)(rng);
    delay = std::max<long long>(delay, d.retry_after.count());
    done.op({"ZADD", keys_.make("outbox", "retry"), std::to_string(now_ms_() + delay),
             std::to_string(attempts + 1) + "|" + payload});
    metrics_.inc("lx_outbox_delivered_total",
                 {{"platform", platform}, {"result", d.outcome == api_outcome::rate_limited ? "rate_limited" : "retry"}});
    log::info("notify", "send to ", platform, " failed (", adapters::to_string(d.outcome), ": ", d.detail,
              "); retry ", attempts + 1, " in ", delay, " ms", d.maybe_sent ? " (may have been sent)" : "");
  }
  co_return (co_await run_commit(redis_, done)).ok;
}

awaitable<void> notifier::check_sent(std::vector<outbox_entry*>& entries) {
  // Whether each message was already sent (an instance that stopped after sending and before
  // acknowledging): asked for the whole batch in one round trip. The answer holds until the
  // delivery, since only this consumer holds these entries until it acknowledges them; a key
  // met twice in one batch is asked again at its second delivery, after the first.
  std::vector<std::vector<std::string>> cmds;
  std::vector<outbox_entry*> asked;
  std::set<std::string_view> seen;
  for (auto* e : entries) {
    if (!e->parsed || !e->parsed->is_object()) continue;
    auto k = e->parsed->find("id");
    if (k == e->parsed->end() || !k->is_string() || k->get_ref<const std::string&>().empty()) continue;
    if (!seen.insert(k->get_ref<const std::string&>()).second) continue;
    cmds.push_back({"EXISTS", keys_.make("sent", k->get_ref<const std::string&>())});
    asked.push_back(e);
  }
  if (cmds.empty()) co_return;
  auto replies = co_await redis_.exec_many(std::move(cmds));
  for (std::size_t i = 0; i < asked.size() && i < replies.size(); ++i) {
    if (replies[i].ok() && replies[i].v.is_integer()) asked[i]->already_sent = replies[i].v.int_value() == 1;
  }
}

awaitable<void> notifier::run_target(std::vector<outbox_entry> entries, std::shared_ptr<notify_join> join) {
  for (const auto& e : entries) {
    if (stopping_) break;
    // A failure to record the outcome leaves the entry pending; reclaim picks it up. The rest
    // of this chat waits for that too, so its messages never overtake each other.
    if (!co_await deliver(e)) break;
  }
  if (--join->remaining == 0) join->done.cancel();
}

awaitable<void> notifier::run() {
  asio::steady_timer pause(co_await asio::this_coro::executor);
  bool group_ready = false;
  auto last_maintenance = std::chrono::steady_clock::now() - std::chrono::hours(1);
  auto last_due_check = last_maintenance;
  while (!stopping_) {
    if (!group_ready) {
      if (!redis_.connected()) {
        pause.expires_after(std::chrono::milliseconds(500));
        co_await pause.async_wait(use_nothrow);
        continue;
      }
      std::vector<std::string> cmd{"XGROUP", "CREATE", keys_.make("outbox"), kGroup, "0", "MKSTREAM"};
      auto created = co_await redis_.exec(std::move(cmd));
      group_ready = created.ok() || created.v.error_code() == "BUSYGROUP";
      if (!group_ready) {
        pause.expires_after(std::chrono::milliseconds(500));
        co_await pause.async_wait(use_nothrow);
        continue;
      }
    }
    // Retries and held bulletins fall due on a scale of seconds: while batches follow each other
    // closely, looking for them every 100 ms is enough (two round trips less per batch).
    if (std::chrono::steady_clock::now() - last_due_check >= std::chrono::milliseconds(100)) {
      last_due_check = std::chrono::steady_clock::now();
      co_await promote_due_retries();
      co_await flush_due_digests();
    }
    if (std::chrono::steady_clock::now() - last_maintenance > std::chrono::seconds(15)) {
      last_maintenance = std::chrono::steady_clock::now();
      co_await reclaim();
    }
    std::vector<std::string> cmd{"XREADGROUP", "GROUP", kGroup, opt_.consumer, "COUNT", std::to_string(opt_.batch),
                                 "BLOCK", std::to_string(opt_.block_ms), "STREAMS", keys_.make("outbox"), ">"};
    auto r = co_await blocking_.exec(std::move(cmd), std::chrono::milliseconds(opt_.block_ms + 5'000));
    if (!r.ok()) {
      if (r.v.error_code() == "NOGROUP") group_ready = false;
      if (!stopping_) {
        pause.expires_after(std::chrono::milliseconds(500));
        co_await pause.async_wait(use_nothrow);
      }
      continue;
    }
    if (!r.v.is_array()) continue;
    // Different chats are served side by side (a slow platform call for one does not hold up
    // the others, and their commits share Redis's fsyncs); one chat's messages stay in order.
    std::vector<std::pair<std::string, std::vector<outbox_entry>>> by_target;
    for (const auto& stream : r.v.elements()) {
      if (!stream.is_array() || stream.elements().size() != 2) continue;
      for (const auto& e : stream.elements()[1].elements()) {
        if (!e.is_array() || e.elements().size() != 2) continue;
        const auto& fields = e.elements()[1];
        auto a = field(fields, "a");
        outbox_entry oe{e.elements()[0].text(), field(fields, "m"), a.empty() ? 0 : std::atoi(a.c_str()), {}, {}};
        oe.parsed = adapters::common::parse_stored_json(oe.payload);
        const auto& j = *oe.parsed;
        // One chat, however a message addresses it (a reply quotes a message, a bulletin does
        // not): the chat is what must see its messages in order.
        std::string target;
        if (j.is_object() && j.contains("to") && j["to"].is_object()) {
          auto to = j["to"];
          for (const char* k : {"re", "seq", "rt"}) to.erase(k);  // bot/ingest/message_json.cpp
          target = adapters::common::dump_json(to);
        }
        auto it = std::find_if(by_target.begin(), by_target.end(), [&](const auto& g) { return g.first == target; });
        if (it == by_target.end()) {
          by_target.emplace_back(target, std::vector<outbox_entry>{});
          it = std::prev(by_target.end());
        }
        it->second.push_back(std::move(oe));
      }
    }
    if (by_target.empty()) continue;
    std::vector<outbox_entry*> all;
    for (auto& g : by_target) {
      for (auto& oe : g.second) all.push_back(&oe);
    }
    co_await check_sent(all);
    auto ex = co_await asio::this_coro::executor;
    auto join = std::make_shared<notify_join>(ex, by_target.size());
    for (auto& g : by_target) asio::co_spawn(ex, run_target(std::move(g.second), join), asio::detached);
    co_await join->done.async_wait(use_nothrow);
    if (stopping_) co_return;
  }
}

}  // namespace lianxin::flow
