#pragma once
// Builders for adapter inputs shared by the adapter unit tests.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http_io.hpp"

namespace lianxin::adapters::testing {

inline http_input make_input(std::string method, std::map<std::string, std::string> query,
                             std::string body, std::int64_t now,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
  http_input in;
  in.method = std::move(method);
  in.path = "/webhook/test/demo";
  in.query = std::move(query);
  in.body = std::move(body);
  in.now_unix = now;
  for (auto& [k, v] : headers) in.headers.set(k, v);
  return in;
}

}  // namespace lianxin::adapters::testing
