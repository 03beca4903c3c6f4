// The A4 poster and the `lianxin qr` batch command.
#include "bot/cli/qr_command.hpp"
#include "bot/qr/poster.hpp"
#include "bot/qr/progress.hpp"
#include "bot/qr/xml_text.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/paths.hpp"
#include "unit/bot/qr_support.hpp"

namespace lianxin::qr {
namespace {

namespace fs = std::filesystem;
using test::qr::temp_dir;
using test::qr::zbar_decode;

poster_input sample() {
  return {"D0123", "王秀兰", deputy_level::county, "“薯我好吃”代表联络站", "庙下镇小寨村", "https://lianxin.example.cn/d/D0123",
          "润南县人大常委会"};
}

TEST(QrPoster, HasEverythingAResidentNeeds) {
  auto svg = poster_svg(sample());
  ASSERT_TRUE(svg.ok()) << svg.err().message;
  for (const char* want : {"viewBox=\"0 0 210 297\"", "width=\"210mm\"", "人大代表联系码", "王秀兰", "县人大代表",
                           "联络站：“薯我好吃”代表联络站", "选区：庙下镇小寨村", "微信扫一扫，给代表提建议", "D0123",
                           "https://lianxin.example.cn/d/D0123", "Noto Sans CJK SC", "润南县人大常委会 印制"}) {
    EXPECT_NE(svg->find(want), std::string::npos) << want;
  }
  EXPECT_EQ(*svg, *poster_svg(sample())) << "stable output";
}

TEST(QrPoster, EscapesEveryRosterText) {
  auto in = sample();
  in.name = "<script>alert(1)</script>";
  in.station = "A & B \"站\" 'x'";
  in.constituency = std::string("村\x01\x7f") + "\xff" + "\n二组";
  in.issuer = "</svg><svg onload=alert(1)>";
  auto svg = poster_svg(in);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->find("<script"), std::string::npos);
  EXPECT_EQ(svg->find("<svg onload"), std::string::npos);
  EXPECT_NE(svg->find(">&lt;script&gt;alert(1…</text>"), std::string::npos) << "escaped, and cut to 16 characters";
  EXPECT_NE(svg->find("A &amp; B &quot;站&quot; &#39;x&#39;"), std::string::npos);
  EXPECT_NE(svg->find("村\uFFFD 二组"), std::string::npos) << "controls dropped, bad UTF-8 replaced";
}

TEST(QrPoster, RejectsCodesAndUrlsThatCouldInject) {
  auto in = sample();
  in.deputy_code = "D1\"/><script>";
  EXPECT_EQ(poster_svg(in).err().code, errc::invalid_argument);
  in = sample();
  in.url = "https://x.cn/d/D1\"><script>";
  EXPECT_EQ(poster_svg(in).err().code, errc::invalid_argument);
  in.url = "javascript:alert(1)";
  EXPECT_FALSE(poster_svg(in).ok());
  in = sample();
  in.name.clear();
  EXPECT_FALSE(poster_svg(in).ok());
}

TEST(QrPoster, LongTextShrinksAndIsCut) {
  auto in = sample();
  in.name.clear();
  for (int i = 0; i < 60; ++i) in.name += "长";
  auto svg = poster_svg(in);
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("长长长…"), std::string::npos);
  EXPECT_EQ(truncate_chars("一二三", 3), "一二三");
  EXPECT_EQ(truncate_chars("一二三四", 3), "一二…");
  EXPECT_DOUBLE_EQ(text_width_em("人大ab"), 2 + 2 * 0.55);
}

TEST(QrPoster, LevelsParseInEnglishAndChinese) {
  EXPECT_EQ(parse_deputy_level("province"), deputy_level::province);
  EXPECT_EQ(parse_deputy_level("市人大代表"), deputy_level::city);
  EXPECT_EQ(parse_deputy_level("县"), deputy_level::county);
  EXPECT_EQ(parse_deputy_level("乡镇"), deputy_level::township);
  EXPECT_FALSE(parse_deputy_level("村"));
  EXPECT_STREQ(level_label(deputy_level::township), "乡镇人大代表");
}

// The whole point: the printed poster scans to the deputy's page. Keeps a PNG of the page
// as a test artifact (qr-artifacts/ in the test's working directory) for a human to look at.
TEST(QrPoster, RenderedPosterScansToTheUrl) {
  LX_REQUIRE_ZBAR();
  LX_REQUIRE_RSVG();
  const fs::path art = fs::current_path() / "qr-artifacts";
  fs::create_directories(art);
  test::qr::write_bytes(art / "poster-D0123.svg", *poster_svg(sample()));
  test::qr::run("rsvg-convert -w 1240 '" + (art / "poster-D0123.svg").string() + "' -o '" + (art / "poster-D0123.png").string() +
                "' 2>/dev/null");
  EXPECT_EQ(zbar_decode(art / "poster-D0123.png"), "https://lianxin.example.cn/d/D0123");
}

TEST(QrProgress, DrawsABarWithCountAndRate) {
  std::FILE* sink = std::tmpfile();
  progress p(1194, "posters", sink, 1);
  p.tick(600);
  const std::string bar = p.render();
  EXPECT_EQ(bar.rfind("[###############...............] 600/1194 posters  ", 0), 0u) << bar;
  EXPECT_EQ(bar.substr(bar.size() - 2), "/s");
  p.finish();
  std::fclose(sink);
}

// --- lianxin qr --------------------------------------------------------------------------

