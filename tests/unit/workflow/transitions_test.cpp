#include "workflow/transitions.hpp"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "workflow_fixture.hpp"

namespace lianxin::workflow {
namespace {
using test::D;

const actor deputy_a{actor_role::deputy, "D0003"};
const actor other_deputy{actor_role::deputy, "D0004"};
const actor admin{actor_role::admin, "root"};
const actor water{actor_role::department, "water"};
const actor transport{actor_role::department, "transport"};
const party reporter{"onebot", "900001", "u1", true};
const actor resident{actor_role::resident, "onebot:u1"};
const actor stranger{actor_role::resident, "onebot:u9"};
const actor sys{};

class Transitions : public ::testing::Test {
 protected:
  roster people = test::make_roster();
  working_calendar cal = test::make_calendar();
  deadline_table deadlines;
  workflow_context ctx{people, cal, deadlines};
  // Tuesday 2026-02-10 10:00 Beijing time.
  std::int64_t now = local_to_unix(D(2026, 2, 10), 10);
  int seq = 0;

  case_record filed() {
    new_case in;
    in.number = "RN-20260210-0001";
    in.text = "小寨村东头停水三天了，电话13800000000";
    in.category = "water";
    in.village = "xiaozhai";
    in.reporter = reporter;
    in.deputy = "D0003";
    in.routing_rule = "village";
    in.routing_reason = "本群绑定小寨村的代表";
    auto t = open_case(in, now, ctx);
    EXPECT_TRUE(t.ok());
    return t->after;
  }

  action make(action_kind k, actor by) {
    action a;
    a.kind = k;
    a.by = by;
    a.transition_id = "tx" + std::to_string(++seq);
    return a;
  }

  // The action with the right actor and valid parameters for a case.
  action valid(action_kind k, const case_record& c) {
    switch (k) {
      case action_kind::accept: return make(k, deputy_a);
      case action_kind::return_case: { auto a = make(k, deputy_a); a.reason = "属于法院诉讼事项"; return a; }
      case action_kind::transfer: { auto a = make(k, deputy_a); a.target = "D0006"; return a; }
      case action_kind::merge: { auto a = make(k, deputy_a); a.target = "RN-20260209-0007"; return a; }
      case action_kind::assign: { auto a = make(k, deputy_a); a.target = "water"; return a; }
      case action_kind::acknowledge: return make(k, water);
      case action_kind::reply: { auto a = make(k, water); a.text = "已抢修管道，今日恢复供水"; return a; }
      case action_kind::request_extension: { auto a = make(k, water); a.working_days = 5; a.reason = "需更换水泵"; return a; }
      case action_kind::approve_extension:
      case action_kind::deny_extension: return make(k, deputy_a);
      case action_kind::rate: { auto a = make(k, resident); a.value = rating::satisfied; return a; }
      case action_kind::rate_department: { auto a = make(k, deputy_a); a.value = rating::satisfied; return a; }
      case action_kind::close: return make(k, deputy_a);
      case action_kind::mark_immediate: return make(k, deputy_a);
      case action_kind::mark_key_supervision: { auto a = make(k, deputy_a); a.reason = "群众反映集中"; return a; }
      case action_kind::add_follower: {
        auto a = make(k, actor{actor_role::resident, "onebot:u2"});
        a.parties.push_back(party{"onebot", "u2", "u2", false});
        return a;
      }
      case action_kind::absorb: { auto a = make(k, sys); a.target = "RN-20260210-0002"; a.parties.push_back(party{"qq", "g", "u3", true}); return a; }
      case action_kind::remind: { auto a = make(k, sys); a.timer_due = c.remind_at; return a; }
      case action_kind::supervise: { auto a = make(k, sys); a.timer_due = c.supervise_at; return a; }
      case action_kind::escalate: { auto a = make(k, sys); a.timer_due = c.escalate_at; return a; }
    }
    return make(k, sys);
  }

  case_record step(const case_record& c, const action& a) {
    auto t = apply(c, a, now, ctx);
    EXPECT_TRUE(t.ok()) << to_string(a.kind) << ": " << (t.ok() ? "" : t.err().message);
    return t.ok() ? t->after : c;
  }

