#pragma once
// The `lianxin` command line: one binary, several subcommands.
#include <string>
#include <vector>

namespace lianxin::cli {

// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or invalid configuration.
int run(const std::vector<std::string>& args);

}  // namespace lianxin::cli
