#pragma once
// Fires the workflow's timers (remind before the deadline, supervise at it, escalate after it)
// from the `timers` sorted set. Several instances may poll at once: each firing is a case
// transition guarded by the case's version and an idempotent transition id, so a timer fires
// once even when two instances pick it up, and a restart misses none (the set is durable).
#include "bot/asio.hpp"
#include "bot/core/metrics.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/flow/recipients.hpp"
#include "bot/redis/script.hpp"

#include <atomic>
#include <functional>
#include <memory>

namespace lianxin::flow {

class scheduler {
 public:
  scheduler(redis::client& redis, case_store& cases, std::shared_ptr<const domain::tenant_domain> domain,
            const platforms::bots& bots, metrics::registry& metrics, std::function<std::int64_t()> now,
            int poll_ms = 1'000);

  awaitable<void> run();
  void stop() { stopping_ = true; }
  // Fires every timer due now; returns how many fired. Public for tests and the sandbox clock.
  awaitable<int> tick();

 private:
  awaitable<bool> fire(const std::string& member, std::int64_t due);
  awaitable<void> drop_if_unchanged(const std::string& member, std::int64_t due);

  redis::client& redis_;
  case_store& cases_;
  std::shared_ptr<const domain::tenant_domain> domain_;
  metrics::registry& metrics_;
  std::function<std::int64_t()> now_;
  int poll_ms_;
  recipients who_;
  redis::script drop_script_;
  std::atomic<bool> stopping_{false};
};

}  // namespace lianxin::flow