const char* kRoster = R"([
  {"code": "D0001", "name": "王秀兰", "level": "county", "station": "小寨村代表联络站", "constituency": "小寨村"},
  {"code": "D0002", "name": "李建国", "level": "乡镇", "station": "庙下镇联络站"}
])";

struct cli_fixture {
  temp_dir dir;
  fs::path config, roster, out;
  cli_fixture(const std::string& config_json = R"({"server": {"public_base_url": "https://lx.example.cn/"}})") {
    config = dir.path() / "lianxin.json";
    roster = dir.path() / "roster.json";
    out = dir.path() / "out";
    test::qr::write_bytes(config, config_json);
    test::qr::write_bytes(roster, kRoster);
  }
  int run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--config", config.string(), "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli::cmd_qr(args);
  }
};

TEST(QrCommand, WritesAllThreeFilesForEveryDeputy) {
  cli_fixture f;
  ASSERT_EQ(f.run({"--roster", f.roster.string(), "--all"}), 0);
  for (const char* code : {"D0001", "D0002"}) {
    for (const char* suffix : {".png", ".svg", "-poster.svg"}) EXPECT_TRUE(fs::exists(f.out / (std::string(code) + suffix)));
  }
  EXPECT_NE(test::qr::read_bytes(f.out / "D0002-poster.svg").find("乡镇人大代表"), std::string::npos);
  LX_REQUIRE_ZBAR();
  EXPECT_EQ(zbar_decode(f.out / "D0001.png"), "https://lx.example.cn/d/D0001");
}

TEST(QrCommand, ReadsTheRosterFromTheConfigAndResolvesStationIds) {
  cli_fixture f(R"({"server": {"public_base_url": "https://lx.example.cn"}, "roster": {
    "stations": [{"id": "shuwo", "name": "“薯我好吃”代表联络站"}],
    "villages": [{"id": "xz", "name": "小寨村"}],
    "deputies": [{"code": "D0009", "name": "赵敏", "level": "province", "station": "shuwo", "village": "xz"}]}})");
  ASSERT_EQ(f.run({"--deputy", "D0009", "--ec", "H", "--scale", "3", "--depth", "8"}), 0);
  const std::string poster = test::qr::read_bytes(f.out / "D0009-poster.svg");
  EXPECT_NE(poster.find("联络站：“薯我好吃”代表联络站"), std::string::npos);
  EXPECT_NE(poster.find("选区：小寨村"), std::string::npos);
  EXPECT_NE(poster.find("省人大代表"), std::string::npos);
  EXPECT_FALSE(fs::exists(f.out / "D0001.png"));
}

TEST(QrCommand, ReadsTheDemoRosterFileNamedByTheConfig) {
  temp_dir dir;
  const auto cfg = fs::path(test::source_dir()) / "config/demo/lianxin.json";
  ASSERT_EQ(cli::cmd_qr({"--config", cfg.string(), "--deputy", "D0001,D1194", "--base-url", "https://lx.example.cn", "--out",
                         dir.path().string()}),
            0);
  EXPECT_TRUE(fs::exists(dir.path() / "D1194-poster.svg"));
  EXPECT_NE(test::qr::read_bytes(dir.path() / "D0001-poster.svg").find("联络站：薯业链代表联络站"), std::string::npos);
}

TEST(QrCommand, UsageAndConfigErrorsExitTwo) {
  cli_fixture f;
  const std::string r = f.roster.string();
  EXPECT_EQ(f.run({"--roster", r}), 2) << "neither --deputy nor --all";
  EXPECT_EQ(f.run({"--roster", r, "--all", "--deputy", "D0001"}), 2);
  EXPECT_EQ(f.run({"--roster", r, "--deputy", "D9999"}), 2);
  EXPECT_EQ(f.run({"--roster", r, "--all", "--ec", "Z"}), 2);
  EXPECT_EQ(f.run({"--roster", r, "--all", "--scale", "0"}), 2);
  EXPECT_EQ(f.run({"--roster", r, "--all", "--bogus", "1"}), 2);
  EXPECT_EQ(f.run({"--all"}), 2) << "no roster anywhere";
  EXPECT_EQ(cli::cmd_qr({"--all", "--out", f.out.string()}), 2) << "no --config";
  cli_fixture no_base(R"({"server": {}})");
  EXPECT_EQ(no_base.run({"--roster", no_base.roster.string(), "--all"}), 2);
  EXPECT_EQ(no_base.run({"--roster", no_base.roster.string(), "--all", "--base-url", "https://x.cn"}), 0);
  test::qr::write_bytes(f.roster, R"([{"code": "D1\"><x", "name": "x"}])");
  EXPECT_EQ(f.run({"--roster", r, "--all"}), 2);
  EXPECT_FALSE(fs::exists(f.out / "D0001.png"));
}

TEST(QrCommand, RosterErrorsNameTheJsonPath) {
  auto j = nlohmann::json::parse(R"({"deputies": [{"code": "D1", "name": "甲"}, {"code": "D2", "name": "乙", "level": "村"}]})");
  auto r = cli::deputies_from_json(j, "https://x.cn", "roster.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().message.rfind("roster.json: deputies[1].level: ", 0), 0u) << r.err().message;
  j = nlohmann::json::parse(R"([{"code": "D1", "name": "甲"}, {"code": "D1", "name": "乙"}])");
  EXPECT_NE(cli::deputies_from_json(j, "https://x.cn", "r").err().message.find("duplicate"), std::string::npos);
}

}  // namespace
}  // namespace lianxin::qr
