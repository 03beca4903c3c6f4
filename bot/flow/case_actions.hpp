#pragma once
// Applies one workflow action to a stored case the way every entry point must: load, decide
// with the pure state machine, stage the case, its indexes, notifications and timers (and the
// follow-ups on other cases, e.g. merge → absorb) in one atomic commit guarded by the case
// versions; on a version conflict (another instance or the chat changed the case meanwhile)
// reload and decide again. Used by the REST API; the chat path and the scheduler follow the
// same steps inside their own commits.
#include "bot/asio.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/flow/recipients.hpp"
#include "workflow/transitions.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace lianxin::domain {
struct tenant_domain;
}
namespace lianxin::redis {
class client;
}

namespace lianxin::flow {

struct action_result {
  bool ok = false;
  bool replayed = false;                    // the transition id was seen before: nothing changed
  std::optional<workflow::error> error;     // the workflow's refusal (not found, not allowed, …)
  bool unavailable = false;                 // Redis trouble: nothing was written, try again
  std::string detail;                       // for logs
  std::optional<workflow::case_record> after;
};

class case_actions {
 public:
  case_actions(redis::client& redis, case_store& cases, std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
               const platforms::bots& bots, std::function<std::int64_t()> now);

  // `visible`, when given, decides on the loaded case whether the caller may touch it at all;
  // a case it rejects is answered like a missing one (not_found), so numbers cannot be probed.
  awaitable<action_result> perform(const std::string& number, workflow::action a,
                                   std::function<bool(const workflow::case_record&)> visible = {});

 private:
  redis::client& redis_;
  case_store& cases_;
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain_;
  const platforms::bots& bots_;
  std::function<std::int64_t()> now_;
};

}  // namespace lianxin::flow
