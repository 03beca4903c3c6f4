// Every notification the state machine can emit must render from the shipped catalogue with the
// params it carries: a missing sentence or placeholder would only surface in the notifier, as a
// dead-lettered message a resident never receives. The cases below walk every transition,
// including the office-held case and a village the roster does not know (params the builder
// adds only sometimes must not be relied on by a sentence).
#include <gtest/gtest.h>

#include <set>

#include "intake_harness.hpp"
#include "workflow/intake/text.hpp"
#include "workflow_fixture.hpp"

namespace lianxin::workflow {
namespace {
using intake::test::shipped_catalogue;
using test::D;

const actor deputy_a{actor_role::deputy, "D0003"};
const actor admin{actor_role::admin, "root"};
const actor water{actor_role::department, "water"};
const actor sys{};
const party group_reporter{"onebot", "900001", "u1", true};
const party private_reporter{"wecom", "u7", "u7", false};

class CommandCatalogue : public ::testing::Test {
 protected:
  roster people = test::make_roster();
  working_calendar cal = test::make_calendar();
  deadline_table deadlines;
  workflow_context ctx{people, cal, deadlines};
  std::int64_t now = local_to_unix(D(2026, 11, 24), 10);
  int seq = 0;
  std::vector<notification> seen;

  case_record open(const std::string& number, const party& reporter, const std::string& deputy,
                   const std::string& village = "xiaozhai") {
    new_case in;
    in.number = number;
    in.text = "村东头停水三天了，电话13800000000";
    in.category = "water";
    in.village = village;
    in.reporter = reporter;
    in.deputy = deputy;
    auto t = open_case(in, now, ctx);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.err().message);
    for (const auto& n : t->notifications) seen.push_back(n);
    return t->after;
  }

  case_record act(const case_record& c, action_kind k, actor by, void (*fill)(action&, const case_record&) = nullptr) {
    action a;
    a.kind = k;
    a.by = by;
    a.transition_id = "tx" + std::to_string(++seq);
    if (fill) fill(a, c);
    now += 3600;
    auto t = apply(c, a, now, ctx);
    EXPECT_TRUE(t.ok()) << to_string(k) << ": " << (t.ok() ? "" : t.err().message);
    if (!t.ok()) return c;
    for (const auto& n : t->notifications) seen.push_back(n);
    return t->after;
  }

