#pragma once
// The printable A4 poster a village committee puts on its notice board: who the deputy is,
// the deputy's QR code, and one plain line telling residents what to do with it. SVG in
// millimetres, so it prints at true size from a browser or any SVG tool.
#include <optional>
#include <string>
#include <string_view>

#include "bot/qr/qr.hpp"
#include "bot/qr/result.hpp"

namespace lianxin::qr {

// The four levels of people's congress a deputy may sit in. Mirrors workflow's deputy_level
// on purpose rather than including it: the poster needs the label, not the domain.
enum class deputy_level { province, city, county, township };
// Accepts "province|city|county|township" and the Chinese 省 / 市 / 县 / 乡 / 镇 / 乡镇 forms,
// with or without "人大代表" after them.
std::optional<deputy_level> parse_deputy_level(std::string_view s);
// "省人大代表", "市人大代表", "县人大代表", "乡镇人大代表".
const char* level_label(deputy_level l);

// Everything printed on one poster, already resolved to display names.
struct poster_input {
  std::string deputy_code;   // "D0123"; validated
  std::string name;          // "王秀兰"; required
  deputy_level level = deputy_level::township;
  std::string station;       // liaison station name, may be empty
  std::string constituency;  // 选区 / village, may be empty
  std::string url;           // `{public_base_url}/d/{deputy_code}`; validated
  std::string issuer;        // footer, e.g. "润南县人大常委会"; may be empty
};

struct poster_options {
  ec_level level = ec_level::medium;
  std::string title = "人大代表联系码";
  std::string tagline = "码上提 · 码上集 · 码上办";
  std::string instruction = "微信扫一扫，给代表提建议";
  bool show_url = true;  // print the URL under the code for those who type it in
};

// Validates the input, encodes the URL and lays out the poster.
result<std::string> poster_svg(const poster_input& in, const poster_options& opts = {});
// The same with a code already encoded (the batch command encodes once for PNG, SVG and
// poster). The matrix must encode `in.url`; this is not re-checked.
result<std::string> poster_svg(const poster_input& in, const matrix& qr, const poster_options& opts = {});

}  // namespace lianxin::qr