  case_record in_state(case_state s) {
    case_record c = filed();
    switch (s) {
      case case_state::filed: return c;
      case case_state::accepted: return step(c, valid(action_kind::accept, c));
      case case_state::returned: return step(c, valid(action_kind::return_case, c));
      case case_state::merged: return step(c, valid(action_kind::merge, c));
      default: break;
    }
    c = step(c, valid(action_kind::assign, c));
    if (s == case_state::assigned) return c;
    c = step(c, valid(action_kind::acknowledge, c));
    if (s == case_state::acknowledged) return c;
    c = step(c, valid(action_kind::reply, c));
    if (s == case_state::replied) return c;
    if (s == case_state::reopened) {
      auto a = valid(action_kind::rate, c);
      a.value = rating::dissatisfied;
      return step(c, a);
    }
    c = step(c, valid(action_kind::rate, c));
    if (s == case_state::rated) return c;
    return step(c, valid(action_kind::close, c));
  }
};

const std::vector<case_state> all_states{case_state::filed,   case_state::accepted,     case_state::returned,
                                         case_state::merged,  case_state::assigned,     case_state::acknowledged,
                                         case_state::replied, case_state::rated,        case_state::closed,
                                         case_state::reopened};

// kind -> {from state -> resulting state}; every other state must refuse with invalid_transition
// (stale_timer for timers, already_exists where the action was already done).
const std::map<action_kind, std::map<case_state, case_state>> allowed{
    {action_kind::accept, {{case_state::filed, case_state::accepted}}},
    {action_kind::return_case, {{case_state::filed, case_state::returned}, {case_state::accepted, case_state::returned}}},
    {action_kind::transfer, {{case_state::filed, case_state::filed}, {case_state::accepted, case_state::filed}}},
    {action_kind::merge, {{case_state::filed, case_state::merged}, {case_state::accepted, case_state::merged}}},
    {action_kind::assign,
     {{case_state::filed, case_state::assigned}, {case_state::accepted, case_state::assigned},
      {case_state::reopened, case_state::assigned}}},
    {action_kind::acknowledge, {{case_state::assigned, case_state::acknowledged}}},
    {action_kind::reply, {{case_state::assigned, case_state::replied}, {case_state::acknowledged, case_state::replied}}},
    {action_kind::request_extension,
     {{case_state::assigned, case_state::assigned}, {case_state::acknowledged, case_state::acknowledged}}},
    {action_kind::approve_extension, {}},  // needs a pending request: tested separately
    {action_kind::deny_extension, {}},
    {action_kind::rate, {{case_state::replied, case_state::rated}}},
    {action_kind::rate_department,
     {{case_state::replied, case_state::replied}, {case_state::rated, case_state::rated}, {case_state::closed, case_state::closed}}},
    {action_kind::close, {{case_state::replied, case_state::closed}, {case_state::rated, case_state::closed}}},
    {action_kind::mark_immediate,
     {{case_state::filed, case_state::filed}, {case_state::accepted, case_state::accepted}, {case_state::reopened, case_state::reopened}}},
    {action_kind::mark_key_supervision,
     {{case_state::filed, case_state::filed}, {case_state::accepted, case_state::accepted},
      {case_state::assigned, case_state::assigned}, {case_state::acknowledged, case_state::acknowledged},
      {case_state::replied, case_state::replied}, {case_state::rated, case_state::rated},
      {case_state::reopened, case_state::reopened}}},
    {action_kind::add_follower,
     {{case_state::filed, case_state::filed}, {case_state::accepted, case_state::accepted},
      {case_state::assigned, case_state::assigned}, {case_state::acknowledged, case_state::acknowledged},
      {case_state::replied, case_state::replied}, {case_state::rated, case_state::rated},
      {case_state::reopened, case_state::reopened}}},
    {action_kind::absorb,
     {{case_state::filed, case_state::filed}, {case_state::accepted, case_state::accepted},
      {case_state::assigned, case_state::assigned}, {case_state::acknowledged, case_state::acknowledged},
      {case_state::replied, case_state::replied}, {case_state::rated, case_state::rated},
      {case_state::reopened, case_state::reopened}}},
    {action_kind::remind, {{case_state::assigned, case_state::assigned}, {case_state::acknowledged, case_state::acknowledged}}},
    {action_kind::supervise, {{case_state::assigned, case_state::assigned}, {case_state::acknowledged, case_state::acknowledged}}},
    {action_kind::escalate, {{case_state::assigned, case_state::assigned}, {case_state::acknowledged, case_state::acknowledged}}},
};

TEST_F(Transitions, EveryActionInEveryState) {
  int checked = 0;
  for (const auto& [kind, from_to] : allowed) {
    for (case_state s : all_states) {
      const case_record c = in_state(s);
      ASSERT_EQ(c.state, s);
      const action a = valid(kind, c);
      auto t = apply(c, a, now, ctx);
      const std::string label = std::string(to_string(kind)) + " in " + to_string(s);
      auto it = from_to.find(s);
      if (it != from_to.end()) {
        ASSERT_TRUE(t.ok()) << label << ": " << t.err().message;
        EXPECT_EQ(t->after.state, it->second) << label;
        EXPECT_EQ(t->after.version, c.version + 1) << label;
        EXPECT_GT(t->after.log.size(), c.log.size()) << label;
        EXPECT_FALSE(t->replayed);
      } else {
        ASSERT_FALSE(t.ok()) << label << " should fail";
        const bool timer = kind == action_kind::remind || kind == action_kind::supervise || kind == action_kind::escalate;
        const bool done_already = (kind == action_kind::rate_department || kind == action_kind::mark_key_supervision) &&
                                  t.err().code == errc::already_exists;
        // A department acting on a case not (yet) assigned to it is refused as unauthorised.
        const bool no_department = c.department.empty() && a.by.role == actor_role::department &&
                                   t.err().code == errc::not_authorised;
        if (!done_already && !no_department) EXPECT_EQ(t.err().code, timer ? errc::stale_timer : errc::invalid_transition) << label;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 200);
}

TEST_F(Transitions, AuthorisationRefusals) {
  struct row {
    case_state state;
    action_kind kind;
    actor by;
  };
  const std::vector<row> rows{
      {case_state::filed, action_kind::accept, other_deputy},
      {case_state::filed, action_kind::accept, water},
      {case_state::filed, action_kind::accept, resident},
      {case_state::filed, action_kind::return_case, other_deputy},
      {case_state::accepted, action_kind::assign, other_deputy},
      {case_state::accepted, action_kind::transfer, sys},
      {case_state::assigned, action_kind::acknowledge, transport},
      {case_state::assigned, action_kind::acknowledge, deputy_a},
      {case_state::assigned, action_kind::acknowledge, admin},  // only the assigned department
      {case_state::acknowledged, action_kind::reply, transport},
      {case_state::acknowledged, action_kind::request_extension, deputy_a},
      {case_state::replied, action_kind::rate, stranger},
      {case_state::replied, action_kind::rate, deputy_a},
      {case_state::replied, action_kind::close, water},
      {case_state::replied, action_kind::rate_department, other_deputy},
      {case_state::assigned, action_kind::remind, deputy_a},
      {case_state::assigned, action_kind::escalate, admin},
      {case_state::filed, action_kind::absorb, resident},
      {case_state::filed, action_kind::mark_key_supervision, other_deputy},
  };
  for (const auto& r : rows) {
    const case_record c = in_state(r.state);
    action a = valid(r.kind, c);
    a.by = r.by;
    auto t = apply(c, a, now, ctx);
    ASSERT_FALSE(t.ok()) << to_string(r.kind) << " by " << format_actor(r.by);
    EXPECT_EQ(t.err().code, errc::not_authorised) << to_string(r.kind) << " by " << format_actor(r.by);
  }
  // An admin may act as the deputy; a follower may rate.
  EXPECT_TRUE(apply(in_state(case_state::filed), make(action_kind::accept, admin), now, ctx).ok());
  case_record c = in_state(case_state::assigned);
  auto f = valid(action_kind::add_follower, c);
  c = step(c, f);
  c = step(c, valid(action_kind::reply, c));
  auto rate = make(action_kind::rate, actor{actor_role::resident, "onebot:u2"});
  rate.value = rating::basically_satisfied;
  EXPECT_TRUE(apply(c, rate, now, ctx).ok());
}

TEST_F(Transitions, OfficeCasesAreHandledByAdminsOnly) {
  new_case in;
  in.number = "RN-20260210-0003";
  in.text = "路灯不亮";
  in.category = "roads";
  in.reporter = reporter;
  auto t = open_case(in, now, ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->notifications.back().to, audience::office);
  EXPECT_EQ(apply(t->after, make(action_kind::accept, deputy_a), now, ctx).err().code, errc::not_authorised);
  EXPECT_TRUE(apply(t->after, make(action_kind::accept, admin), now, ctx).ok());
}

TEST_F(Transitions, RetriedTransitionIdIsANoOp) {
  const case_record c = in_state(case_state::accepted);
  action a = valid(action_kind::assign, c);
  auto first = apply(c, a, now, ctx);
  ASSERT_TRUE(first.ok());
  auto again = apply(first->after, a, now + 5, ctx);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->after, first->after);
  EXPECT_TRUE(again->notifications.empty());
  EXPECT_TRUE(again->timers.empty());
  // A different id for the same command is a real (and here invalid) second attempt.
  a.transition_id = "other";
  EXPECT_EQ(apply(first->after, a, now, ctx).err().code, errc::invalid_transition);
}

TEST_F(Transitions, IdempotencyWindowIsBounded) {
  ctx.idempotency_window = 3;
  case_record c = in_state(case_state::assigned);
  for (int i = 0; i < 5; ++i) {
    const std::string u = "f" + std::to_string(i);
    auto a = make(action_kind::add_follower, actor{actor_role::resident, "qq:" + u});
    a.parties.push_back(party{"qq", u, u, false});
    c = step(c, a);
  }
  EXPECT_EQ(c.recent_transitions.size(), 3u);
  EXPECT_EQ(c.recent_transitions.back(), "tx" + std::to_string(seq));
}

TEST_F(Transitions, ReopenOnlyOnce) {
  case_record c = in_state(case_state::reopened);
  EXPECT_EQ(c.reopen_count, 1);
  EXPECT_EQ(c.resident_rating, rating::dissatisfied);
  c = step(c, valid(action_kind::assign, c));
  c = step(c, valid(action_kind::reply, c));
  auto a = valid(action_kind::rate, c);
  a.value = rating::dissatisfied;
  auto t = apply(c, a, now, ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.state, case_state::rated);  // the second dissatisfied rating stands
  EXPECT_EQ(t->after.reopen_count, 1);
  bool deputy_told = false;
  for (const auto& n : t->notifications) deputy_told |= n.to == audience::deputy && n.key == "case.rated.deputy";
  EXPECT_TRUE(deputy_told);
}

TEST_F(Transitions, InvalidParametersAreErrors) {
  const case_record c = in_state(case_state::accepted);
  auto ret = valid(action_kind::return_case, c);
  ret.reason.clear();
  EXPECT_EQ(apply(c, ret, now, ctx).err().code, errc::invalid_argument);
  auto tr = valid(action_kind::transfer, c);
  tr.target = "D9999";
  EXPECT_EQ(apply(c, tr, now, ctx).err().code, errc::not_found);
  tr.target = "D0003";
  EXPECT_EQ(apply(c, tr, now, ctx).err().code, errc::invalid_argument);
  auto as = valid(action_kind::assign, c);
  as.target = "police";
  EXPECT_EQ(apply(c, as, now, ctx).err().code, errc::not_found);
  auto mg = valid(action_kind::merge, c);
  mg.target = c.number;
  EXPECT_EQ(apply(c, mg, now, ctx).err().code, errc::invalid_argument);
  const case_record ack = in_state(case_state::acknowledged);
  auto rp = valid(action_kind::reply, ack);
  rp.text.clear();
  EXPECT_EQ(apply(ack, rp, now, ctx).err().code, errc::invalid_argument);
  auto ex = valid(action_kind::request_extension, ack);
  ex.working_days = 90;
  EXPECT_EQ(apply(ack, ex, now, ctx).err().code, errc::invalid_argument);
}

TEST_F(Transitions, AssignSchedulesWorkingDayTimersAndNotifies) {
  const case_record c = in_state(case_state::accepted);
  auto t = apply(c, valid(action_kind::assign, c), now, ctx);
  ASSERT_TRUE(t.ok());
  // water is "urgent": 3 working days from Tue Feb 10 → 11, 12, 13 → due 24:00 Fri Feb 13.
  EXPECT_EQ(t->after.deadline_at, local_to_unix(D(2026, 2, 14)));
  EXPECT_EQ(t->after.remind_at, local_to_unix(D(2026, 2, 12), 9));
  EXPECT_EQ(t->after.supervise_at, local_to_unix(D(2026, 2, 14), 9));  // Saturday make-up day
  // escalate after 2 overdue working days (14, 24) → morning of Feb 25.
  EXPECT_EQ(t->after.escalate_at, local_to_unix(D(2026, 2, 25), 9));
  ASSERT_EQ(t->timers.size(), 3u);
  EXPECT_EQ(t->timers[0].key(), "RN-20260210-0001:remind");
  bool dept = false, group = false;
  for (const auto& n : t->notifications) {
    if (n.to == audience::department) {
      dept = true;
      EXPECT_EQ(n.target, "water");
      EXPECT_EQ(n.params.at("deadline"), "2026-02-13");
      EXPECT_EQ(n.params.at("text").find("13800000000"), std::string::npos);
    }
    if (n.to == audience::group) {
      group = true;
      EXPECT_EQ(n.key, "case.status.group");
      EXPECT_EQ(n.params.size(), 3u);  // case, category, status — nothing else
      EXPECT_EQ(n.params.at("category"), "饮水和灌溉");
    }
    EXPECT_FALSE(n.dedupe_key.empty());
  }
  EXPECT_TRUE(dept && group);
}

TEST_F(Transitions, ImmediateHandlingHasAShortDeadline) {
  case_record c = in_state(case_state::accepted);
  auto a = valid(action_kind::assign, c);
  a.handling = handling_class::immediate;
  c = step(c, a);
  EXPECT_EQ(c.handling, handling_class::immediate);
  EXPECT_EQ(c.deadline_at, local_to_unix(D(2026, 2, 13)));  // 2 wd: 11, 12
}

TEST_F(Transitions, TimersEscalateToKeySupervisionAndGoStale) {
  case_record c = in_state(case_state::assigned);
  auto stale = valid(action_kind::remind, c);
  stale.timer_due += 1;
  EXPECT_EQ(apply(c, stale, now, ctx).err().code, errc::stale_timer);
  c = step(c, valid(action_kind::remind, c));
  EXPECT_EQ(c.overdue, overdue_level::reminded);
  c = step(c, valid(action_kind::supervise, c));
  EXPECT_EQ(c.overdue, overdue_level::supervised);
  auto t = apply(c, valid(action_kind::escalate, c), now, ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.overdue, overdue_level::escalated);
  EXPECT_EQ(t->after.handling, handling_class::key_supervision);
  EXPECT_EQ(t->after.committee, "njw");
  bool committee = false;
  for (const auto& n : t->notifications) committee |= n.to == audience::committee && n.target == "njw";
  EXPECT_TRUE(committee);
  // After the reply, the timers are cancelled and any late firing is stale.
  const case_record before = t->after;
  auto r = apply(before, valid(action_kind::reply, before), now, ctx);
  ASSERT_TRUE(r.ok());
  int cancels = 0;
  for (const auto& tm : r->timers) cancels += tm.cancel;
  EXPECT_EQ(cancels, 3);
  action late = make(action_kind::escalate, sys);
  late.timer_due = before.escalate_at;
  EXPECT_EQ(apply(r->after, late, now, ctx).err().code, errc::stale_timer);
}

TEST_F(Transitions, ExtensionApprovedMovesTheDeadlineOverTheHoliday) {
  case_record c = in_state(case_state::acknowledged);
  c = step(c, valid(action_kind::request_extension, c));
  ASSERT_TRUE(c.extension);
  auto dup = valid(action_kind::request_extension, c);
  EXPECT_EQ(apply(c, dup, now, ctx).err().code, errc::already_exists);
  auto t = apply(c, valid(action_kind::approve_extension, c), now, ctx);
  ASSERT_TRUE(t.ok());
  // Feb 13 + 5 wd: 14 (make-up), 24, 25, 26, 27 → due 24:00 Fri Feb 27.
  EXPECT_EQ(t->after.deadline_at, local_to_unix(D(2026, 2, 28)));
  EXPECT_FALSE(t->after.extension);
  EXPECT_EQ(t->after.extensions_granted, 1);
  EXPECT_EQ(t->timers.size(), 3u);
  c = step(c, valid(action_kind::deny_extension, c));
  EXPECT_FALSE(c.extension);
  EXPECT_EQ(c.deadline_at, local_to_unix(D(2026, 2, 14)));
}

TEST_F(Transitions, MergeAbsorbsFollowersIntoTheTarget) {
  case_record c = in_state(case_state::accepted);
  auto t = apply(c, valid(action_kind::merge, c), now, ctx);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->follow_ups.size(), 1u);
  EXPECT_EQ(t->follow_ups[0].case_number, "RN-20260209-0007");
  EXPECT_EQ(t->follow_ups[0].act.kind, action_kind::absorb);
  EXPECT_EQ(t->follow_ups[0].act.parties.front(), reporter);
  case_record target = filed();
  target.number = "RN-20260209-0007";
  target.reporter = party{"onebot", "900001", "u7", true};
  auto absorbed = apply(target, t->follow_ups[0].act, now, ctx);
  ASSERT_TRUE(absorbed.ok());
  EXPECT_TRUE(absorbed->after.has_party("onebot:u1"));
  EXPECT_EQ(absorbed->after.merged_from, std::vector<std::string>{c.number});
}

TEST_F(Transitions, FollowersHearUpdatesAndGroupsArePostedOnce) {
  case_record c = in_state(case_state::assigned);
  auto a = make(action_kind::add_follower, actor{actor_role::resident, "onebot:u5"});
  a.parties.push_back(party{"onebot", "900001", "u5", true});  // same group as the reporter
  c = step(c, a);
  EXPECT_EQ(apply(c, a, now, ctx).ok(), true);  // same transition id: replayed
  a.transition_id = "again";
  EXPECT_EQ(apply(c, a, now, ctx).err().code, errc::already_exists);
  c = step(c, valid(action_kind::add_follower, c));  // u2 in private chat
  auto t = apply(c, valid(action_kind::reply, c), now, ctx);
  ASSERT_TRUE(t.ok());
  int groups = 0, privates = 0;
  for (const auto& n : t->notifications) {
    groups += n.to == audience::group;
    if (n.to == audience::resident) {
      ++privates;
      EXPECT_EQ(n.key, "case.replied.resident");
      EXPECT_EQ(n.params.at("result"), "已抢修管道，今日恢复供水");
    }
  }
  EXPECT_EQ(groups, 1);
  EXPECT_EQ(privates, 1);
}

TEST_F(Transitions, CaseJsonRoundTripsAndStaysSmall) {
  case_record c = in_state(case_state::rated);
  c.followers.push_back(party{"wecom", "g2", "u8", true});
  auto j = to_json(c);
  auto back = case_from_json(j);
  ASSERT_TRUE(back.ok()) << back.err().message;
  EXPECT_EQ(back.value(), c);
  EXPECT_LT(j.dump().size(), 8192u) << j.dump().size();
  EXPECT_FALSE(case_from_json(nlohmann::json::parse(R"({"no": "x", "st": "bogus"})")).ok());
}

TEST(CaseNumber, FormatsAndParses) {
  const case_number n{"RN", D(2026, 11, 28), 42};
  EXPECT_EQ(format_case_number(n), "RN-20261128-0042");
  EXPECT_EQ(parse_case_number("RN-20261128-0042"), n);
  EXPECT_EQ(parse_case_number("rn-20261128-0042"), n);
  EXPECT_EQ(format_case_number({"RN", D(2026, 1, 1), 12345}), "RN-20260101-12345");
  for (const char* bad : {"RN20261128-0042", "RN-20261328-0042", "RN-20261128-42", "-20261128-0042",
                          "RN-20261128-0000", "R N-20261128-0042", "TOOLONGPX-20261128-0001"})
    EXPECT_FALSE(parse_case_number(bad)) << bad;
}

}  // namespace
}  // namespace lianxin::workflow
