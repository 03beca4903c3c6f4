#pragma once
// Where the tests find the source tree and the built binary (set by CTest's environment).
#include <string>

namespace lianxin::test {
std::string source_dir();
std::string lianxin_binary();
}  // namespace lianxin::test
