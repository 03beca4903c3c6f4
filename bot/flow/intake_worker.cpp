#include "bot/flow/intake_worker.hpp"

#include "bot/admin/bind_codes.hpp"
#include "bot/admin/directory.hpp"

#include "bot/flow/chatter.hpp"
#include "bot/flow/filing.hpp"

#include "bot/core/log.hpp"
#include "adapters/common/safe_json.hpp"
#include "bot/ingest/message_json.hpp"
#include "bot/redis/client.hpp"
#include "workflow/commands/commands.hpp"
#include "workflow/intake/dialogue.hpp"
#include "workflow/privacy.hpp"
#include "workflow/similarity.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <map>

namespace lianxin::flow {
namespace intake = workflow::intake;

namespace {

// KEYS: lease keys. ARGV[1] = instance id, ARGV[2] = lease ms. Returns the indexes held.
constexpr const char* kLeaseLua = R"lua(
local held = {}
for i, k in ipairs(KEYS) do
  local owner = redis.call('GET', k)
  if owner == ARGV[1] then
    redis.call('PEXPIRE', k, ARGV[2])
    held[#held + 1] = i - 1
  elseif not owner then
    redis.call('SET', k, ARGV[1], 'PX', ARGV[2])
    held[#held + 1] = i - 1
  end
end
return held
)lua";

constexpr const char* kReleaseLua = R"lua(
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
return 1
)lua";

// A commit that does nothing but acknowledge its entry (`ack_ops`: what stage_ack added).
bool ack_only(const commit& c, std::size_t ack_ops) {
  return c.checks.empty() && c.guards.empty() && c.ops.size() == ack_ops;
}

// Effects the worker answers by looking something up (cases, deputies, filing) before the
// dialogue takes its next step.
bool is_lookup(const intake::effect& e) {
  return std::holds_alternative<intake::resolve_deputy>(e) || std::holds_alternative<intake::find_similar>(e) ||
         std::holds_alternative<intake::submit_draft>(e) || std::holds_alternative<intake::query_cases>(e) ||
         std::holds_alternative<intake::query_case>(e);
}

std::optional<adapters::inbound_message> parse_entry(const std::string& payload) {
  auto parsed = adapters::common::parse_stored_json(payload);
  if (parsed.is_discarded()) return std::nullopt;
  return ingest::inbound_from_json(parsed);
}

bool shares_batch_cache(const adapters::inbound_message& m) {
  // Group conversations are written only by their own shard's worker. A private one can also
  // be opened from a group message in another shard (start_private), so it is always read.
  return m.chat == adapters::chat_type::group && m.kind != adapters::event_kind::unfollow &&
         m.kind != adapters::event_kind::follow;
}

std::string summary_of(const std::string& text, std::size_t max_chars) {
  // Shortened on a code-point boundary and masked: it may be shown in a group.
  std::string masked = privacy::mask_pii(text);
  std::size_t chars = 0, i = 0;
  while (i < masked.size() && chars < max_chars) {
    auto c = static_cast<unsigned char>(masked[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return i < masked.size() ? masked.substr(0, i) + "…" : masked;
}

}  // namespace

intake_worker::intake_worker(redis::client& redis, redis::client& blocking, const store::keys& keys,
                             ingest::inbox& in, case_store& cases,
                             std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
                             const platforms::bots& bots, metrics::registry& metrics,
                             std::function<std::int64_t()> now, worker_options opt)
    : redis_(redis),
      blocking_(blocking),
      keys_(keys),
      inbox_(in),
      cases_(cases),
      domain_(std::move(domain)),
      bots_(bots),
      metrics_(metrics),
      now_(std::move(now)),
      opt_(std::move(opt)),
      lease_script_(kLeaseLua),
      release_script_(kReleaseLua) {
  metrics_.describe_counter("lx_intake_messages_total", "Inbound messages processed by the intake worker, by outcome");
  metrics_.describe_counter("lx_cases_filed_total", "Cases filed from chat");
}

awaitable<std::vector<int>> intake_worker::renew_leases() {
  std::vector<std::string> keys;
  for (int s = 0; s < inbox_.shards(); ++s) keys.push_back(keys_.make("lease", "inbox", std::to_string(s)));
  std::vector<std::string> args{opt_.instance_id, std::to_string(opt_.lease_ms)};
  auto r = co_await redis_.eval(lease_script_, std::move(keys), std::move(args));
  std::vector<int> held;
  if (r.ok() && r.v.is_array()) {
    for (const auto& e : r.v.elements()) held.push_back(static_cast<int>(e.int_value()));
  }
  co_return held;
}

awaitable<void> intake_worker::release_leases() {
  asio::steady_timer wait(co_await asio::this_coro::executor);
  for (int i = 0; i < opt_.block_ms / 10 + 500 && running_; ++i) {
    wait.expires_after(std::chrono::milliseconds(10));
    co_await wait.async_wait(use_nothrow);
  }
  if (running_) co_return;  // still busy: let the lease expire rather than risk two readers
  std::vector<std::string> keys;
  for (int s = 0; s < inbox_.shards(); ++s) keys.push_back(keys_.make("lease", "inbox", std::to_string(s)));
  std::vector<std::string> args{opt_.instance_id};
  co_await redis_.eval(release_script_, std::move(keys), std::move(args));
}

std::size_t intake_worker::stage_ack(commit& c, const std::string& stream, const std::string& id) const {
  c.op({"XDEL", stream, id});
  if (auto b = batches_.find(stream); b != batches_.end()) {
    if (auto l = b->second.live.find(id); l != b->second.live.end()) {
      c.op({"DECR", l->second});
      return 2;
    }
  }
  return 1;
}

awaitable<void> intake_worker::run_shard(std::string name, std::vector<entry> entries, std::shared_ptr<shard_join> join) {
  std::vector<std::optional<adapters::inbound_message>> msgs;
  msgs.reserve(entries.size());
  for (const auto& e : entries) msgs.push_back(parse_entry(e.payload));
  co_await open_batch(name, msgs);
  {
    auto& live = batches_[name].live;
    for (const auto& e : entries) {
      if (!e.live.empty()) live.emplace(e.id, e.live);
    }
  }
  bool ok = true;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (stopping_) break;
    co_await give_way_to_door();
    if (stopping_) break;
    if (!co_await process_message(name, entries[i].id, std::move(msgs[i]))) {
      ok = false;
      break;
    }
  }
  // Entries not processed (stopping) stay in the stream, after every deleted one: safe to leave.
  if (ok && !co_await close_batch(name)) ok = false;
  batches_.erase(name);
  if (!ok) {
    // Keep order: stop this shard's batch; what is left of it is read again, from the start.
    join->failed = true;
  }
  if (--join->remaining == 0) join->done.cancel();
}

awaitable<void> intake_worker::give_way_to_door() {
  while (!stopping_ && !door_share_.may_take(inbox_.saturated(), inbox_.events_taken())) {
    co_await inbox_.next_round();
  }
  door_share_.took(inbox_.saturated(), inbox_.events_taken());
}

awaitable<void> intake_worker::open_batch(const std::string& stream,
                                          const std::vector<std::optional<adapters::inbound_message>>& msgs) {
  auto& b = batches_[stream];
  b = shard_batch{};
  std::vector<std::string> cmd{"MGET"};
  for (const auto& m : msgs) {
    if (!m || !shares_batch_cache(*m)) continue;
    auto key = keys_.make("conv", ingest::conversation_key(*m));
    if (b.conv.emplace(key, std::nullopt).second) cmd.push_back(std::move(key));
  }
  if (cmd.size() == 1) co_return;
  auto r = co_await redis_.exec(cmd);
  auto& bb = batches_[stream];
  if (!r.ok() || !r.v.is_array() || r.v.elements().size() + 1 != cmd.size()) {
    bb.conv.clear();  // each entry reads its own, as without a batch
    co_return;
  }
  const auto& e = r.v.elements();
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i].is_string()) bb.conv[cmd[i + 1]] = e[i].text();
  }
}

