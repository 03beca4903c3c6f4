#include "bot/ingest/inbox.hpp"

#include "bot/ingest/message_json.hpp"
#include "bot/redis/client.hpp"

#include <functional>

namespace lianxin::ingest {
namespace {

// KEYS: per event a triple (seen key, content key or "", inbox shard stream).
// ARGV: seen ttl, then per event (payload, content ttl).
// Both checks and the XADD happen atomically: a crash can never leave an event marked seen
// but not enqueued, or enqueued twice.
constexpr const char* kIngestLua = R"lua(
local ttl = ARGV[1]
local fresh = 0
local n = #KEYS / 3
for i = 0, n - 1 do
  local seen, content, stream = KEYS[i*3+1], KEYS[i*3+2], KEYS[i*3+3]
  local payload, content_ttl = ARGV[i*2+2], tonumber(ARGV[i*2+3])
  local dup = redis.call('EXISTS', seen) == 1
  if not dup and content_ttl > 0 then
    dup = redis.call('EXISTS', content) == 1
  end
  if not dup then
    redis.call('SET', seen, '1', 'EX', ttl)
    if content_ttl > 0 then redis.call('SET', content, '1', 'EX', content_ttl) end
    redis.call('XADD', stream, '*', 'm', payload)
    fresh = fresh + 1
  end
end
return fresh
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

awaitable<store_result> inbox::store(const std::vector<adapters::inbound_message>& messages,
                                     const std::vector<int>& content_window_s) {
  store_result res;
  if (messages.empty()) {
    res.ok = true;
    co_return res;
  }
  std::vector<std::string> keys;
  std::vector<std::string> args{std::to_string(opt_.seen_ttl_seconds)};
  keys.reserve(messages.size() * 3);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    int window = i < content_window_s.size() ? content_window_s[i] : 0;
    keys.push_back(keys_.make("seen", m.dedupe_key));
    keys.push_back(window > 0 ? keys_.make("seenc", adapters::content_hash(m, window)) : keys.back());
    keys.push_back(shard_key(shard_of(m)));
    args.push_back(to_json_text(m));
    args.push_back(std::to_string(window));
  }
  auto r = co_await redis_.eval(script_, std::move(keys), std::move(args));
  std::string platform(messages.empty() ? "" : adapters::to_string(messages.front().source));
  if (!r.ok() || !r.v.is_integer()) {
    res.error = r.ok() ? "unexpected reply from the ingest script" : r.error_message();
    metrics_.inc("lx_inbound_events_total", {{"platform", platform}, {"outcome", "unavailable"}},
                 static_cast<double>(messages.size()));
    co_return res;
  }
  res.ok = true;
  res.fresh = static_cast<std::size_t>(r.v.int_value());
  res.duplicates = messages.size() - res.fresh;
  if (res.fresh) metrics_.inc("lx_inbound_events_total", {{"platform", platform}, {"outcome", "recorded"}}, res.fresh);
  if (res.duplicates) {
    metrics_.inc("lx_inbound_events_total", {{"platform", platform}, {"outcome", "duplicate"}}, res.duplicates);
  }
  co_return res;
}

}  // namespace lianxin::ingest
