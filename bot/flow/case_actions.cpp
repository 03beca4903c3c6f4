#include "bot/flow/case_actions.hpp"

#include "bot/core/log.hpp"
#include "bot/domain/domain.hpp"
#include "bot/redis/client.hpp"

namespace lianxin::flow {

case_actions::case_actions(redis::client& redis, case_store& cases,
                           std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
                           const platforms::bots& bots, std::function<std::int64_t()> now)
    : redis_(redis), cases_(cases), domain_(std::move(domain)), bots_(bots), now_(std::move(now)) {}

awaitable<action_result> case_actions::perform(const std::string& number, workflow::action a,
                                               std::function<bool(const workflow::case_record&)> visible) {
  action_result out;
  auto dom = domain_();
  const auto& d = *dom;
  recipients who(d, bots_);
  workflow::workflow_context ctx{d.roster, d.calendar, d.deadlines};
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto c = co_await cases_.load(number);
    if (!c) {
      // load() also answers nullopt when Redis is down: tell the two apart.
      std::vector<std::string> ping{"PING"};
      auto p = co_await redis_.exec(std::move(ping));
      if (!p.ok()) {
        out.unavailable = true;
        out.detail = p.error_message();
        co_return out;
      }
      out.error = workflow::make_error(workflow::errc::not_found, "no case " + number);
      co_return out;
    }
    if (visible && !visible(*c)) {
      out.error = workflow::make_error(workflow::errc::not_found, "no case " + number);
      co_return out;
    }
    auto t = workflow::apply(*c, a, now_(), ctx);
    if (!t) {
      out.error = t.err();
      co_return out;
    }
    if (t->replayed) {
      out.ok = true;
      out.replayed = true;
      out.after = std::move(*c);
      co_return out;
    }
    commit cm;
    cases_.stage(cm, *t, &*c, who);
    for (const auto& f : t->follow_ups) {
      auto other = co_await cases_.load(f.case_number);
      if (!other) continue;
      auto ft = workflow::apply(*other, f.act, now_(), ctx);
      if (ft && !ft->replayed) cases_.stage(cm, *ft, &*other, who);
    }
    auto r = co_await run_commit(redis_, cm);
    if (r.ok) {
      out.ok = true;
      out.after = std::move(t->after);
      co_return out;
    }
    if (!r.conflict) {
      out.unavailable = true;
      out.detail = r.detail;
      co_return out;
    }
    log::debug("cases", "version conflict on ", r.detail, ", deciding ", number, " again");
  }
  out.unavailable = true;
  out.detail = "the case kept changing; try again";
  co_return out;
}

}  // namespace lianxin::flow