awaitable<bool> intake_worker::close_batch(const std::string& stream) {
  auto it = batches_.find(stream);
  if (it == batches_.end() || it->second.acks.empty()) co_return true;
  commit c;
  auto r = co_await commit_entry(stream, c);
  if (!r.ok) log::warn("intake", "acknowledging a batch failed (", r.detail, "); it is read again");
  co_return r.ok;
}

bool intake_worker::defer_ack(const std::string& stream, const std::string& id, const char* outcome) {
  auto it = batches_.find(stream);
  if (it == batches_.end()) return false;
  it->second.acks.push_back(id);
  it->second.outcomes.push_back(outcome);
  return true;
}

awaitable<std::optional<std::optional<std::string>>> intake_worker::load_conversation(const std::string& stream,
                                                                                       const std::string& key) {
  if (auto it = batches_.find(stream); it != batches_.end()) {
    if (auto hit = it->second.conv.find(key); hit != it->second.conv.end()) co_return hit->second;
  }
  std::vector<std::string> get{"GET", key};
  auto r = co_await redis_.exec(std::move(get));
  if (!r.ok()) co_return std::nullopt;
  if (r.v.is_string()) co_return std::optional<std::string>(r.v.text());
  co_return std::optional<std::string>();
}

awaitable<commit_result> intake_worker::commit_entry(const std::string& stream, commit& c) {
  std::vector<const char*> outcomes;
  if (auto it = batches_.find(stream); it != batches_.end()) {
    auto& b = it->second;
    if (!b.acks.empty()) {
      std::vector<std::string> xdel{"XDEL", stream};
      std::map<std::string, int> decr;  // live counter → entries acknowledged here
      for (const auto& id : b.acks) {
        xdel.push_back(id);
        if (auto l = b.live.find(id); l != b.live.end()) ++decr[l->second];
      }
      c.op(std::move(xdel));
      for (const auto& [key, n] : decr) c.op({"DECRBY", key, std::to_string(n)});
      b.acks.clear();
      outcomes.swap(b.outcomes);
    }
    // Whatever this commit writes is read afresh by the entries after it.
    if (!b.conv.empty()) {
      for (const auto& op : c.ops) {
        for (std::size_t i = 1; i < op.size(); ++i) b.conv.erase(op[i]);
      }
    }
  }
  auto r = co_await run_commit(redis_, c);
  // On failure the batch stops and every unacknowledged entry is read again, in order.
  if (r.ok) {
    for (const char* o : outcomes) metrics_.inc("lx_intake_messages_total", {{"outcome", o}});
  }
  co_return r;
}

