#pragma once
// Where the tests find the source tree and the built binary (set by CTest's environment).
#include <string>

namespace lianxin::test {
std::string source_dir();
std::string lianxin_binary();
}  // namespace lianxin::test

#include <nlohmann/json.hpp>

namespace lianxin::test {
// A config document for the test fixtures (tenant "rn", tests/fixtures roster and groups, the
// demo categories, the real calendar and message catalogue) with `extra` sections merged in.
nlohmann::json fixture_config(const nlohmann::json& extra = nlohmann::json::object());
}  // namespace lianxin::test
