#pragma once
// Every Redis key starts with the configured prefix and carries the tenant in a hash tag, so
// one county lives in one Redis Cluster slot and multi-key scripts stay legal:
//   lx:{rn}:case:RN-20261128-0042
// The full schema (key, type, TTL, writer) is in README.md; keep it true to this file.
#include <string>
#include <string_view>

namespace lianxin::store {

class keys {
 public:
  keys(std::string prefix, std::string tenant)
      : base_(std::move(prefix) + ":{" + std::move(tenant) + "}:") {}

  // "lx:{rn}:" + parts joined by ':'
  template <class... Parts>
  std::string make(const Parts&... parts) const {
    std::string k = base_;
    bool first = true;
    ((k += (first ? "" : ":"), k += std::string_view(parts), first = false), ...);
    return k;
  }
  const std::string& base() const { return base_; }

 private:
  std::string base_;
};

}  // namespace lianxin::store