awaitable<void> intake_worker::run() {
  running_ = true;
  struct done_flag {
    std::atomic<bool>& f;
    ~done_flag() { f = false; }
  } done{running_};
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (!stopping_) {
    if (!redis_.connected()) {
      pause.expires_after(std::chrono::milliseconds(opt_.retry_delay_ms));
      co_await pause.async_wait(use_nothrow);
      continue;
    }
    auto held = co_await renew_leases();
    if (held.empty()) {
      pause.expires_after(std::chrono::milliseconds(opt_.retry_delay_ms));
      co_await pause.async_wait(use_nothrow);
      continue;
    }
    // A plain XREAD of each held shard from its first entry. Processed entries are deleted in
    // their commits and the previous read's batches are all finished (or failed) by now, so
    // whatever a stream holds has not been processed — including what a crashed holder or a
    // failed batch left — and the lease makes this worker its only reader. No consumer group:
    // no pending-entry list, no XACK, no XCLAIM written to the AOF for every entry read, and no
    // read position to lose (a Redis failover to a replica a little behind cannot hide entries).
    std::vector<std::string> cmd{"XREAD", "COUNT", std::to_string(opt_.batch), "BLOCK", std::to_string(opt_.block_ms),
                                 "STREAMS"};
    for (int s : held) cmd.push_back(inbox_.shard_key(s));
    for (std::size_t i = 0; i < held.size(); ++i) cmd.push_back("0-0");
    auto r = co_await blocking_.exec(std::move(cmd), std::chrono::milliseconds(opt_.block_ms + 5'000));
    if (!r.ok()) {
      if (!stopping_) {
        log::warn("intake", "reading the inbox failed: ", r.error_message());
        pause.expires_after(std::chrono::milliseconds(opt_.retry_delay_ms));
        co_await pause.async_wait(use_nothrow);
      }
      continue;
    }
    if (!r.v.is_array()) continue;  // BLOCK timed out: nil
    struct shard_work {
      std::string name;
      std::vector<entry> entries;
    };
    std::vector<shard_work> work;
    for (const auto& stream : r.v.elements()) {
      if (!stream.is_array() || stream.elements().size() != 2) continue;
      shard_work w;
      w.name = stream.elements()[0].text();  // XREAD answers only for the streams it was given
      for (const auto& e : stream.elements()[1].elements()) {
        if (!e.is_array() || e.elements().size() != 2) continue;
        entry en;
        en.id = e.elements()[0].text();
        const auto& fields = e.elements()[1];
        if (fields.is_array()) {
          for (std::size_t i = 0; i + 1 < fields.elements().size(); i += 2) {
            const auto& f = fields.elements()[i].text();
            if (f == "m") en.payload = fields.elements()[i + 1].text();
            else if (f == "l") en.live = fields.elements()[i + 1].text();
          }
        }
        w.entries.push_back(std::move(en));
      }
      if (!w.entries.empty()) work.push_back(std::move(w));
    }
    // Shards run side by side (their commits share Redis's fsyncs); within a shard, strictly
    // one entry after another, which is what keeps each conversation in order.
    auto ex = co_await asio::this_coro::executor;
    auto join = std::make_shared<shard_join>(ex, work.size());
    for (auto& w : work) {
      // Arguments are copied into the coroutine frame; a capturing lambda would dangle.
      asio::co_spawn(ex, run_shard(w.name, std::move(w.entries), join), asio::detached);
    }
    if (!work.empty()) co_await join->done.async_wait(use_nothrow);
    if (stopping_) co_return;
    if (join->failed) {
      pause.expires_after(std::chrono::milliseconds(opt_.retry_delay_ms));
      co_await pause.async_wait(use_nothrow);
    }
  }
}

adapters::outbound_message intake_worker::reply_to(const adapters::inbound_message& m, std::string text,
                                                   std::size_t n) const {
  adapters::outbound_message out;
  out.target.dest = m.source;
  out.target.bot = m.bot;
  out.target.chat = m.chat;
  out.target.chat_id = m.chat_id;
  out.target.reply_to_message_id = m.message_id;  // QQ passive replies need it; others quote or ignore
  out.target.msg_seq = static_cast<std::uint32_t>(n + 1);
  out.target.reply_to_unix = m.time;
  if (m.chat == adapters::chat_type::group) {
    out.segments.push_back({adapters::out_segment_kind::mention, m.sender_id});
    out.segments.push_back({adapters::out_segment_kind::text, " " + privacy::mask_pii(text)});
  } else {
    out.segments.push_back({adapters::out_segment_kind::text, std::move(text)});
  }
  out.idempotency_key = "reply:" + m.dedupe_key + "#" + std::to_string(n);
  return out;
}

awaitable<intake::lookup_result> intake_worker::lookup(const domain::tenant_domain& d, const recipients& who,
                                                       const intake::effect& e, const adapters::inbound_message& m,
                                                       const intake::turn_input& in, commit& c,
                                                       std::vector<workflow::transition>& staged) {
  const auto identity = recipients::party_platform(m) + ":" + m.sender_id;
  if (const auto* rd = std::get_if<intake::resolve_deputy>(&e)) {
    intake::deputy_found f{rd->code, std::nullopt};
    if (const auto* dep = d.roster.find_deputy(rd->code)) f.name = dep->name;
    co_return f;
  }
  if (const auto* fs = std::get_if<intake::find_similar>(&e)) {
    intake::similar_found found;
    for (const auto& s : co_await find_similar_open(cases_, d, fs->village_id, fs->category_id, fs->text, fs->min_score,
                                                    fs->limit)) {
      found.cases.push_back({s.number, summary_of(s.text, d.intake.summary_chars), s.score});
    }
    co_return found;
  }
  if (const auto* sd = std::get_if<intake::submit_draft>(&e)) {
    intake::submit_receipt receipt;
    const auto& dr = sd->draft;
    filing_request rq;
    rq.text = dr.content;
    rq.category = dr.category_id;
    rq.village = dr.place.id;
    rq.station = dr.station_id;
    rq.photos = dr.photos;
    rq.anonymous = dr.anonymous;
    rq.reporter = recipients::party_of(m);
    rq.phone = dr.phone;
    rq.explicit_deputy = dr.deputy_code.value_or("");
    rq.sender_platform = std::string(adapters::to_string(m.source));
    rq.sender_id = m.sender_id;
    if (const auto* g = d.find_group(adapters::to_string(m.source), m.bot, m.chat_id, in.now)) rq.group_enterprise = g->enterprise;
    rq.now = in.now;
    auto filed = co_await stage_filing(cases_, d, who, keys_, c, rq);
    if (!filed.ok) {
      log::warn("intake", filed.error);
      co_return receipt;
    }
    staged.push_back(std::move(*filed.opened));
    receipt.ok = true;
    receipt.case_id = filed.number;
    receipt.deputy_name = filed.deputy_name;
    metrics_.inc("lx_cases_filed_total");
    co_return receipt;
  }
  if (std::get_if<intake::query_cases>(&e)) {
    auto numbers = co_await cases_.members(cases_.resident_key(identity));
    auto found = co_await cases_.load_many(numbers);
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.created_at > b.created_at; });
    intake::cases_found out;
    for (const auto& fc : found) {
      if (out.cases.size() >= d.intake.max_listed_cases) break;
      std::string label = d.render({{std::string("status.") + workflow::to_string(fc.state), {}}});
      out.cases.push_back({fc.number, label, summary_of(fc.text, d.intake.summary_chars)});
    }
    co_return out;
  }
  if (const auto* qc = std::get_if<intake::query_case>(&e)) {
    intake::case_detail_found out{qc->case_id, std::nullopt};
    auto fc = co_await cases_.load(qc->case_id);
    // Residents see only cases they raised or follow.
    if (fc && fc->has_party(identity)) {
      std::string label = d.render({{std::string("status.") + workflow::to_string(fc->state), {}}});
      out.found = intake::case_brief{fc->number, label, summary_of(fc->text, d.intake.summary_chars)};
    }
    co_return out;
  }
  co_return intake::cases_found{};
}

