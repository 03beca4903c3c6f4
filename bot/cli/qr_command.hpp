#pragma once
// `lianxin qr`: writes every deputy's QR code (PNG, SVG) and printable poster to a folder.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bot/qr/poster.hpp"
#include "bot/qr/result.hpp"

namespace lianxin::cli {

inline constexpr const char* kQrUsage =
    "usage: lianxin qr --config FILE (--deputy CODE[,CODE...] | --all) --out DIR\n"
    "                  [--roster FILE] [--base-url URL] [--ec L|M|Q|H] [--scale N] [--depth 1|8]\n"
    "\n"
    "Writes CODE.png, CODE.svg and CODE-poster.svg (A4) for each deputy into DIR. The code\n"
    "encodes {server.public_base_url}/d/{CODE}. Deputies come from --roster FILE (a JSON array\n"
    "of {code, name, level, station, constituency}, or a roster object with \"deputies\",\n"
    "\"stations\" and \"villages\"), else from the config's roster.file or roster.deputies.\n"
    "--ec is the error-correction level (default M), --scale the PNG pixels per module\n"
    "(default 8), --depth the PNG bit depth (default 1). Exit 0 ok, 1 write failure, 2 usage\n"
    "or configuration error.\n";

// args exclude the subcommand name itself.
int cmd_qr(const std::vector<std::string>& args);

// Reads deputies from a roster document: a flat array, or an object with "deputies" whose
// station and village ids are resolved to names through its "stations" and "villages".
// `public_base_url` builds each deputy's URL. Errors name the JSON path.
qr::result<std::vector<qr::poster_input>> deputies_from_json(const nlohmann::json& j, const std::string& public_base_url,
                                                             const std::string& where);

}  // namespace lianxin::cli
