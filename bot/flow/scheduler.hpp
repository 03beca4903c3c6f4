#pragma once
// Fires the workflow's timers (remind before the deadline, supervise at it, escalate after it)
// from the `timers` sorted set. Several instances may poll at once: each firing is a case
// transition guarded by the case's version and an idempotent transition id, so a timer fires
// once even when two instances pick it up, and a restart misses none (the set is durable).
//
// The same set carries "<case>:cluster", written with every filed case: the concentrated-
// problem check (workflow::detect_cluster over the open cases of the same category in the
// village or township). When similar cases reach `workflow.clusters.min_cases`, every member
// is marked for key supervision with the cluster id and the committee is told once; a later
// similar case joins the cluster. Each mark is an idempotent transition, so a crash between
// marks is finished by the retry.
//
// A tick fires the due timers of different cases side by side (at most kLanes at once), each
// case's own timers one after another in due order, and every concentrated-problem check in
// one lane of its own, one after another (two checks deciding on overlapping cases at once
// could each found a cluster). Under `appendfsync always` this is what lets a burst of due
// deadlines share Redis's fsyncs instead of paying two or three each.
#include "bot/asio.hpp"
#include "bot/core/metrics.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_actions.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/flow/recipients.hpp"
#include "bot/redis/script.hpp"

#include <atomic>
#include <functional>
#include <memory>

namespace lianxin::flow {

class scheduler {
 public:
  scheduler(redis::client& redis, case_store& cases, std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
            const platforms::bots& bots, metrics::registry& metrics, std::function<std::int64_t()> now,
            int poll_ms = 1'000);

  awaitable<void> run();
  void stop() { stopping_ = true; }
  // Fires every timer due now; returns how many fired. Public for tests and the sandbox clock.
  awaitable<int> tick();

 private:
  struct tick_state;
  awaitable<void> run_lanes(std::shared_ptr<tick_state> st);
  awaitable<bool> fire(const std::string& member, std::int64_t due);
  awaitable<void> drop_if_unchanged(const std::string& member, std::int64_t due);
  // "<case>:cluster", scheduled when a case is filed: concentrated-problem detection.
  awaitable<bool> check_cluster(const std::string& number);

  redis::client& redis_;
  case_store& cases_;
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain_;
  metrics::registry& metrics_;
  std::function<std::int64_t()> now_;
  int poll_ms_;
  case_actions actions_;
  redis::script drop_script_;
  std::atomic<bool> stopping_{false};
};

}  // namespace lianxin::flow
