#include "bot/ingest/inbox.hpp"

#include "bot/ingest/message_json.hpp"
#include "bot/redis/client.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <functional>
#include <iterator>

namespace lianxin::ingest {
namespace {

// KEYS: per event five (seen key, content key, inbox shard stream, live counter, conversation
// state); unused ones repeat the seen key.
// ARGV: seen ttl, then per event (payload, content ttl, mode). Modes: "q" enqueue; "c" enqueue
// and count in the live counter (a group message under a chatter filter); "x" small talk:
// enqueue and count only if the sender's conversation is open or has entries waiting.
// Returns one character per event: "1" recorded now, "0" seen before, "2" small talk, not kept.
// The checks, the counter and the XADD happen atomically: a crash can never leave an event
// marked seen but not enqueued, or enqueued twice, or a counter out of step with the stream.
constexpr const char* kIngestLua = R"lua(
local ttl = ARGV[1]
local out = {}
local n = #KEYS / 5
for i = 0, n - 1 do
  local seen, content, stream, live, conv = KEYS[i*5+1], KEYS[i*5+2], KEYS[i*5+3], KEYS[i*5+4], KEYS[i*5+5]
  local payload, content_ttl, mode = ARGV[i*3+2], tonumber(ARGV[i*3+3]), ARGV[i*3+4]
  local dup
  if content_ttl > 0 then
    dup = redis.call('EXISTS', seen) == 1 or redis.call('EXISTS', content) == 1
    if not dup then
      redis.call('SET', seen, '1', 'EX', ttl)
      redis.call('SET', content, '1', 'EX', content_ttl)
    end
  else
    -- The usual case (events with an id): one command checks and marks.
    dup = not redis.call('SET', seen, '1', 'NX', 'EX', ttl)
  end
  if dup then
    out[i + 1] = '0'
  else
    local keep = true
    if mode == 'x' then
      keep = tonumber(redis.call('GET', live) or '0') > 0 or redis.call('EXISTS', conv) == 1
    end
    if not keep then
      out[i + 1] = '2'
    elseif mode == 'q' then
      redis.call('XADD', stream, '*', 'm', payload)
      out[i + 1] = '1'
    else
      -- The first of a run sets the expiry (the worker's DECR keeps it): a counter outlives
      -- its last entry by a week at most.
      if redis.call('INCR', live) == 1 then redis.call('EXPIRE', live, ttl) end
      redis.call('XADD', stream, '*', 'm', payload, 'l', live)
      out[i + 1] = '1'
    end
  end
end
return table.concat(out)
)lua";

}  // namespace

inbox::inbox(redis::client& redis, const store::keys& keys, metrics::registry& metrics, inbox_options opt)
    : redis_(redis), keys_(keys), metrics_(metrics), opt_(opt), script_(kIngestLua) {
  metrics_.describe_counter("lx_inbound_events_total", "Inbound platform events by platform and outcome");
}

int inbox::shard_of(const adapters::inbound_message& m) const {
  // FNV-1a: stable across processes and builds, unlike std::hash.
  std::uint32_t h = 2166136261u;
  for (unsigned char c : conversation_key(m)) {
    h ^= c;
    h *= 16777619u;
  }
  return static_cast<int>(h % static_cast<std::uint32_t>(opt_.shards));
}

std::string inbox::shard_key(int shard) const { return keys_.make("inbox", std::to_string(shard)); }

struct inbox::pending {
  std::vector<std::string> keys;  // triples, as the script takes them
  std::vector<std::string> args;  // (payload, content ttl) per event
  std::size_t events = 0;
  std::string flags;  // the script's answer for these events; empty when it failed
  std::string error;
  asio::any_io_executor ex;    // the caller's: it resumes there
  std::function<void()> done;  // resumes the caller
};

awaitable<store_result> inbox::store(const std::vector<adapters::inbound_message>& messages,
                                     const std::vector<int>& content_window_s) {
  store_result res;
  if (messages.empty()) {
    res.ok = true;
    co_return res;
  }
  auto p = std::make_shared<pending>();
  p->events = messages.size();
  p->keys.reserve(messages.size() * 5);
  p->args.reserve(messages.size() * 3);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    int window = i < content_window_s.size() ? content_window_s[i] : 0;
    const char* mode = "q";
    if (chatter_ && m.kind == adapters::event_kind::message && m.chat == adapters::chat_type::group) {
      mode = chatter_(m) ? "x" : "c";
    }
    auto seen = keys_.make("seen", m.dedupe_key);
    auto content = window > 0 ? keys_.make("seenc", adapters::content_hash(m, window)) : seen;
    std::string live = seen, conv = seen;
    if (*mode != 'q') {
      const auto ck = conversation_key(m);
      live = keys_.make("live", ck);
      conv = keys_.make("conv", ck);
    }
    p->keys.push_back(std::move(seen));
    p->keys.push_back(std::move(content));
    p->keys.push_back(shard_key(shard_of(m)));
    p->keys.push_back(std::move(live));
    p->keys.push_back(std::move(conv));
    // Small talk that is left out never needs its JSON; it is built anyway, as the script
    // alone knows whether the sender is talking with the bot.
    p->args.push_back(to_json_text(m));
    p->args.push_back(std::to_string(window));
    p->args.push_back(mode);
  }
  // Queue up; a caller that finds fewer than groups_in_flight flushers starts one on its executor.
  auto enqueue = [this, p](auto handler) {
    asio::any_io_executor ex = asio::get_associated_executor(handler);
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    p->ex = ex;
    p->done = [h] { (*h)(); };
    bool lead = false;
    {
      std::lock_guard lock(mu_);
      queue_.push_back(p);
      lead = flushers_ < std::max(1, opt_.groups_in_flight);
      if (lead) ++flushers_;
    }
    if (lead) asio::co_spawn(ex, flush_groups(), asio::detached);
  };
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(enqueue, asio::use_awaitable);

