#include "support/paths.hpp"

#include <cstdlib>

namespace lianxin::test {
std::string source_dir() {
  const char* v = std::getenv("LIANXIN_SOURCE_DIR");
  return v ? v : LIANXIN_TEST_SOURCE_DIR;
}
std::string lianxin_binary() {
  const char* v = std::getenv("LIANXIN_BINARY");
  return v ? v : LIANXIN_TEST_BINARY;
}
}  // namespace lianxin::test
