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

namespace lianxin::test {
nlohmann::json fixture_config(const nlohmann::json& extra) {
  const auto fx = source_dir() + "/tests/fixtures/";
  nlohmann::json c = {{"tenant", {{"id", "rn"}, {"case_prefix", "RN"}}},
                      {"roster",
                       {{"file", fx + "roster.json"},
                        {"categories_file", source_dir() + "/config/demo/categories.json"},
                        {"groups_file", fx + "groups.json"},
                        {"holidays_file", source_dir() + "/config/holidays/cn.json"},
                        {"messages_file", source_dir() + "/config/messages.zh-CN.json"}}}};
  c.update(extra);
  return c;
}
}  // namespace lianxin::test