awaitable<std::optional<bool>> intake_worker::try_command(const domain::tenant_domain& d, const recipients& who_,
                                                         const adapters::inbound_message& m, bool conversation_open,
                                                         const std::string& stream, const std::string& id) {
  namespace cmd = workflow::commands;
  std::string platform(adapters::to_string(m.source));
  bool addressed = m.chat == adapters::chat_type::private_chat;
  for (const auto& s : m.segments) addressed = addressed || s.kind == adapters::segment_kind::mention_bot;

  workflow::actor who;
  std::vector<std::string> open_cases, awaiting;
  const auto* dep = d.roster.deputy_by_contact(platform, m.sender_id);
  auto depts = d.roster.departments_of_handler(platform, m.sender_id);
  if (dep && addressed) {
    who = {workflow::actor_role::deputy, dep->code};
    open_cases = co_await cases_.members(cases_.deputy_key(dep->code));
  } else if (!depts.empty() && addressed) {
    who = {workflow::actor_role::department, depts.front()->id};
    open_cases = co_await cases_.members(cases_.department_key(depts.front()->id));
  } else if (!conversation_open && may_be_rating(m.text, d.roster)) {
    // A resident: only ratings are commands, and only while something awaits their rating.
    who = {workflow::actor_role::resident, recipients::party_platform(m) + ":" + m.sender_id};
    auto mine = co_await cases_.load_many(co_await cases_.members(cases_.resident_key(who.id)));
    for (const auto& c : mine) {
      if (c.state == workflow::case_state::replied) awaiting.push_back(c.number);
    }
    if (awaiting.empty()) co_return std::nullopt;
  } else {
    co_return std::nullopt;
  }
  std::sort(open_cases.begin(), open_cases.end());
  cmd::command_context ctx{d.roster, who, open_cases, awaiting};
  auto parsed = cmd::parse(m.text, ctx);
  if (parsed.kind == cmd::command_kind::not_a_command) co_return std::nullopt;

  commit c;
  std::vector<intake::message> reply = parsed.replies;
  workflow::workflow_context wctx{d.roster, d.calendar, d.deadlines};
  auto label = [&](workflow::case_state st) { return d.render({{std::string("status.") + workflow::to_string(st), {}}}); };
  auto category_name = [&](const std::string& id) {
    const auto* cat = d.roster.find_category(id);
    return cat ? cat->name : id;
  };
  if (parsed.kind == cmd::command_kind::list_open) {
    auto list = co_await cases_.load_many(open_cases);
    if (list.empty()) {
      reply.push_back({"cmd.list.none", {}});
    } else {
      reply.push_back({"cmd.list.header", {{"count", std::to_string(list.size())}}});
      std::size_t n = 0;
      for (const auto& oc : list) {
        if (++n > 10) {
          reply.push_back({"cmd.list.more", {{"count", std::to_string(list.size() - 10)}}});
          break;
        }
        reply.push_back({"cmd.list.item",
                         {{"n", std::to_string(n)}, {"case", oc.number}, {"category", category_name(oc.category)},
                          {"status", label(oc.state)}, {"summary", summary_of(oc.text, d.intake.summary_chars)}}});
      }
    }
  } else if (parsed.kind == cmd::command_kind::show_case) {
    auto oc = co_await cases_.load(parsed.case_number);
    if (!oc || (who.role != workflow::actor_role::admin && oc->deputy != who.id && oc->department != who.id)) {
      reply.push_back(cmd::refusal(workflow::make_error(workflow::errc::not_found, ""), parsed.case_number));
    } else {
      reply.push_back({"cmd.case.detail", {{"case", oc->number}, {"category", category_name(oc->category)},
                                           {"status", label(oc->state)}, {"summary", summary_of(oc->text, 200)}}});
    }
  } else if (parsed.kind == cmd::command_kind::action) {
    auto target = co_await cases_.load(parsed.case_number);
    if (!target) {
      reply.push_back(cmd::refusal(workflow::make_error(workflow::errc::not_found, ""), parsed.case_number));
    } else {
      parsed.act.transition_id = "chat:" + m.dedupe_key;
      auto t = workflow::apply(*target, parsed.act, now_(), wctx);
      if (!t) {
        reply.push_back(cmd::refusal(t.err(), parsed.case_number));
      } else {
        if (!t->replayed) cases_.stage(c, *t, &*target, who_);
        for (const auto& f : t->follow_ups) {
          auto other = co_await cases_.load(f.case_number);
          if (!other) continue;
          auto ft = workflow::apply(*other, f.act, now_(), wctx);
          if (ft && !ft->replayed) cases_.stage(c, *ft, &*other, who_);
        }
        reply.push_back(parsed.confirmation);
      }
    }
  }
  if (!reply.empty()) cases_.stage_outbound(c, reply_to(m, d.render(reply), 0));
  stage_ack(c, stream, id);
  auto r = co_await commit_entry(stream, c);
  if (!r.ok) log::warn("intake", "command commit failed: ", r.detail);
  metrics_.inc("lx_intake_messages_total", {{"outcome", "command"}});
  co_return r.ok;
}

