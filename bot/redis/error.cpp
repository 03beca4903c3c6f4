#include "bot/redis/error.hpp"

namespace lianxin::redis {

namespace {
class category_impl : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "redis"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::unavailable: return "redis unavailable";
      case errc::timeout: return "redis timeout";
      case errc::disconnected: return "redis disconnected";
      case errc::protocol: return "redis protocol error";
      case errc::stopped: return "redis client stopped";
      case errc::handshake: return "redis handshake failed";
    }
    return "redis error";
  }
};
}  // namespace

const boost::system::error_category& category() {
  static const category_impl instance;
  return instance;
}

std::string reply::error_message() const {
  if (ec) return detail.empty() ? ec.message() : ec.message() + ": " + detail;
  if (v.is_error()) return v.text();
  return {};
}

}  // namespace lianxin::redis
