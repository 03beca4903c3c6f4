#include "bot/redis/script.hpp"

#include <openssl/evp.h>

namespace lianxin::redis {

script::script(std::string lua) : source_(std::move(lua)) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(source_.data(), source_.size(), md, &len, EVP_sha1(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  sha1_.reserve(2 * len);
  for (unsigned i = 0; i < len; ++i) {
    sha1_ += hex[md[i] >> 4];
    sha1_ += hex[md[i] & 15];
  }
}

}  // namespace lianxin::redis
