#include "bot/qr/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace lianxin::qr {

const char* to_string(ec_level l) {
  switch (l) {
    case ec_level::low: return "L";
    case ec_level::medium: return "M";
    case ec_level::quartile: return "Q";
    case ec_level::high: return "H";
  }
  return "M";
}

std::optional<ec_level> parse_ec_level(std::string_view s) {
  if (s == "L" || s == "l" || s == "low") return ec_level::low;
  if (s == "M" || s == "m" || s == "medium") return ec_level::medium;
  if (s == "Q" || s == "q" || s == "quartile") return ec_level::quartile;
  if (s == "H" || s == "h" || s == "high") return ec_level::high;
  return std::nullopt;
}

namespace {

QRecLevel to_qrencode(ec_level l) {
  switch (l) {
    case ec_level::low: return QR_ECLEVEL_L;
    case ec_level::medium: return QR_ECLEVEL_M;
    case ec_level::quartile: return QR_ECLEVEL_Q;
    case ec_level::high: return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

struct qrcode_deleter {
  void operator()(QRcode* c) const { QRcode_free(c); }
};

}  // namespace

result<matrix> encode(std::string_view text, const encode_options& opts) {
  if (text.empty()) return make_error(errc::invalid_argument, "QR text is empty");
  if (text.find('\0') != std::string_view::npos) return make_error(errc::invalid_argument, "QR text contains a NUL byte");
  if (opts.min_version < 0 || opts.min_version > 40)
    return make_error(errc::invalid_argument, "QR version must be 0 (auto) or 1..40");
  // libqrencode wants a C string; the copy also guarantees termination for string_views.
  const std::string z(text);
  errno = 0;
  std::unique_ptr<QRcode, qrcode_deleter> code(
      QRcode_encodeString(z.c_str(), opts.min_version, to_qrencode(opts.level), QR_MODE_8, 1));
  if (!code) {
    if (errno == ERANGE)
      return make_error(errc::too_long, "text of " + std::to_string(text.size()) + " bytes does not fit in a QR code at level " +
                                            to_string(opts.level));
    if (errno == EINVAL) return make_error(errc::invalid_argument, "libqrencode rejected the input");
    return make_error(errc::encode_failed, "libqrencode failed (errno " + std::to_string(errno) + ")");
  }
  matrix m;
  m.size = code->width;
  m.version = code->version;
  m.level = opts.level;
  const auto n = static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size);
  m.modules.resize(n);
  // Bit 0 of each byte is the module colour; the other bits describe its role (finder,
  // timing, ...) and are of no use to a renderer.
  for (std::size_t i = 0; i < n; ++i) m.modules[i] = code->data[i] & 1;
  return m;
}

std::string svg_path_data(const matrix& m, int quiet_zone) {
  std::string d;
  d.reserve(static_cast<std::size_t>(m.size) * m.size * 2);
  // One subpath per horizontal run of dark modules: far fewer nodes than one square per
  // module, and no hairline seams between neighbours when a viewer anti-aliases.
  for (int y = 0; y < m.size; ++y) {
    int x = 0;
    while (x < m.size) {
      if (!m.dark(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < m.size && m.dark(x + run, y)) ++run;
      d += 'M';
      d += std::to_string(x + quiet_zone);
      d += ' ';
      d += std::to_string(y + quiet_zone);
      d += 'h';
      d += std::to_string(run);
      d += "v1h-";
      d += std::to_string(run);
      d += 'z';
      x += run;
    }
  }
  return d;
}

std::string to_svg(const matrix& m, const svg_options& opts) {
  const int qz = opts.quiet_zone < 0 ? 0 : opts.quiet_zone;
  const int total = m.size + 2 * qz;
  const int px = opts.size_px > 0 ? opts.size_px : total * 8;
  const std::string t = std::to_string(total), p = std::to_string(px);
  std::string s;
  s.reserve(512 + static_cast<std::size_t>(m.size) * m.size * 2);
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + p + "\" height=\"" + p + "\" viewBox=\"0 0 " + t +
       " " + t + "\" shape-rendering=\"crispEdges\">\n";
  s += "<rect width=\"" + t + "\" height=\"" + t + "\" fill=\"#fff\"/>\n";
  s += "<path fill=\"#000\" d=\"";
  s += svg_path_data(m, qz);
  s += "\"/>\n</svg>\n";
  return s;
}

bool valid_deputy_code(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool valid_url(std::string_view url) {
  if (url.size() > 1024) return false;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") rest = url.substr(7);
  else if (url.substr(0, 8) == "https://") rest = url.substr(8);
  else return false;
  if (rest.empty() || rest[0] == '/') return false;  // no host
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;  // controls, space, DEL, non-ASCII
    if (c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`' || c == '{' || c == '}' || c == '|' ||
        c == '^')
      return false;
  }
  return true;
}

result<std::string> deputy_url(std::string_view public_base_url, std::string_view deputy_code) {
  if (!valid_deputy_code(deputy_code))
    return make_error(errc::invalid_argument, "deputy code must be 1-32 letters, digits, '-' or '_'");
  std::string_view base = public_base_url;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  std::string url = std::string(base) + "/d/" + std::string(deputy_code);
  if (!valid_url(url))
    return make_error(errc::invalid_argument, "public base URL must be an absolute http(s) URL of plain ASCII: \"" +
                                                  std::string(public_base_url.substr(0, 80)) + "\"");
  return url;
}

}  // namespace lianxin::qr