awaitable<bool> intake_worker::flush_qq_pending(const adapters::inbound_message& m) {
  // Updates the notifier could not push to an official-QQ chat go out now, as replies to this
  // message (sequence numbers 2..5: the bot's own answer to it takes 1).
  auto list = keys_.make("qq", "pending", m.bot, m.chat == adapters::chat_type::group ? "g" : "p", m.chat_id);
  std::vector<std::string> range{"LRANGE", list, "0", "3"};
  auto r = co_await redis_.exec(std::move(range));
  if (!r.ok()) co_return false;
  const auto& items = r.v.elements();
  if (items.empty()) co_return true;
  commit c;
  std::uint32_t seq = 2;
  for (const auto& item : items) {
    auto j = nlohmann::json::parse(item.text(), nullptr, false);
    auto out = j.is_discarded() ? std::nullopt : ingest::outbound_from_json(j);
    if (!out) continue;
    out->target.reply_to_message_id = m.message_id;
    out->target.msg_seq = seq++;
    out->target.reply_to_unix = m.time;
    cases_.stage_outbound(c, *out);
  }
  c.op({"LTRIM", list, std::to_string(items.size()), "-1"});
  auto res = co_await run_commit(redis_, c);
  co_return res.ok;
}

awaitable<std::optional<bool>> intake_worker::try_binding(const domain::tenant_domain& d,
                                                         const adapters::inbound_message& m, const std::string& stream,
                                                         const std::string& id) {
  if (!opt_.directory || !opt_.bind_codes) co_return std::nullopt;
  const auto words = read_binding_words(m.text);
  if (!words) co_return std::nullopt;
  const bool unbind = words->unbind;
  const auto code = admin::normalise_code(words->rest);
  if (code.empty()) co_return std::nullopt;  // "绑定" alone, or chatter: not a code

  const std::string platform(adapters::to_string(m.source));
  const auto now = now_();
  auto& codes = *opt_.bind_codes;
  auto target_name = [&](const std::string& kind, const std::string& tid) -> std::string {
    if (kind == "village") {
      if (const auto* v = d.roster.find_village(tid)) return v->name;
    } else if (kind == "station") {
      if (const auto* s = d.roster.find_station(tid)) return s->name;
    } else if (const auto* e = d.roster.find_enterprise(tid)) {
      return e->name;
    }
    return tid;
  };
  auto binding_target = [](const domain::group_binding& g) -> std::pair<std::string, std::string> {
    if (!g.village.empty()) return {"village", g.village};
    if (!g.station.empty()) return {"station", g.station};
    return {"enterprise", g.enterprise};
  };
  std::vector<intake::message> reply;
  bool unavailable = false;
  auto c = co_await codes.peek(code, now, &unavailable);
  if (unavailable) co_return false;
  const auto* current = d.find_group(platform, m.bot, m.chat_id);
  if (!c) {
    // Used already — by this very message, delivered again after a crash? Then answer again.
    auto used = co_await codes.used_by(code);
    if (used && *used == m.dedupe_key) {
      if (unbind) {
        reply.push_back({"bind.unbound_plain", {}});
      } else if (current) {
        auto [k, tid] = binding_target(*current);
        reply.push_back({"bind.done", {{"target", target_name(k, tid)}}});
      }
    } else {
      reply.push_back({"bind.invalid", {}});
    }
  } else if (c->unbind != unbind) {
    reply.push_back({unbind ? "bind.needs_bind_word" : "bind.needs_unbind_word", {}});
  } else {
    const auto name = target_name(c->target_kind, c->target_id);
    std::optional<std::pair<std::string, std::string>> cur;
    if (current) cur = binding_target(*current);
    const bool same = cur && cur->first == c->target_kind && cur->second == c->target_id;
    if (!unbind && same) {
      reply.push_back({"bind.already", {{"target", name}}});
    } else if (!unbind && cur) {
      reply.push_back({"bind.other_target", {{"current", target_name(cur->first, cur->second)}}});
    } else if (unbind && !same) {
      reply.push_back({"bind.not_bound", {{"target", name}}});
    } else {
      auto taken = co_await codes.consume(code, m.dedupe_key);
      if (!taken) co_return false;
      if (!*taken) {
        reply.push_back({"bind.invalid", {}});
      } else {
        const std::string gid = platform + ":" + m.bot + ":" + m.chat_id;
        nlohmann::json entry{{"platform", platform}, {"bot", m.bot}, {"group", m.chat_id}, {"name", name},
                             {c->target_kind, c->target_id}};
        auto edit = [&](const nlohmann::json& cur_doc) -> workflow::result<nlohmann::json> {
          nlohmann::json next = cur_doc;
          auto& arr = next["groups"];
          if (!arr.is_array()) arr = nlohmann::json::array();
          for (auto it = arr.begin(); it != arr.end(); ++it) {
            if (it->value("platform", "") == platform && it->value("bot", "") == m.bot &&
                it->value("group", "") == m.chat_id) {
              arr.erase(it);
              break;
            }
          }
          if (!unbind) arr.push_back(entry);
          return next;
        };
        admin::directory::edit_fn fn = edit;
        const std::string who = "bind code " + code + " (made by " + c->created_by + ") in the group";
        auto w = co_await opt_.directory->update(fn, who, unbind ? "unbind" : "bind", "groups", gid);
        if (w.s != admin::write_result::status::ok) {
          co_await codes.restore(*c, now);
          log::warn("intake", "binding ", gid, " failed: ", w.message);
          if (w.s == admin::write_result::status::unavailable || w.s == admin::write_result::status::conflict) {
            co_return false;  // not acknowledged: the message is processed again
          }
          reply.push_back({"bind.failed", {}});
        } else {
          log::info("intake", unbind ? "unbound " : "bound ", gid, unbind ? " from " : " to ", c->target_kind, " ",
                    c->target_id, " with a one-time code");
          reply.push_back({unbind ? "bind.unbound" : "bind.done", {{"target", name}}});
        }
      }
    }
  }
  commit t;
  if (!reply.empty()) cases_.stage_outbound(t, reply_to(m, d.render(reply), 0));
  stage_ack(t, stream, id);
  auto r = co_await commit_entry(stream, t);
  metrics_.inc("lx_intake_messages_total", {{"outcome", "binding"}});
  co_return r.ok;
}

