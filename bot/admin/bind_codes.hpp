#pragma once
// One-time codes that bind (or unbind) a chat group from inside the group: an admin or
// station manager creates a code for a village, station or enterprise (`lianxin bind-code`,
// the console, POST /api/v1/bind-codes); anyone in the group sends `绑定 <code>` (or
// `解绑 <code>`), and the group is bound. A code expires and works once.
//
//   lx:{t}:bindcode:<CODE>       HASH   target_kind, target_id, unbind, created_by, created_at,
//                                       expires_at; TTL = its life
//   lx:{t}:bindcodes             ZSET   CODE → expires_at (listing; expired members pruned)
//   lx:{t}:bindcode:used:<CODE>  STRING the message that used it (TTL 1 day): a redelivered
//                                       message is answered again, not refused
#include "bot/asio.hpp"
#include "bot/store/keys.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lianxin::redis {
class client;
}

namespace lianxin::admin {

struct bind_code {
  std::string code;
  std::string target_kind;  // village | station | enterprise
  std::string target_id;
  bool unbind = false;
  std::string created_by;
  std::int64_t created_at = 0, expires_at = 0;
  nlohmann::json to_json() const;
};

// "K7PX3MQD": 8 characters without look-alikes (no 0/O, 1/I/L); typed case-insensitively.
std::string new_code();
// Upper-cases and drops spaces/dashes; empty when it cannot be a code.
std::string normalise_code(std::string_view typed);

class bind_codes {
 public:
  bind_codes(redis::client& redis, const store::keys& keys);

  // nullopt when Redis is unavailable.
  awaitable<std::optional<bind_code>> create(std::string target_kind, std::string target_id, bool unbind,
                                             std::int64_t ttl_seconds, std::string created_by, std::int64_t now);
  awaitable<std::optional<std::vector<bind_code>>> list(std::int64_t now);
  awaitable<std::optional<bind_code>> peek(const std::string& code, std::int64_t now, bool* unavailable);
  // Removes the code if it still exists, remembering `used_by`; true if this call took it.
  awaitable<std::optional<bool>> consume(const std::string& code, const std::string& used_by);
  // The message that used `code`, if any.
  awaitable<std::optional<std::string>> used_by(const std::string& code);
  awaitable<std::optional<bool>> revoke(const std::string& code);
  // Puts a consumed code back (the binding it was for could not be written).
  awaitable<void> restore(const bind_code& c, std::int64_t now);

 private:
  redis::client& redis_;
  const store::keys& keys_;
};

}  // namespace lianxin::admin