  void run_everything() {
    using K = action_kind;
    // The long way: extensions, every timer, a dissatisfied rating that reopens the case.
    case_record c = open("RN-20261124-0001", group_reporter, "D0003");
    c = act(c, K::add_follower, actor{actor_role::resident, "wecom:u7"},
            [](action& a, const case_record&) { a.parties = {private_reporter}; });
    c = act(c, K::add_follower, actor{actor_role::resident, "onebot:u8"},
            [](action& a, const case_record&) { a.parties = {party{"onebot", "900002", "u8", true}}; });
    c = act(c, K::accept, deputy_a);
    c = act(c, K::assign, deputy_a, [](action& a, const case_record&) { a.target = "water"; });
    c = act(c, K::acknowledge, water);
    c = act(c, K::request_extension, water, [](action& a, const case_record&) { a.working_days = 5; a.reason = "需更换水泵"; });
    c = act(c, K::approve_extension, deputy_a);
    c = act(c, K::request_extension, water, [](action& a, const case_record&) { a.working_days = 3; a.reason = "等配件"; });
    c = act(c, K::deny_extension, deputy_a, [](action& a, const case_record&) { a.reason = "群众急需用水"; });
    c = act(c, K::remind, sys, [](action& a, const case_record& x) { a.timer_due = x.remind_at; });
    c = act(c, K::supervise, sys, [](action& a, const case_record& x) { a.timer_due = x.supervise_at; });
    c = act(c, K::escalate, sys, [](action& a, const case_record& x) { a.timer_due = x.escalate_at; });
    c = act(c, K::reply, water, [](action& a, const case_record&) { a.text = "已更换水泵"; });
    c = act(c, K::rate, actor{actor_role::resident, "onebot:u1"},
            [](action& a, const case_record&) { a.value = rating::dissatisfied; });
    c = act(c, K::assign, deputy_a, [](action& a, const case_record&) { a.target = "water"; a.working_days = 3; });
    c = act(c, K::reply, water, [](action& a, const case_record&) { a.text = "已恢复供水"; });
    c = act(c, K::rate, actor{actor_role::resident, "wecom:u7"},
            [](action& a, const case_record&) { a.value = rating::basically_satisfied; });
    c = act(c, K::rate_department, deputy_a, [](action& a, const case_record&) { a.value = rating::satisfied; });
    c = act(c, K::close, deputy_a);
    EXPECT_EQ(c.state, case_state::closed);

    // The short ways out: return, transfer then merge, immediate and key supervision.
    c = act(open("RN-20261124-0002", private_reporter, "D0003"), K::return_case, deputy_a,
            [](action& a, const case_record&) { a.reason = "属于法院诉讼事项"; });
    c = open("RN-20261124-0003", private_reporter, "D0003");
    c = act(c, K::transfer, deputy_a, [](action& a, const case_record&) { a.target = "D0006"; });
    c = act(c, K::merge, actor{actor_role::deputy, "D0006"}, [](action& a, const case_record&) { a.target = "RN-20261124-0004"; });
    c = open("RN-20261124-0004", group_reporter, "D0003");
    c = act(c, K::absorb, sys, [](action& a, const case_record&) { a.target = "RN-20261124-0003"; a.parties = {private_reporter}; });
    c = act(c, K::mark_immediate, deputy_a);
    c = act(c, K::mark_key_supervision, deputy_a, [](action& a, const case_record&) { a.reason = "群众反映集中"; });

    // Held by the congress office, in a village the roster does not know, escalated by timers.
    c = open("RN-20261124-0005", private_reporter, "", "nowhere");
    c = act(c, K::assign, admin, [](action& a, const case_record&) { a.target = "transport"; });
    c = act(c, K::remind, sys, [](action& a, const case_record& x) { a.timer_due = x.remind_at; });
    c = act(c, K::supervise, sys, [](action& a, const case_record& x) { a.timer_due = x.supervise_at; });
    c = act(c, K::escalate, sys, [](action& a, const case_record& x) { a.timer_due = x.escalate_at; });
    c = act(c, K::reply, actor{actor_role::department, "transport"}, [](action& a, const case_record&) { a.text = "已修复"; });
    c = act(c, K::close, sys);
  }
};

TEST_F(CommandCatalogue, EveryEmittedNotificationRendersWithItsParams) {
  run_everything();
  const auto& cat = shipped_catalogue();
  std::set<std::string> keys;
  for (const auto& n : seen) {
    keys.insert(n.key);
    auto r = cat.render(intake::message{n.key, n.params});
    EXPECT_TRUE(r.ok()) << n.key << ": " << (r.error ? intake::to_string(*r.error) : "") << " " << r.detail;
    // The shell turns codes into words before rendering; those words must exist too.
    if (auto s = n.params.find("status"); s != n.params.end()) {
      EXPECT_TRUE(cat.contains("status." + s->second)) << n.key << " status " << s->second;
    }
    if (auto s = n.params.find("rating"); s != n.params.end()) {
      EXPECT_TRUE(cat.contains("rating." + s->second)) << n.key << " rating " << s->second;
    }
  }
  // Every audience and every resident-visible status was exercised.
  for (const char* k : {"case.new.deputy", "case.assigned.department", "case.status.group", "case.filed.resident",
                        "case.returned.resident", "case.merged.resident", "case.transferred.resident",
                        "case.followed.resident", "case.reopened.deputy", "case.rated.deputy",
                        "case.extension_requested.deputy", "case.extension_denied.department",
                        "case.escalated.committee", "case.key_supervision.committee", "case.rated.department"}) {
    EXPECT_TRUE(keys.count(k)) << "not exercised: " << k;
  }
  // No dead sentences: each case.* sentence in the catalogue is one the workflow emits.
  for (const auto& k : cat.keys()) {
    if (k.rfind("case.", 0) == 0) {
      EXPECT_TRUE(keys.count(k)) << "sentence never emitted: " << k;
    }
  }
  EXPECT_EQ(keys.size(), 29u);
}

TEST_F(CommandCatalogue, GroupPostsCarryOnlyNumberCategoryAndStatus) {
  run_everything();
  const auto& cat = shipped_catalogue();
  std::set<std::string> allowed{"case", "category", "status"};
  for (const auto& p : cat.placeholders("case.status.group")) EXPECT_TRUE(allowed.count(p)) << p;
  int posts = 0;
  for (const auto& n : seen) {
    if (n.to != audience::group) continue;
    ++posts;
    EXPECT_EQ(n.key, "case.status.group");
    auto r = cat.render(intake::message{n.key, n.params});
    EXPECT_EQ(r.text.find("1380"), std::string::npos) << r.text;
    EXPECT_EQ(r.text.find("u1"), std::string::npos) << r.text;
  }
  EXPECT_GT(posts, 10);
}

TEST_F(CommandCatalogue, EveryStateAndRatingHasALabel) {
  const auto& cat = shipped_catalogue();
  for (auto s : {case_state::filed, case_state::accepted, case_state::returned, case_state::merged, case_state::assigned,
                 case_state::acknowledged, case_state::replied, case_state::rated, case_state::closed, case_state::reopened})
    EXPECT_TRUE(cat.contains(std::string("status.") + to_string(s))) << to_string(s);
  for (auto r : {rating::satisfied, rating::basically_satisfied, rating::dissatisfied})
    EXPECT_TRUE(cat.contains(std::string("rating.") + to_string(r))) << to_string(r);
}

TEST_F(CommandCatalogue, DeputyAndDepartmentSentencesNameTheCommandsToReplyWith) {
  const auto& cat = shipped_catalogue();
  auto text = [&](const std::string& key) {
    intake::message m{key, {}};
    for (const auto& p : cat.placeholders(key)) m.params[p] = "X";
    return cat.render(m).text;
  };
  EXPECT_NE(text("case.new.deputy").find("受理 X"), std::string::npos);
  EXPECT_NE(text("case.new.deputy").find("交办 X"), std::string::npos);
  EXPECT_NE(text("case.assigned.department").find("签收 X"), std::string::npos);
  EXPECT_NE(text("case.assigned.department").find("答复 X"), std::string::npos);
  EXPECT_NE(text("case.extension_requested.deputy").find("同意延期 X"), std::string::npos);
  EXPECT_NE(text("case.replied.resident").find("回复 1 满意"), std::string::npos);
  EXPECT_NE(text("case.replied.deputy").find("测评 X"), std::string::npos);
}

}  // namespace
}  // namespace lianxin::workflow
