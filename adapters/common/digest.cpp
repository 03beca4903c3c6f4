#include "adapters/common/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "adapters/common/codec.hpp"

#include <cstring>
#include <initializer_list>
#include <stdexcept>

namespace lianxin::adapters::common {
namespace {

// OpenSSL 3's one-shot HMAC() and SHA1() look their algorithm up by name on every call
// (EVP_Q_mac, EVP_Q_digest); on the webhook path, where every OneBot event is signed, that
// lookup cost more than the hashing itself. The digests are fetched once, each thread reuses
// one context, and HMAC is built on them as RFC 2104 defines it.
const EVP_MD* fetched(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (!md) throw std::runtime_error(std::string("OpenSSL has no ") + name);
  return md;  // kept for the life of the process
}
const EVP_MD* md_sha1() {
  static const EVP_MD* md = fetched("SHA1");
  return md;
}
const EVP_MD* md_sha256() {
  static const EVP_MD* md = fetched("SHA256");
  return md;
}

struct md_ctx {
  EVP_MD_CTX* p = EVP_MD_CTX_new();
  ~md_ctx() { EVP_MD_CTX_free(p); }
};

// digest of the concatenation of the parts; returns its length
unsigned int digest(const EVP_MD* md, std::initializer_list<std::string_view> parts, unsigned char* out) {
  thread_local md_ctx ctx;
  unsigned int len = 0;
  if (!ctx.p || EVP_DigestInit_ex2(ctx.p, md, nullptr) != 1) throw std::runtime_error("digest init failed");
  for (auto part : parts) {
    if (!part.empty() && EVP_DigestUpdate(ctx.p, part.data(), part.size()) != 1) {
      throw std::runtime_error("digest update failed");
    }
  }
  if (EVP_DigestFinal_ex(ctx.p, out, &len) != 1) throw std::runtime_error("digest final failed");
  return len;
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  constexpr std::size_t kMaxBlock = 128;
  const auto block = static_cast<std::size_t>(EVP_MD_get_block_size(md));
  if (block == 0 || block > kMaxBlock) throw std::runtime_error("unexpected digest block size");
  unsigned char k[kMaxBlock] = {};
  if (key.size() > block) {
    digest(md, {key}, k);  // a long key is hashed first
  } else if (!key.empty()) {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char pad[kMaxBlock];
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned char out[EVP_MAX_MD_SIZE];
  auto as_view = [](const unsigned char* b, std::size_t n) { return std::string_view(reinterpret_cast<const char*>(b), n); };
  for (std::size_t i = 0; i < block; ++i) pad[i] = k[i] ^ 0x36;
  unsigned int inner_len = digest(md, {as_view(pad, block), data}, inner);
  for (std::size_t i = 0; i < block; ++i) pad[i] = k[i] ^ 0x5c;
  unsigned int len = digest(md, {as_view(pad, block), as_view(inner, inner_len)}, out);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(pad, sizeof pad);
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

std::string sha1(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  auto len = digest(md_sha1(), {data}, out);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  auto len = digest(md_sha256(), {data}, out);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string sha1_hex(std::string_view data) { return hex_encode(sha1(data)); }

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

std::string hmac_sha1(std::string_view key, std::string_view data) {
  return hmac(md_sha1(), key, data);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  return hmac(md_sha256(), key, data);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace lianxin::adapters::common
