#include "bot/flow/case_store.hpp"

#include "adapters/common/safe_json.hpp"
#include "bot/ingest/message_json.hpp"
#include "bot/redis/client.hpp"
#include "workflow/calendar.hpp"

#include <cstdio>

namespace lianxin::flow {

case_store::case_store(redis::client& redis, const store::keys& keys, std::string case_prefix)
    : redis_(redis), keys_(keys), prefix_(std::move(case_prefix)) {}

awaitable<std::optional<workflow::case_record>> case_store::load(const std::string& number) {
  std::vector<std::string> cmd{"HGET", case_key(number), "json"};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok() || !r.v.is_string()) co_return std::nullopt;
  auto j = adapters::common::parse_stored_json(r.v.text());
  if (j.is_discarded()) co_return std::nullopt;
  auto c = workflow::case_from_json(j);
  if (!c) co_return std::nullopt;
  co_return std::move(c).value();
}

awaitable<std::vector<workflow::case_record>> case_store::load_many(const std::vector<std::string>& numbers) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& n : numbers) cmds.push_back({"HGET", case_key(n), "json"});
  std::vector<workflow::case_record> out;
  if (cmds.empty()) co_return out;
  auto replies = co_await redis_.exec_many(std::move(cmds));
  for (const auto& r : replies) {
    if (!r.ok() || !r.v.is_string()) continue;
    auto j = adapters::common::parse_stored_json(r.v.text());
    if (j.is_discarded()) continue;
    if (auto c = workflow::case_from_json(j)) out.push_back(std::move(c).value());
  }
  co_return out;
}

awaitable<std::optional<std::string>> case_store::next_number(std::int64_t now) {
  auto d = workflow::local_date(now);
  char date[16];
  std::snprintf(date, sizeof date, "%04d%02d%02d", d.year, d.month, d.day);
  auto key = keys_.make("caseseq", date);
  std::vector<std::vector<std::string>> cmds{{"INCR", key}, {"EXPIRE", key, "259200"}};
  auto r = co_await redis_.exec_many(std::move(cmds));
  if (r.empty() || !r[0].ok() || !r[0].v.is_integer()) co_return std::nullopt;
  workflow::case_number n;
  n.prefix = prefix_;
  n.date = d;
  n.sequence = static_cast<std::uint32_t>(r[0].v.int_value());
  co_return workflow::format_case_number(n);
}

awaitable<std::map<std::string, int>> case_store::open_counts() {
  std::vector<std::string> cmd{"HGETALL", keys_.make("open_count")};
  auto r = co_await redis_.exec(std::move(cmd));
  std::map<std::string, int> out;
  if (!r.ok() || !r.v.is_array()) co_return out;
  const auto& e = r.v.elements();
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) out[e[i].text()] = std::atoi(e[i + 1].text().c_str());
  co_return out;
}

awaitable<std::vector<std::string>> case_store::members(const std::string& set_key) {
  std::vector<std::string> cmd{"SMEMBERS", set_key};
  auto r = co_await redis_.exec(std::move(cmd));
  std::vector<std::string> out;
  if (r.ok() && r.v.is_array()) {
    for (const auto& e : r.v.elements()) out.push_back(e.text());
  }
  co_return out;
}

void case_store::stage_outbound(commit& c, const adapters::outbound_message& m) const {
  c.op({"XADD", outbox_key(), "*", "m", adapters::common::dump_json(ingest::to_json(m))});
}

void case_store::stage(commit& c, const workflow::transition& t, const workflow::case_record* before,
                       const recipients& who) const {
  const auto& a = t.after;
  auto key = case_key(a.number);
  c.checks.emplace_back(key, before ? static_cast<long long>(before->version) : -1);
  c.op({"HSET", key, "ver", std::to_string(a.version), "json",
        adapters::common::dump_json(workflow::to_json(a))});
  if (!before) c.op({"ZADD", keys_.make("cases"), std::to_string(a.created_at), a.number});

  // Residents find their cases: the reporter and every follower.
  c.op({"SADD", resident_key(a.reporter.identity()), a.number});
  for (const auto& f : a.followers) c.op({"SADD", resident_key(f.identity()), a.number});

  bool was_open = before && before->is_open();
  bool is_open = a.is_open();
  auto open_set = open_key(a.village, a.category);
  if (is_open) {
    c.op({"SADD", open_set, a.number});
  } else if (was_open) {
    c.op({"SREM", open_set, a.number});
  }
  if (before && was_open && (before->village != a.village || before->category != a.category)) {
    c.op({"SREM", open_key(before->village, before->category), a.number});
  }
  // Deputy load: one open case counts once, for whoever holds it now.
  std::string old_dep = was_open && before ? before->deputy : "";
  std::string new_dep = is_open ? a.deputy : "";
  if (old_dep != new_dep) {
    if (!old_dep.empty()) {
      c.op({"HINCRBY", keys_.make("open_count"), old_dep, "-1"});
      c.op({"SREM", deputy_key(old_dep), a.number});
    }
    if (!new_dep.empty()) {
      c.op({"HINCRBY", keys_.make("open_count"), new_dep, "1"});
      c.op({"SADD", deputy_key(new_dep), a.number});
    }
  }
  std::string old_dept = was_open && before ? before->department : "";
  std::string new_dept = is_open ? a.department : "";
  if (old_dept != new_dept) {
    if (!old_dept.empty()) c.op({"SREM", department_key(old_dept), a.number});
    if (!new_dept.empty()) c.op({"SADD", department_key(new_dept), a.number});
  }

  for (const auto& tm : t.timers) {
    if (tm.cancel) {
      c.op({"ZREM", timers_key(), tm.key()});
    } else {
      c.op({"ZADD", timers_key(), std::to_string(tm.at), tm.key()});
    }
  }
  for (const auto& n : t.notifications) {
    for (const auto& m : who.render(n)) stage_outbound(c, m);
  }
}

}  // namespace lianxin::flow
