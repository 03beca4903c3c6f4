#include "bot/flow/filing.hpp"

#include "bot/domain/domain.hpp"
#include "workflow/routing.hpp"
#include "workflow/similarity.hpp"

#include <algorithm>

namespace lianxin::flow {

awaitable<filing_result> stage_filing(case_store& cases, const domain::tenant_domain& d, const recipients& who,
                                      const store::keys& keys, commit& c, const filing_request& rq) {
  filing_result out;
  auto number = co_await cases.next_number(rq.now);
  if (!number) {
    out.error = "no case number (storage unavailable)";
    co_return out;
  }
  workflow::routing_request route_rq;
  route_rq.explicit_deputy = rq.explicit_deputy;
  route_rq.sender_platform = rq.sender_platform;
  route_rq.sender_id = rq.sender_id;
  route_rq.group_enterprise = rq.group_enterprise;
  route_rq.village = rq.village;
  route_rq.station = rq.station;
  route_rq.category = rq.category;
  auto counts = co_await cases.open_counts();
  auto decision = workflow::route(d.roster, d.routing, route_rq, counts);
  if (!decision) {
    out.error = "routing failed: " + decision.err().message;
    co_return out;
  }
  workflow::new_case nc;
  nc.number = *number;
  nc.text = rq.text;
  nc.category = rq.category;
  nc.village = rq.village;
  if (const auto* v = d.roster.find_village(rq.village)) {
    nc.township = v->township;
    nc.station = rq.station.empty() ? v->station : rq.station;
  } else {
    nc.station = rq.station;
  }
  nc.attachments = rq.photos;
  nc.anonymous = rq.anonymous;
  nc.reporter = rq.reporter;
  nc.deputy = decision->deputy;
  nc.routing_rule = workflow::to_string(decision->rule);
  nc.routing_reason = decision->reason_zh;
  workflow::workflow_context ctx{d.roster, d.calendar, d.deadlines};
  auto t = workflow::open_case(nc, rq.now, ctx);
  if (!t) {
    out.error = "cannot open case: " + t.err().message;
    co_return out;
  }
  cases.stage(c, *t, nullptr, who);
  // The concentrated-problem check runs from the scheduler, restart-safe, right after filing.
  c.op({"ZADD", cases.timers_key(), std::to_string(rq.now), *number + ":cluster"});
  if (!rq.phone.empty()) c.op({"HSET", keys.make("contact", *number), "phone", rq.phone});
  out.ok = true;
  out.number = *number;
  out.deputy = decision->deputy;
  if (const auto* dep = d.roster.find_deputy(decision->deputy)) out.deputy_name = dep->name;
  out.opened = std::move(*t);
  co_return out;
}

std::vector<std::string> newest_numbers(std::vector<std::string> numbers, std::size_t max) {
  if (numbers.size() <= max) return numbers;
  // Sequences pass 9999 on a busy day, so compare parsed numbers, not text.
  std::vector<std::pair<std::pair<workflow::civil_date, std::uint32_t>, std::string>> keyed;
  keyed.reserve(numbers.size());
  for (auto& n : numbers) {
    auto p = workflow::parse_case_number(n);
    keyed.push_back({p ? std::make_pair(p->date, p->sequence) : std::make_pair(workflow::civil_date{}, 0u), std::move(n)});
  }
  auto mid = keyed.begin() + static_cast<std::ptrdiff_t>(max);
  std::partial_sort(keyed.begin(), mid, keyed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  out.reserve(max);
  for (auto it = keyed.begin(); it != mid; ++it) out.push_back(std::move(it->second));
  return out;
}

awaitable<std::vector<similar_case>> find_similar_open(case_store& cases, const domain::tenant_domain& d,
                                                       const std::string& village, const std::string& category,
                                                       const std::string& text, double min_score, std::size_t limit) {
  std::vector<similar_case> out;
  auto numbers = newest_numbers(co_await cases.members(cases.open_key(village, category)), kRecentOpenWindow);
  auto open = co_await cases.load_many(numbers);
  std::vector<workflow::candidate_text> candidates;
  for (const auto& oc : open) candidates.push_back({oc.number, oc.text});
  for (const auto& s : workflow::find_similar(text, candidates, min_score, limit, d.similarity.measure)) {
    auto it = std::find_if(open.begin(), open.end(), [&](const auto& oc) { return oc.number == s.number; });
    if (it != open.end()) out.push_back({s.number, it->text, s.score});
  }
  co_return out;
}

}  // namespace lianxin::flow