awaitable<bool> intake_worker::process(const std::string& stream, const std::string& id, const std::string& payload) {
  co_return co_await process_message(stream, id, parse_entry(payload));
}

awaitable<bool> intake_worker::process_message(const std::string& stream, const std::string& id,
                                               std::optional<adapters::inbound_message> msg) {
  const auto dom = domain_();
  const auto& d = *dom;
  const recipients who_(d, bots_);
  commit c;
  std::size_t ack_ops = 0;
  auto ack = [&] { ack_ops = stage_ack(c, stream, id); };
  if (!msg || msg->kind == adapters::event_kind::unfollow || msg->kind == adapters::event_kind::follow) {
    const char* outcome = msg ? "ignored" : "unreadable";
    if (defer_ack(stream, id, outcome)) co_return true;
    ack();
    auto r = co_await commit_entry(stream, c);
    metrics_.inc("lx_intake_messages_total", {{"outcome", outcome}});
    co_return r.ok;
  }
  const auto& m = *msg;
  if (m.source == adapters::platform::qq && m.kind == adapters::event_kind::message && !m.message_id.empty()) {
    if (!co_await flush_qq_pending(m)) co_return false;
  }
  auto conv_key = keys_.make("conv", ingest::conversation_key(m));
  auto stored = co_await load_conversation(stream, conv_key);
  if (!stored) co_return false;
  std::optional<intake::conversation_state> state;
  if (*stored) {
    auto j = adapters::common::parse_stored_json(**stored);
    if (!j.is_discarded()) {
      auto s = intake::state_from_json(j);
      if (s.state) state = std::move(*s.state);
    }
  }

  if (m.kind == adapters::event_kind::message && m.chat == adapters::chat_type::group) {
    if (auto handled = co_await try_binding(d, m, stream, id)) co_return *handled;
  }
  if (auto handled = co_await try_command(d, who_, m, state.has_value(), stream, id)) co_return *handled;

  intake::turn_input in;
  in.chat = m.chat == adapters::chat_type::group ? intake::chat_type::group : intake::chat_type::private_chat;
  for (const auto& s : m.segments) {
    if (s.kind == adapters::segment_kind::mention_bot) in.mentioned = true;
    if (s.kind == adapters::segment_kind::image && !s.url.empty()) in.images.push_back(s.url);
  }
  in.text = m.text;
  if (m.qr && !m.qr->scene.empty()) {
    in.deputy = intake::deputy_slot{m.qr->scene, ""};
    in.mentioned = true;
  }
  in.binding = d.binding_for(m, now_());
  in.sender_id = m.sender_id;
  in.now = now_();
  in.classified = d.classify(m.text);
  in.known_places = d.places;

  auto out = intake::step(state, in, d.intake);
  if (out.handled) {
    // Rate limits (B40): a resident flooding the bot, or a whole group, is slowed down politely
    // once per minute; what they sent in the meantime is acknowledged and not acted on.
    auto minute = std::to_string(in.now / 60);
    auto rk = keys_.make("rl", "r", ingest::conversation_key(m), minute);
    auto gk = keys_.make("rl", "g", recipients::party_platform(m), m.chat_id, minute);
    const int rl = d.limits.resident_per_minute, gl = d.limits.group_per_minute;
    const bool in_group = m.chat == adapters::chat_type::group;
    const auto slow_down = [&] { return reply_to(m, d.render({{"limit.slow_down", {}}}), 0); };
    if (std::none_of(out.effects.begin(), out.effects.end(), is_lookup)) {
      // The usual turn: the counters are counted by the commit itself (one round trip), which
      // keeps only the acknowledgement, and the notice when a counter has just gone over, if
      // the message is over a limit.
      c.guards.push_back({rk, rl, 120});
      if (in_group) c.guards.push_back({gk, gl, 120});
      commit notice;
      cases_.stage_outbound(notice, slow_down());
      c.notice_ops = std::move(notice.ops);
    } else {
      // A turn that looks things up (and may take a case number) counts first, so a message
      // over the limit does no work at all.
      std::vector<std::vector<std::string>> cmds{{"INCR", rk}, {"EXPIRE", rk, "120"}};
      if (in_group) {
        cmds.push_back({"INCR", gk});
        cmds.push_back({"EXPIRE", gk, "120"});
      }
      auto counts = co_await redis_.exec_many(std::move(cmds));
      if (counts.empty() || !counts[0].ok()) co_return false;
      long long rc = counts[0].v.int_value();
      long long gc = counts.size() > 2 ? counts[2].v.int_value() : 0;
      if (rc > rl || (in_group && gc > gl)) {
        commit t;
        if (rc == rl + 1 || gc == gl + 1) cases_.stage_outbound(t, slow_down());
        stage_ack(t, stream, id);
        metrics_.inc("lx_intake_messages_total", {{"outcome", "rate_limited"}});
        co_return (co_await commit_entry(stream, t)).ok;
      }
    }
  }
  std::vector<intake::message> reply = out.reply;
  std::vector<workflow::transition> staged;
  // Two-phase lookups: answer and step again, at most a few rounds.
  for (int round = 0; round < 4; ++round) {
    const intake::effect* pending = nullptr;
    for (const auto& e : out.effects) {
      if (is_lookup(e)) pending = &e;
    }
    if (!pending) break;
    in.result = co_await lookup(d, who_, *pending, m, in, c, staged);
    out = intake::step(out.state, in, d.intake);
    reply.insert(reply.end(), out.reply.begin(), out.reply.end());
  }
  for (const auto& e : out.effects) {
    if (const auto* j = std::get_if<intake::join_case>(&e)) {
      auto target = co_await cases_.load(j->case_id);
      if (!target) continue;
      workflow::action a;
      a.transition_id = "join:" + m.dedupe_key;
      a.kind = workflow::action_kind::add_follower;
      a.by = workflow::actor{workflow::actor_role::resident, recipients::party_platform(m) + ":" + m.sender_id};
      a.parties.push_back(recipients::party_of(m));
      workflow::workflow_context ctx{d.roster, d.calendar, d.deadlines};
      auto t = workflow::apply(*target, a, in.now, ctx);
      if (t && !t->replayed) cases_.stage(c, *t, &*target, who_);
    } else if (const auto* sp = std::get_if<intake::start_private>(&e)) {
      adapters::inbound_message priv = m;
      priv.chat = adapters::chat_type::private_chat;
      priv.chat_id = m.sender_id;
      auto priv_key = keys_.make("conv", ingest::conversation_key(priv));
      c.op({"SET", priv_key, adapters::common::dump_json(intake::to_json(sp->state)), "PX",
            std::to_string(std::max<std::int64_t>(1, d.intake.draft_ttl_seconds + d.intake.expired_notice_seconds) * 1000)});
      cases_.stage_outbound(c, reply_to(priv, d.render(sp->reply), 0));
    } else if (std::get_if<intake::draft_expired>(&e)) {
      metrics_.inc("lx_intake_messages_total", {{"outcome", "draft_expired"}});
    }
  }
  if (!reply.empty()) cases_.stage_outbound(c, reply_to(m, d.render(reply), 0));
  if (out.handled || state) {
    if (out.state) {
      auto ttl_ms = std::max<std::int64_t>(1000, (out.keep_until - in.now) * 1000);
      c.op({"SET", conv_key, adapters::common::dump_json(intake::to_json(*out.state)), "PX", std::to_string(ttl_ms)});
    } else if (state) {
      c.op({"DEL", conv_key});
    }
  }
  c.guarded_ops = c.ops.size();  // the acknowledgements below happen either way
  ack();
  const char* outcome = out.handled ? "handled" : "silent";
  if (ack_only(c, ack_ops) && defer_ack(stream, id, outcome)) co_return true;
  auto r = co_await commit_entry(stream, c);
  if (!r.ok) {
    log::warn("intake", "commit failed", r.conflict ? " (version conflict on " : " (", r.detail, "); will retry");
    co_return false;
  }
  metrics_.inc("lx_intake_messages_total", {{"outcome", r.limited ? "rate_limited" : outcome}});
  co_return true;
}

}  // namespace lianxin::flow
