#include "adapters/common/ed25519.hpp"

#include <openssl/evp.h>

#include <memory>

namespace lianxin::adapters::common {
namespace {

struct pkey_deleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

pkey_ptr private_key(std::string_view seed) {
  if (seed.size() != 32) return nullptr;
  return pkey_ptr(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(seed), 32));
}

}  // namespace

std::optional<std::string> ed25519_public_key(std::string_view seed) {
  auto key = private_key(seed);
  if (!key) return std::nullopt;
  std::string out(32, '\0');
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != 32) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> ed25519_sign(std::string_view seed, std::string_view message) {
  auto key = private_key(seed);
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!key || !ctx) return std::nullopt;
  // Ed25519 is a one-shot scheme: no digest is configured, the message is signed whole.
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return std::nullopt;
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     bytes(message), message.size()) != 1 ||
      len != 64) {
    return std::nullopt;
  }
  return sig;
}

bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature) {
  if (public_key.size() != 32 || signature.size() != 64) return false;
  pkey_ptr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(public_key), 32));
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!key || !ctx) return false;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(message),
                          message.size()) == 1;
}

}  // namespace lianxin::adapters::common
