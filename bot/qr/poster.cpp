#include "bot/qr/poster.hpp"

#include <algorithm>
#include <cstdio>

#include "bot/qr/xml_text.hpp"

namespace lianxin::qr {

std::optional<deputy_level> parse_deputy_level(std::string_view s) {
  constexpr std::string_view suffix = "人大代表";
  if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) s.remove_suffix(suffix.size());
  if (s == "province" || s == "省" || s == "省级") return deputy_level::province;
  if (s == "city" || s == "市" || s == "市级") return deputy_level::city;
  if (s == "county" || s == "县" || s == "县级" || s == "区") return deputy_level::county;
  if (s == "township" || s == "乡" || s == "镇" || s == "乡镇" || s == "乡级" || s == "镇级") return deputy_level::township;
  return std::nullopt;
}

const char* level_label(deputy_level l) {
  switch (l) {
    case deputy_level::province: return "省人大代表";
    case deputy_level::city: return "市人大代表";
    case deputy_level::county: return "县人大代表";
    case deputy_level::township: return "乡镇人大代表";
  }
  return "人大代表";
}

namespace {

// Debian's fonts-noto-cjk first (what the print shop's Linux box and our tests have), then
// the names the same faces go by on Windows, macOS and phones, then a generic fallback.
constexpr const char* kFontStack =
    "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei',"
    "'PingFang SC','Hiragino Sans GB',sans-serif";

constexpr const char* kRed = "#b3171d";  // the red of congress publications; prints well in CMYK
constexpr double kPageW = 210, kPageH = 297;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

struct text_style {
  double size;       // mm
  double max_width;  // mm; the size shrinks until the estimated width fits
  const char* fill = "#222";
  bool bold = false;
};

// One centred line; never wraps, shrinks instead (a very long station name must not run off
// the paper or under the QR code).
void line(std::string& s, double y, std::string_view text, const text_style& st) {
  if (text.empty()) return;
  const double em = std::max(text_width_em(text), 0.1);
  const double size = std::min(st.size, st.max_width / em);
  s += "<text x=\"" + num(kPageW / 2) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) + "\" fill=\"" + st.fill + "\"";
  if (st.bold) s += " font-weight=\"bold\"";
  s += ">" + xml_escape(text) + "</text>\n";
}

}  // namespace

result<std::string> poster_svg(const poster_input& in, const poster_options& opts) {
  if (!valid_url(in.url)) return make_error(errc::invalid_argument, "poster URL must be an absolute http(s) URL of plain ASCII");
  auto m = encode(in.url, {opts.level, 0});
  if (!m) return m.err();
  return poster_svg(in, *m, opts);
}

result<std::string> poster_svg(const poster_input& in, const matrix& qr, const poster_options& opts) {
  if (!valid_deputy_code(in.deputy_code))
    return make_error(errc::invalid_argument, "deputy code must be 1-32 letters, digits, '-' or '_'");
  if (!valid_url(in.url)) return make_error(errc::invalid_argument, "poster URL must be an absolute http(s) URL of plain ASCII");
  if (in.name.empty()) return make_error(errc::invalid_argument, "deputy " + in.deputy_code + " has no name");
  if (qr.size <= 0) return make_error(errc::invalid_argument, "empty QR matrix");

  // Names and places come from an admin-edited roster: cap them so a pasted paragraph still
  // yields a readable poster, then let `line` shrink what remains.
  const std::string name = truncate_chars(in.name, 16);
  const std::string station = in.station.empty() ? "" : "联络站：" + truncate_chars(in.station, 40);
  const std::string constituency = in.constituency.empty() ? "" : "选区：" + truncate_chars(in.constituency, 40);

  std::string s;
  s.reserve(16 * 1024 + static_cast<std::size_t>(qr.size) * qr.size * 2);
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"210mm\" height=\"297mm\" viewBox=\"0 0 210 297\">\n";
  s += "<title>" + xml_escape(opts.title) + " " + xml_escape(in.deputy_code) + "</title>\n";
  s += "<rect width=\"210\" height=\"297\" fill=\"#fff\"/>\n";
  s += "<g font-family=\"" + std::string(kFontStack) + "\" text-anchor=\"middle\">\n";

  // Header band: the title readable from across the room.
  s += "<rect width=\"210\" height=\"58\" fill=\"" + std::string(kRed) + "\"/>\n";
  line(s, 30, opts.title, {17, 180, "#fff", true});
  line(s, 46, opts.tagline, {7.5, 180, "#ffe7a3"});

  // Who the deputy is.
  line(s, 82, name, {19, 170, "#1a1a1a", true});
  line(s, 96, level_label(in.level), {8.5, 170, kRed, true});
  line(s, 108, station, {6.2, 176, "#333"});
  line(s, 117.5, constituency, {6.2, 176, "#333"});

  // The code: 112 mm including its quiet zone, large enough to scan from a metre or two.
  const double box = 112, x0 = (kPageW - box) / 2, y0 = 126;
  const int total = qr.size + 2 * kQuietZone;
  s += "<rect x=\"" + num(x0 - 3) + "\" y=\"" + num(y0 - 3) + "\" width=\"" + num(box + 6) + "\" height=\"" + num(box + 6) +
       "\" rx=\"3\" fill=\"#fff\" stroke=\"" + kRed + "\" stroke-width=\"0.8\"/>\n";
  s += "<g transform=\"translate(" + num(x0) + " " + num(y0) + ") scale(" + std::to_string(box / total) + ")\">";
  s += "<rect width=\"" + std::to_string(total) + "\" height=\"" + std::to_string(total) + "\" fill=\"#fff\"/>";
  s += "<path fill=\"#000\" shape-rendering=\"crispEdges\" d=\"" + svg_path_data(qr, kQuietZone) + "\"/></g>\n";

  // What to do with it.
  line(s, y0 + box + 17, opts.instruction, {11.5, 186, kRed, true});
  std::string ref = "代表编号 " + in.deputy_code;
  if (opts.show_url) ref += "  ·  " + in.url;
  line(s, y0 + box + 26, ref, {4.2, 180, "#555"});

  // Footer: privacy and help, in the plain words the intake dialogue uses.
  s += "<rect y=\"274\" width=\"210\" height=\"23\" fill=\"#f6f1e7\"/>\n";
  line(s, 281.5, "建议直接送到这位代表，您的联系方式只有代表和承办部门能看到，也可以匿名。", {4, 190, "#444"});
  line(s, 287.5, "紧急情况请拨打 110 / 119 / 120；不会扫码可请村委会帮忙。", {4, 190, "#444"});
  if (!in.issuer.empty()) line(s, 293.5, truncate_chars(in.issuer, 40) + " 印制", {3.4, 190, "#777"});
  s += "</g>\n</svg>\n";
  return s;
}

}  // namespace lianxin::qr
