#pragma once
// Cases in Redis. The case record is the pure workflow's value (JSON in a hash with an
// optimistic version); indexes are kept next to it in the same atomic commit as every
// transition, together with the notifications (outbox) and timers it produced.
//
//   lx:{t}:case:<no>                     HASH   ver, json           the case and its log
//   lx:{t}:caseseq:<yyyymmdd>            STRING counter, TTL 3 days  case number sequence
//   lx:{t}:cases                         ZSET   no → created_at      every case
//   lx:{t}:cases:resident:<identity>     SET    case numbers         reporter and followers
//   lx:{t}:cases:open:<village>:<cat>    SET    case numbers         open cases, for similar search
//   lx:{t}:cases:deputy:<code>           SET    case numbers         open cases a deputy holds
//   lx:{t}:cases:department:<id>         SET    case numbers         open cases assigned to a department
//   lx:{t}:open_count                    HASH   deputy → open cases  for routing's fewest-open rule
//   lx:{t}:timers                        ZSET   "<case>:<kind>" → due unix time
//   lx:{t}:outbox                        STREAM m = outbound message JSON
#include "bot/asio.hpp"
#include "bot/flow/commit.hpp"
#include "bot/flow/recipients.hpp"
#include "bot/store/keys.hpp"
#include "workflow/case.hpp"
#include "workflow/transitions.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lianxin::redis {
class client;
}

namespace lianxin::flow {

class case_store {
 public:
  case_store(redis::client& redis, const store::keys& keys, std::string case_prefix);

  awaitable<std::optional<workflow::case_record>> load(const std::string& number);
  awaitable<std::vector<workflow::case_record>> load_many(const std::vector<std::string>& numbers);
  // Allocates the next number for the local date of `now` (a gap after a crash is harmless).
  awaitable<std::optional<std::string>> next_number(std::int64_t now);
  awaitable<std::map<std::string, int>> open_counts();
  awaitable<std::vector<std::string>> members(const std::string& set_key);

  std::string case_key(const std::string& number) const { return keys_.make("case", number); }
  std::string resident_key(const std::string& identity) const { return keys_.make("cases", "resident", identity); }
  std::string open_key(const std::string& village, const std::string& category) const {
    return keys_.make("cases", "open", village, category);
  }
  std::string deputy_key(const std::string& code) const { return keys_.make("cases", "deputy", code); }
  std::string department_key(const std::string& id) const { return keys_.make("cases", "department", id); }
  std::string outbox_key() const { return keys_.make("outbox"); }
  std::string timers_key() const { return keys_.make("timers"); }

  // Adds the writes of one transition: the case (guarded by its version), its indexes, the
  // rendered notifications as outbox entries and the timers.
  void stage(commit& c, const workflow::transition& t, const workflow::case_record* before,
             const recipients& who) const;
  // An outbound message as an outbox entry.
  void stage_outbound(commit& c, const adapters::outbound_message& m) const;

 private:
  redis::client& redis_;
  const store::keys& keys_;
  std::string prefix_;
};

}  // namespace lianxin::flow
