#pragma once
// Scheduled digests through the outbox (issue 7):
//   weekly   to each deputy who holds open cases: how many, which are overdue (number,
//            category, village, days), the others with their status
//   monthly  to the congress office's members: last calendar month's cases, the response,
//            resolution, satisfaction and on-time rates, the overdue count and the top
//            concentrated problems
// Texts come from the message catalogue (digest.*); no resident's personal data.
//
//   "digests": {"enabled": false, "weekly": "mon 09:00", "monthly": "1 09:00"}
//
// Restart-safe and once per period across instances, driven by the workflow clock (app.now(),
// so tests fast-forward it):
//   lx:{t}:digest:due:<kind>             STRING  unix time of the next occurrence; set (NX) on
//                                                the first start, so a fresh install does not
//                                                send at once; advanced after each period
//   lx:{t}:digest:sent:<kind>:<period>   HASH    ver=1, at, messages; TTL 90 days. Written in
//                                                the same atomic commit as the outbox entries,
//                                                guarded by "must not exist": one instance wins
// An occurrence missed while every instance was down is sent once when one comes back (for
// the latest period only). The notifier's per-message idempotency keys
// ("digest:weekly:2026-W48:D0001#0") guard the delivery itself.
#include "bot/asio.hpp"
#include "bot/config/config.hpp"
#include "bot/core/metrics.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/platforms/bots.hpp"
#include "workflow/schedule.hpp"

#include <atomic>
#include <functional>
#include <memory>

namespace lianxin::flow {

struct digest_settings {
  bool enabled = false;
  workflow::digest_schedule weekly{workflow::digest_schedule::kind::weekly, 1, 9 * 60};
  workflow::digest_schedule monthly{workflow::digest_schedule::kind::monthly, 1, 9 * 60};
  std::int64_t utc_offset_seconds = 8 * 3600;         // notify.utc_offset_minutes
  std::int64_t response_window_seconds = 72 * 3600;  // stats.response_hours
  std::size_t max_cases_listed = 20;                 // per deputy message
};

// Throws config::config_error naming file, key and problem.
digest_settings read_digest_settings(const config::config& cfg);

class digests {
 public:
  digests(redis::client& redis, case_store& cases, const store::keys& keys,
          std::function<std::shared_ptr<const domain::tenant_domain>()> domain, const platforms::bots& bots,
          metrics::registry& metrics, std::function<std::int64_t()> now, digest_settings settings, int poll_ms);

  awaitable<void> run();
  void stop() { stopping_ = true; }
  // Sends whatever digest is due now; returns how many digests (kinds) this call sent.
  awaitable<int> tick();

 private:
  enum class kind { weekly, monthly };
  awaitable<bool> tick_one(kind k);
  // The messages of one digest; nullopt when Redis failed while gathering.
  awaitable<std::optional<std::vector<adapters::outbound_message>>> weekly_messages(const std::string& period);
  awaitable<std::optional<std::vector<adapters::outbound_message>>> monthly_messages(const std::string& period,
                                                                                    std::int64_t occurrence);

  redis::client& redis_;
  case_store& cases_;
  const store::keys& keys_;
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain_;
  const platforms::bots& bots_;
  metrics::registry& metrics_;
  std::function<std::int64_t()> now_;
  digest_settings settings_;
  int poll_ms_;
  std::atomic<bool> stopping_{false};
};

}  // namespace lianxin::flow