  std::string platform(adapters::to_string(messages.front().source));
  if (p->flags.size() != messages.size()) {
    res.error = p->error.empty() ? "unexpected reply from the ingest script" : p->error;
    metrics_.inc("lx_inbound_events_total", {{"platform", platform}, {"outcome", "unavailable"}},
                 static_cast<double>(messages.size()));
    co_return res;
  }
  res.ok = true;
  for (char f : p->flags) {
    res.fresh += f == '1' ? 1 : 0;
    res.chatter += f == '2' ? 1 : 0;
  }
  res.duplicates = messages.size() - res.fresh - res.chatter;
  if (res.fresh) metrics_.inc("lx_inbound_events_total", {{"platform", platform}, {"outcome", "recorded"}}, res.fresh);
  if (res.chatter) metrics_.inc("lx_inbound_events_total", {{"platform", platform}, {"outcome", "chatter"}}, res.chatter);
  if (res.duplicates) {
    metrics_.inc("lx_inbound_events_total", {{"platform", platform}, {"outcome", "duplicate"}}, res.duplicates);
  }
  co_return res;
}

awaitable<void> inbox::next_round() {
  auto wait = [this](auto handler) {
    asio::any_io_executor ex = asio::get_associated_executor(handler);
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    bool idle = false;
    {
      std::lock_guard lock(mu_);
      idle = flushers_ == 0;
      if (!idle) round_waiters_.emplace_back(ex, [h] { (*h)(); });
    }
    if (idle) asio::post(ex, [h] { (*h)(); });
  };
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(wait, asio::use_awaitable);
}

awaitable<void> inbox::flush_groups() {
  for (bool first = true;; first = false) {
    std::vector<std::shared_ptr<pending>> group;
    std::size_t events = 0;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) {
        --flushers_;
        if (flushers_ == 0) saturated_ = false;
        for (auto& [ex, f] : round_waiters_) asio::post(ex, std::move(f));
        round_waiters_.clear();
        co_return;
      }

      // Whole requests only; the first one goes even if it alone is over the limit.
      std::size_t take = 0;
      while (take < queue_.size() && (take == 0 || events + queue_[take]->events <= opt_.max_group_events)) {
        events += queue_[take]->events;
        ++take;
      }
      // Many requests arrived while the last round was on its way: the door is flat out.
      saturated_ = !first && events >= opt_.saturated_group_events;
      group.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    std::vector<std::string> keys;
    std::vector<std::string> args{std::to_string(opt_.seen_ttl_seconds)};
    keys.reserve(events * 5);
    args.reserve(1 + events * 3);
    for (auto& p : group) {
      std::move(p->keys.begin(), p->keys.end(), std::back_inserter(keys));
      std::move(p->args.begin(), p->args.end(), std::back_inserter(args));
    }
    auto r = co_await redis_.eval(script_, std::move(keys), std::move(args));
    std::string error;
    if (!r.ok()) {
      error = r.error_message();
    } else if (!r.v.is_string() || r.v.text().size() != events) {
      error = "unexpected reply from the ingest script";
    }
    std::size_t at = 0;
    for (auto& p : group) {
      if (error.empty()) p->flags = r.v.text().substr(at, p->events);
      else p->error = error;
      at += p->events;
      // Each caller resumes on its own executor.
      asio::post(p->ex, std::move(p->done));
    }
    events_ += events;
    std::vector<std::pair<asio::any_io_executor, std::function<void()>>> waiters;
    {
      std::lock_guard lock(mu_);
      waiters.swap(round_waiters_);
    }
    for (auto& [ex, f] : waiters) asio::post(ex, std::move(f));
  }
}

}  // namespace lianxin::ingest
