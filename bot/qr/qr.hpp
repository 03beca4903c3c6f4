#pragma once
// Deputies' QR codes ("码上提"): a URL encoded with libqrencode into a module matrix, and that
// matrix rendered as SVG or PNG. Pure functions returning bytes, so the batch command and an
// HTTP route (`/api/v1/deputies/{code}/qr.svg|qr.png`) produce identical output.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/qr/result.hpp"

namespace lianxin::qr {

// Error-correction level. M (15 % of the code may be damaged) is the default: posters get
// scuffed and rained on, but H makes the code denser and harder to scan from a distance.
enum class ec_level { low, medium, quartile, high };
const char* to_string(ec_level l);  // "L" | "M" | "Q" | "H"
// Accepts L/M/Q/H in either case and the long names (low, medium, quartile, high).
std::optional<ec_level> parse_ec_level(std::string_view s);

// The symbol without its quiet zone: `size` modules a side, row-major, true = dark.
struct matrix {
  int size = 0;
  int version = 0;  // 1..40
  ec_level level = ec_level::medium;
  std::vector<std::uint8_t> modules;

  bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y) * size + x] != 0; }
};

struct encode_options {
  ec_level level = ec_level::medium;
  // 0 picks the smallest version that fits; a fixed minimum keeps every deputy's code the
  // same size on a batch of posters.
  int min_version = 0;
};

// Encodes `text` byte for byte (8-bit mode, case-sensitive). Rejects empty text, NUL bytes
// and text too long for version 40 at the chosen level.
result<matrix> encode(std::string_view text, const encode_options& opts = {});

// The quiet zone is the white margin scanners need to find the code; 4 modules is the
// standard's minimum, so it is the default and the renderers never go below it by accident.
inline constexpr int kQuietZone = 4;

struct svg_options {
  int quiet_zone = kQuietZone;
  int size_px = 0;  // width and height attributes; 0 = 8 px per module
};

// A standalone SVG document: a white background and one <path> of merged horizontal runs,
// drawn in module units with crispEdges so it stays sharp at any size.
std::string to_svg(const matrix& m, const svg_options& opts = {});

// Just the path data ("M4 4h7v1h-7z..."), in module units with the quiet zone already added
// to the coordinates, for embedding in a larger drawing such as the poster.
std::string svg_path_data(const matrix& m, int quiet_zone = kQuietZone);

// Deputy codes are short ASCII identifiers ("D0123"): letters, digits, '-' and '_', 1-32
// characters. They end up in file names, URLs and SVG, so nothing else is allowed.
bool valid_deputy_code(std::string_view code);

// An absolute http(s) URL of printable ASCII without spaces, quotes or angle brackets, at most
// 1024 bytes: safe to place in a QR code, an SVG attribute and a log line.
bool valid_url(std::string_view url);

// `{public_base_url}/d/{deputy_code}`, tolerating a trailing slash on the base.
result<std::string> deputy_url(std::string_view public_base_url, std::string_view deputy_code);

}  // namespace lianxin::qr
