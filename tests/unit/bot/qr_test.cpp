// QR codes: the matrix, its SVG and PNG renderings, and proof that they scan to the URL.
#include "bot/qr/png.hpp"
#include "bot/qr/qr.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <vector>

#include "unit/bot/qr_support.hpp"

namespace lianxin::qr {
namespace {

using test::qr::temp_dir;
using test::qr::zbar_decode;

const std::string kUrl = "https://lianxin.example.cn/d/D0123";

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

struct png_chunk {
  std::string type, data;
  bool crc_ok;
};

std::vector<png_chunk> chunks(const std::string& png) {
  std::vector<png_chunk> out;
  for (std::size_t i = 8; i + 12 <= png.size();) {
    const std::uint32_t n = be32(png, i);
    if (i + 12 + n > png.size()) break;
    png_chunk c{png.substr(i + 4, 4), png.substr(i + 8, n), false};
    c.crc_ok = crc32(png.substr(i + 4, 4 + n)) == be32(png, i + 8 + n);
    out.push_back(c);
    i += 12 + n;
  }
  return out;
}

// The two error-correction bits of the format information, read from the copy beside the
// top-left finder (ISO/IEC 18004 7.9; unmasked with 101010000010010): L=01 M=00 Q=11 H=10.
ec_level level_in_matrix(const matrix& m) {
  const int b14 = m.dark(0, 8) ? 1 : 0, b13 = m.dark(1, 8) ? 1 : 0;
  const int bits = ((b14 ^ 1) << 1) | b13;
  switch (bits) {
    case 1: return ec_level::low;
    case 0: return ec_level::medium;
    case 3: return ec_level::quartile;
    default: return ec_level::high;
  }
}

TEST(QrEncode, SizesAreStableForAFixedInput) {
  auto m = encode(kUrl);
  ASSERT_TRUE(m.ok()) << m.err().message;
  EXPECT_EQ(m->version, 3);
  EXPECT_EQ(m->size, 29);
  EXPECT_EQ(m->modules.size(), 29u * 29u);
  auto again = encode(kUrl);
  EXPECT_EQ(again->modules, m->modules);
  // Byte-for-byte the same files each run, so reprints and caches never drift.
  EXPECT_EQ(to_svg(*m), to_svg(*again));
  EXPECT_EQ(*to_png(*m), *to_png(*again));
  EXPECT_EQ(to_png(*m)->size(), 805u);
  EXPECT_EQ(to_png(*m, {8, 4, png_depth::gray8})->size(), 1785u);
}

TEST(QrEncode, ErrorCorrectionLevelsAreHonoured) {
  int previous_version = 0;
  for (auto l : {ec_level::low, ec_level::medium, ec_level::quartile, ec_level::high}) {
    auto m = encode(kUrl, {l, 0});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->level, l);
    EXPECT_EQ(level_in_matrix(*m), l) << to_string(l);
    EXPECT_GE(m->version, previous_version) << "more redundancy never makes a smaller code";
    previous_version = m->version;
  }
  EXPECT_EQ(encode(kUrl, {ec_level::high, 0})->version, 4);
  EXPECT_EQ(encode(kUrl, {ec_level::low, 10})->version, 10);
}

TEST(QrEncode, ParsesLevelNames) {
  EXPECT_EQ(parse_ec_level("q"), ec_level::quartile);
  EXPECT_EQ(parse_ec_level("H"), ec_level::high);
  EXPECT_EQ(parse_ec_level("low"), ec_level::low);
  EXPECT_FALSE(parse_ec_level("X"));
  EXPECT_STREQ(to_string(ec_level::medium), "M");
}

TEST(QrEncode, RejectsWhatCannotBeEncoded) {
  EXPECT_EQ(encode("").err().code, errc::invalid_argument);
  EXPECT_EQ(encode(std::string("a\0b", 3)).err().code, errc::invalid_argument);
  EXPECT_EQ(encode(std::string(3000, 'x'), {ec_level::high, 0}).err().code, errc::too_long);
  EXPECT_EQ(encode(kUrl, {ec_level::medium, 41}).err().code, errc::invalid_argument);
}

TEST(QrEncode, DeputyUrlsAndCodesAreValidated) {
  EXPECT_EQ(*deputy_url("https://lx.example.cn/", "D0123"), "https://lx.example.cn/d/D0123");
  EXPECT_EQ(*deputy_url("http://10.0.0.2:8080", "d-7_x"), "http://10.0.0.2:8080/d/d-7_x");
  EXPECT_FALSE(deputy_url("https://lx.example.cn", "D01\"><script>").ok());
  EXPECT_FALSE(deputy_url("https://lx.example.cn", "").ok());
  EXPECT_FALSE(deputy_url("javascript:alert(1)//", "D1").ok());
  EXPECT_FALSE(deputy_url("https://lx.example.cn/\"onload=\"x", "D1").ok());
  EXPECT_FALSE(deputy_url("https://例子.cn", "D1").ok()) << "IDN hosts must be given in punycode";
  EXPECT_FALSE(deputy_url("https:///path", "D1").ok());
  EXPECT_FALSE(valid_deputy_code(std::string(33, 'D')));
}

TEST(QrPng, IsWellFormed) {
  auto m = encode(kUrl);
  for (auto depth : {png_depth::bit1, png_depth::gray8}) {
    auto png = to_png(*m, {5, 4, depth});
    ASSERT_TRUE(png.ok());
    ASSERT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    auto cs = chunks(*png);
    ASSERT_EQ(cs.size(), 3u);
    EXPECT_EQ(cs[0].type, "IHDR");
    EXPECT_EQ(cs[1].type, "IDAT");
    EXPECT_EQ(cs[2].type, "IEND");
    for (const auto& c : cs) EXPECT_TRUE(c.crc_ok) << c.type;
    ASSERT_EQ(cs[0].data.size(), 13u);
    EXPECT_EQ(be32(cs[0].data, 0), (29u + 8u) * 5u);  // quiet zone kept on both sides
    EXPECT_EQ(be32(cs[0].data, 4), (29u + 8u) * 5u);
    EXPECT_EQ(cs[0].data[8], depth == png_depth::bit1 ? 1 : 8);
    EXPECT_EQ(cs[0].data.substr(9), std::string(4, '\0'));  // grayscale, deflate, no filter, no interlace
    EXPECT_EQ(cs[1].data.substr(0, 2), "\x78\x01");
    EXPECT_TRUE(cs[2].data.empty());
  }
  EXPECT_FALSE(to_png(*m, {0, 4, png_depth::bit1}).ok());
  EXPECT_FALSE(to_png(*m, {65, 4, png_depth::bit1}).ok());
}

TEST(QrPng, ChecksumsMatchTheirStandards) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);  // the CRC-32 check value
  EXPECT_EQ(adler32("Wikipedia"), 0x11E60398u);
  const std::string z = zlib_compress("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_LT(z.size(), 16u) << "runs become matches";
  EXPECT_EQ(be32(z, z.size() - 4), adler32("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

TEST(QrPng, DecodesToTheUrlAtEveryLevelAndDepth) {
  LX_REQUIRE_ZBAR();
  temp_dir dir;
  for (auto l : {ec_level::low, ec_level::medium, ec_level::quartile, ec_level::high}) {
    for (auto depth : {png_depth::bit1, png_depth::gray8}) {
      auto m = encode(kUrl, {l, 0});
      auto png = to_png(*m, {depth == png_depth::bit1 ? 4 : 3, 4, depth});
      const auto file = dir.path() / (std::string(to_string(l)) + ".png");
      test::qr::write_bytes(file, *png);
      EXPECT_EQ(zbar_decode(file), kUrl) << to_string(l) << (depth == png_depth::bit1 ? " 1-bit" : " 8-bit");
    }
  }
  // A long URL with a query string, to exercise a larger version and longer matches.
  const std::string long_url = "https://lianxin.example.cn/d/D0123?src=poster&village=xiaozhai&t=" + std::string(120, '7');
  auto m = encode(long_url, {ec_level::high, 0});
  test::qr::write_bytes(dir.path() / "long.png", *to_png(*m, {3, 4, png_depth::bit1}));
  EXPECT_EQ(zbar_decode(dir.path() / "long.png"), long_url);
}

TEST(QrSvg, IsWellFormedWithOnePathAndTheQuietZone) {
  auto m = encode(kUrl);
  const std::string svg = to_svg(*m, {4, 300});
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_NE(svg.find("viewBox=\"0 0 37 37\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"300\" height=\"300\""), std::string::npos);
  EXPECT_NE(svg.find("shape-rendering=\"crispEdges\""), std::string::npos);
  // Tags balance: every opened element is closed, in order, and there is one root.
  std::regex tag("<(/?)([a-zA-Z]+)[^>]*?(/?)>");
  std::vector<std::string> stack;
  int roots = 0, paths = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator(); ++it) {
    const auto& t = *it;
    if (t[2] == "path") ++paths;
    if (t[1] == "/") {
      ASSERT_FALSE(stack.empty());
      EXPECT_EQ(stack.back(), t[2]);
      stack.pop_back();
    } else if (t[3] != "/") {
      if (stack.empty()) ++roots;
      stack.push_back(t[2]);
    }
  }
  EXPECT_TRUE(stack.empty());
  EXPECT_EQ(roots, 1);
  EXPECT_EQ(paths, 1);
  // The top-left finder's first row: 7 dark modules starting at the quiet-zone corner.
  EXPECT_NE(svg.find("d=\"M4 4h7v1h-7z"), std::string::npos);
  EXPECT_EQ(svg_path_data(*m, 0).rfind("M0 0h7v1h-7z", 0), 0u);
}

TEST(QrSvg, RendersAndDecodesToTheUrl) {
  LX_REQUIRE_ZBAR();
  LX_REQUIRE_RSVG();
  temp_dir dir;
  test::qr::write_bytes(dir.path() / "qr.svg", to_svg(*encode(kUrl), {4, 370}));
  test::qr::run("rsvg-convert '" + (dir.path() / "qr.svg").string() + "' -o '" + (dir.path() / "qr.png").string() + "' 2>/dev/null");
  EXPECT_EQ(zbar_decode(dir.path() / "qr.png"), kUrl);
}

}  // namespace
}  // namespace lianxin::qr
