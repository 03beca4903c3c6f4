#pragma once
// `lianxin token create|list|revoke`: API tokens in the configured Redis (issue 7).
#include <string>
#include <vector>

namespace lianxin::cli {

inline constexpr const char* kTokenUsage =
    "usage: lianxin token create --role ROLE [--scope ID] [--label TEXT] [--config FILE] [--redis URL]\n"
    "       lianxin token list   [--config FILE] [--redis URL]\n"
    "       lianxin token revoke ID [--config FILE] [--redis URL]\n"
    "\n"
    "Roles: admin, viewer (no scope); station (--scope station id), deputy (--scope deputy\n"
    "code), department (--scope department id). The token is printed once, as the last word of\n"
    "the output, and stored only as its SHA-256. With no Redis configured, the embedded one in\n"
    "the config's data directory is used (started for the command if `lianxin serve` is not\n"
    "running). Exit 0 ok, 1 Redis unavailable or unknown id, 2 usage or configuration error.\n";

int cmd_token(const std::vector<std::string>& args);

}  // namespace lianxin::cli
