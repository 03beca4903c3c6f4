// Chat commands, table-driven: what deputies, department handlers and residents actually type
// (full-width digits, lower-case numbers, no spaces, Chinese numerals, chat that merely starts
// with a command word) and what the parser makes of it. Every reply it names must render from
// the shipped catalogue.
#include <gtest/gtest.h>

#include "intake_harness.hpp"
#include "workflow/commands/commands.hpp"
#include "workflow_fixture.hpp"

namespace lianxin::workflow::commands {
namespace {
using intake::test::shipped_catalogue;

constexpr const char* N = "RN-20261128-0042";
constexpr const char* M = "RN-20261127-0007";

roster fixture_roster() {
  auto j = test::roster_json();
  // More departments with 交通 in their names: "交通局" still means 县交通运输局, "交通" alone is
  // ambiguous.
  j["departments"].push_back({{"id", "traffic_police"}, {"name", "县公安局交通警察大队"}});
  j["departments"].push_back({{"id", "traffic_law"}, {"name", "县交通执法大队"}});
  auto r = roster::from_json(j);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.err().message);
  return r.value();
}

struct row {
  actor sender;
  std::string text;
  command_kind kind;
  std::optional<action_kind> act = {};
  std::string number = {};  // expected case number, when an action or show_case
  std::string target = {};
  std::string reason = {};
  std::string result = {};  // act.text
  std::optional<int> days = {};
  std::optional<rating> value = {};
  std::string error = {};  // malformed: the reply key
  std::vector<std::string> open = {};
  std::vector<std::string> awaiting = {};
  bool inferred = false;
  std::optional<handling_class> handling = {};
};

const actor dep{actor_role::deputy, "D0003"};
const actor adm{actor_role::admin, "root"};
const actor wat{actor_role::department, "water"};
const actor res{actor_role::resident, "onebot:u1"};
const std::string n = N, m = M;
using K = action_kind;
using C = command_kind;

const std::vector<row> rows = {
    // Deputies: accept, and everything forgiving about how the number is written.
    {dep, "受理 " + n, C::action, K::accept, n},
    {dep, "受理 rn-20261128-0042", C::action, K::accept, n},
    {dep, "受理　ＲＮ－２０２６１１２８－００４２", C::action, K::accept, n},
    {dep, "   受理    RN 20261128 0042   ", C::action, K::accept, n},
    {dep, n + " 受理", C::action, K::accept, n},
    {dep, "@连心桥 受理" + n, C::action, K::accept, n},
    {dep, "请受理 " + n, C::action, K::accept, n},
    {dep, "受理", C::action, K::accept, n, {}, {}, {}, {}, {}, {}, {n}, {}, true},
    {dep, "受理了", C::action, K::accept, n, {}, {}, {}, {}, {}, {}, {n}, {}, true},
    {dep, "受理", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_case"},
    {dep, "受理", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.which_case", {n, m}},
    {dep, "受理的事我明天再看", C::not_a_command, {}, {}, {}, {}, {}, {}, {}, {}, {n}},
    // Return, transfer, merge.
    {dep, "退回 " + n + " 原因：属于法院诉讼事项", C::action, K::return_case, n, {}, "属于法院诉讼事项"},
    {dep, "不受理 " + n + "，已起诉到法院", C::action, K::return_case, n, {}, "已起诉到法院"},
    {dep, "退回 " + n, C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_reason"},
    {dep, "退回去再说", C::not_a_command, {}, {}, {}, {}, {}, {}, {}, {}, {n}},
    {dep, "转交 " + n + " D0006 她住在小寨村", C::action, K::transfer, n, "D0006", "她住在小寨村"},
    {dep, "转交 " + n + " d0006", C::action, K::transfer, n, "D0006"},
    {dep, "转给 " + n + " 周红代表", C::action, K::transfer, n, "D0006"},
    {dep, "转交 " + n + " D9999", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.unknown_deputy"},
    {dep, "转交 " + n, C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_deputy"},
    {dep, "合并 " + n + " 到 " + m, C::action, K::merge, n, m},
    {dep, n + "并入" + m, C::action, K::merge, n, m},
    {dep, "合并到 " + m, C::action, K::merge, n, m, {}, {}, {}, {}, {}, {n}, {}, true},
    {dep, "合并 " + n, C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_merge_target"},
    // Assign: department by id, full name or loosely; days in digits or Chinese numerals.
    {dep, "交办 " + n + " 交通局", C::action, K::assign, n, "transport"},
    {dep, "交办 " + n + " 交通运输局 7天", C::action, K::assign, n, "transport", {}, {}, 7},
    {dep, "交办 " + n + " 县水利局 七个工作日", C::action, K::assign, n, "water", {}, {}, 7},
    {dep, "交办" + n + "水利局十个工作日内 尽快处理", C::action, K::assign, n, "water", "尽快处理", {}, 10},
    {dep, "交办 " + n + " transport ３天", C::action, K::assign, n, "transport", {}, {}, 3},
    {dep, "交办 " + n + " 三天 水利局", C::action, K::assign, n, "water", {}, {}, 3},
    {dep, "交办 " + n + " 农业 立即办理", C::action, K::assign, n, "agriculture", {}, {}, {}, {}, {}, {}, {}, false,
     handling_class::immediate},
    {dep, "交办 " + n + " 公安局", C::action, K::assign, n, "traffic_police"},
    {dep, "交办 " + n + " 交通", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.ambiguous_department"},
    {dep, "交办 " + n + " 教育局", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.unknown_department"},
    {dep, "交办 " + n, C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_department"},
    {dep, "交办 " + n + " 交通局 0天", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.bad_days"},
    // Marks, close, extensions, the deputy's rating of the department.
    {dep, "立即办理 " + n, C::action, K::mark_immediate, n},
    {dep, "重点监督 " + n + " 多个村反映同一问题", C::action, K::mark_key_supervision, n, {}, "多个村反映同一问题"},
    {dep, "重点监督 " + n, C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_reason"},
    {dep, "办结 " + n, C::action, K::close, n},
    {dep, "关闭 " + n + " 原因：群众已撤回", C::action, K::close, n, {}, "群众已撤回"},
    {dep, "同意延期 " + n, C::action, K::approve_extension, n},
    {dep, "不同意延期 " + n + " 群众急需用水", C::action, K::deny_extension, n, {}, "群众急需用水"},
    {dep, "不同意延期 " + n, C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_reason"},
    {dep, "测评 " + n + " 满意", C::action, K::rate_department, n, {}, {}, {}, {}, rating::satisfied},
    {dep, "测评 " + n + " 基本满意，还需加快", C::action, K::rate_department, n, {}, "还需加快", {}, {},
     rating::basically_satisfied},
    {dep, "测评 " + n + " 很好", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_rating"},
    // Queries and help; chat that only starts like a command is left alone.
    {dep, "我的案件", C::list_open},
    {dep, "待办", C::list_open},
    {dep, "查看 " + n, C::show_case, {}, n},
    {dep, "查看", C::show_case, {}, n, {}, {}, {}, {}, {}, {}, {n}, {}, true},
    {dep, "帮助", C::help},
    {dep, "HELP", C::help},
    {dep, "帮助群众解决问题是我们的本分", C::not_a_command},
    {dep, "今天下午开会", C::not_a_command},
    {adm, "受理 " + n, C::action, K::accept, n},
    // Department handlers.
    {wat, "签收 " + n, C::action, K::acknowledge, n},
    {wat, "收到", C::action, K::acknowledge, n, {}, {}, {}, {}, {}, {}, {n}, {}, true},
    {wat, "答复 " + n + " 已抢修管道，今日恢复供水", C::action, K::reply, n, {}, {}, "已抢修管道，今日恢复供水"},
    {wat, "办结 " + n + " 结果：已修好", C::action, K::reply, n, {}, {}, "已修好"},
    {wat, "答复 " + n, C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_result"},
    {wat, "申请延期 " + n + " 5天 需更换水泵", C::action, K::request_extension, n, {}, "需更换水泵", {}, 5},
    {wat, "延期 " + n + " 三天，原因是等配件", C::action, K::request_extension, n, {}, "等配件", {}, 3},
    {wat, "申请延期 " + n + " 需更换水泵", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_days"},
    {wat, "申请延期 " + n + " 5天", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.no_reason"},
    {wat, "受理 " + n, C::not_a_command},
    {wat, "回复 收到", C::not_a_command, {}, {}, {}, {}, {}, {}, {}, {}, {n}},
    {wat, "帮助", C::help},
    // Residents rate the case awaiting their rating; anything else belongs to intake.
    {res, "1", C::action, K::rate, n, {}, {}, {}, {}, rating::satisfied, {}, {}, {n}, true},
    {res, "３", C::action, K::rate, n, {}, {}, {}, {}, rating::dissatisfied, {}, {}, {n}, true},
    {res, "不满意，路还是坑坑洼洼", C::action, K::rate, n, {}, "路还是坑坑洼洼", {}, {}, rating::dissatisfied, {}, {}, {n}, true},
    {res, "基本满意", C::action, K::rate, n, {}, {}, {}, {}, rating::basically_satisfied, {}, {}, {n}, true},
    {res, "满意了👍", C::action, K::rate, n, {}, {}, {}, {}, rating::satisfied, {}, {}, {n}, true},
    {res, "评价 " + n + " 满意", C::action, K::rate, n, {}, {}, {}, {}, rating::satisfied},
    {res, "1", C::not_a_command},
    {res, "12", C::not_a_command, {}, {}, {}, {}, {}, {}, {}, {}, {}, {n}},
    {res, "满意", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.which_rating", {}, {n, m}},
    {res, "评价 满意", C::malformed, {}, {}, {}, {}, {}, {}, {}, "cmd.error.nothing_to_rate"},
    {res, "我对村里的路很不满意", C::not_a_command, {}, {}, {}, {}, {}, {}, {}, {}, {}, {n}},
    {res, "满意度太低", C::not_a_command, {}, {}, {}, {}, {}, {}, {}, {}, {}, {n}},
    {res, "一下子就修好了", C::not_a_command, {}, {}, {}, {}, {}, {}, {}, {}, {}, {n}},
    {res, "2 还行吧", C::action, K::rate, n, {}, "还行吧", {}, {}, rating::basically_satisfied, {}, {}, {n}, true},
    {res, "受理 " + n, C::not_a_command},
    {actor{actor_role::committee, "njw"}, "受理 " + n, C::not_a_command},
};

TEST(CommandParse, Table) {
  const roster people = fixture_roster();
  const auto& cat = shipped_catalogue();
  ASSERT_GE(rows.size(), 40u);
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(to_string(r.sender.role)) + " «" + r.text + "»");
    command_context ctx{people, r.sender, r.open, r.awaiting};
    const parsed_command p = parse(r.text, ctx);
    EXPECT_EQ(to_string(p.kind), std::string(to_string(r.kind)));
    if (r.kind == C::action || r.kind == C::show_case) {
      EXPECT_EQ(p.case_number, r.number);
      EXPECT_EQ(p.case_inferred, r.inferred);
    }
    if (r.kind == C::action && p.kind == C::action) {
      EXPECT_EQ(to_string(p.act.kind), std::string(to_string(*r.act)));
      EXPECT_EQ(p.act.by, r.sender);
      EXPECT_EQ(p.act.target, r.target);
      EXPECT_EQ(p.act.reason, r.reason);
      EXPECT_EQ(p.act.text, r.result);
      EXPECT_EQ(p.act.working_days, r.days);
      EXPECT_EQ(p.act.value, r.value);
      EXPECT_EQ(p.act.handling, r.handling);
      auto rendered = cat.render(p.confirmation);
      EXPECT_TRUE(rendered.ok()) << p.confirmation.key << " " << rendered.detail;
    }
    if (r.kind == C::malformed && p.kind == C::malformed) {
      ASSERT_EQ(p.replies.size(), 1u);
      EXPECT_EQ(p.replies.front().key, r.error);
    }
    for (const auto& reply : p.replies) {
      auto rendered = cat.render(reply);
      EXPECT_TRUE(rendered.ok()) << reply.key << " " << rendered.detail;
    }
  }
}

// The worker skips looking up a resident's cases when the words cannot be a rating: that must
// never hide a command that some awaiting list would have made one.
TEST(CommandParse, ResidentPrecheckNeverHidesACommand) {
  const auto people = fixture_roster();
  const std::string n = N, m = M;
  const std::vector<std::vector<std::string>> lists = {{}, {n}, {n, m}, {m}};
  int maybe = 0;
  for (const std::string& text :
       {std::string("1"), std::string("３"), std::string("满意"), std::string("不满意，路还是坑坑洼洼"),
        std::string("评价 ") + n + " 满意", std::string("评价 满意"), std::string("评价"), std::string("2 还行吧"),
        std::string("12"), std::string("今天天气不错，大家吃了吗"), std::string("我对村里的路很不满意"),
        std::string("满意度太低"), std::string("受理 ") + n, std::string("建议 村东头路灯坏了"), std::string(""),
        std::string("[CQ:at,qq=10000] 1"), n, std::string("一下子就修好了")}) {
    const bool may = may_be_resident_command(text, people);
    maybe += may;
    for (const auto& awaiting : lists) {
      command_context ctx{people, res, {}, awaiting};
      if (!may) EXPECT_EQ(parse(text, ctx).kind, command_kind::not_a_command) << text << " / " << awaiting.size();
    }
  }
  EXPECT_FALSE(may_be_resident_command("今天天气不错，大家吃了吗", people));
  EXPECT_TRUE(may_be_resident_command("1", people));
  EXPECT_TRUE(may_be_resident_command("评价 满意", people));
  EXPECT_GE(maybe, 6);
}

TEST(CommandParse, HelpDiffersByRoleAndRenders) {
  const auto& cat = shipped_catalogue();
  for (auto role : {actor_role::deputy, actor_role::admin, actor_role::department}) {
    auto lines = help_for(role);
    ASSERT_FALSE(lines.empty());
    auto r = cat.render(lines);
    ASSERT_TRUE(r.ok()) << r.detail;
    EXPECT_NE(r.text.find(role == actor_role::department ? "签收" : "交办"), std::string::npos) << r.text;
  }
}

TEST(CommandParse, EveryRefusalRenders) {
  const auto& cat = shipped_catalogue();
  for (auto e : {errc::invalid_config, errc::invalid_argument, errc::not_found, errc::not_authorised,
                 errc::invalid_transition, errc::reopen_limit, errc::already_exists, errc::stale_timer,
                 errc::no_candidate}) {
    auto msg = refusal(error{e, "x"}, N);
    auto r = cat.render(msg);
    EXPECT_TRUE(r.ok()) << msg.key;
    EXPECT_NE(r.text.find(N), std::string::npos) << msg.key;
  }
}

// The parsed action goes straight into apply(): a deputy's assignment from chat moves a case.
TEST(CommandParse, ParsedActionIsAcceptedByTheStateMachine) {
  const roster people = fixture_roster();
  working_calendar cal = test::make_calendar();
  deadline_table deadlines;
  workflow_context wctx{people, cal, deadlines};
  const std::int64_t now = local_to_unix(test::D(2026, 11, 24), 10);
  new_case in;
  in.number = "RN-20261124-0001";
  in.text = "村东头停水三天了";
  in.category = "water";
  in.village = "xiaozhai";
  in.reporter = party{"onebot", "900001", "u1", true};
  in.deputy = "D0003";
  auto opened = open_case(in, now, wctx);
  ASSERT_TRUE(opened.ok());
  auto p = parse("交办 水利局 5天", command_context{people, dep, {in.number}, {}});
  ASSERT_EQ(p.kind, C::action);
  auto t = apply(opened->after, p.act, now, wctx);
  ASSERT_TRUE(t.ok()) << t.err().message;
  EXPECT_EQ(t->after.state, case_state::assigned);
  EXPECT_EQ(t->after.department, "water");
  // Another deputy's identical command parses the same; apply() is what refuses it.
  auto other = parse("交办 RN-20261124-0001 水利局", command_context{people, actor{actor_role::deputy, "D0004"}, {}, {}});
  auto refused = apply(opened->after, other.act, now, wctx);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refusal(refused.err(), other.case_number).key, "cmd.refused.not_authorised");
}

}  // namespace
}  // namespace lianxin::workflow::commands
