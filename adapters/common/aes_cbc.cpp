#include "adapters/common/aes_cbc.hpp"

#include <openssl/evp.h>

#include <memory>

namespace lianxin::adapters::common {
namespace {

struct ctx_deleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

std::optional<std::string> run(bool encrypt, std::string_view key, std::string_view iv,
                               std::string_view in) {
  if (key.size() != 32 || iv.size() != 16) return std::nullopt;
  if (in.empty() || in.size() % 16 != 0) return std::nullopt;
  std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return std::nullopt;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, v, encrypt ? 1 : 0) != 1) {
    return std::nullopt;
  }
  // Padding is ours: OpenSSL's would pad to 16 and hide bad pad bytes behind a generic error.
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(in.size(), '\0');
  int len = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_CipherUpdate(ctx.get(), o, &len, reinterpret_cast<const unsigned char*>(in.data()),
                       static_cast<int>(in.size())) != 1) {
    return std::nullopt;
  }
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx.get(), o + len, &tail) != 1) return std::nullopt;
  out.resize(static_cast<std::size_t>(len + tail));
  return out;
}

}  // namespace

std::optional<std::string> aes256_cbc_encrypt(std::string_view key, std::string_view iv,
                                              std::string_view plaintext) {
  return run(true, key, iv, plaintext);
}

std::optional<std::string> aes256_cbc_decrypt(std::string_view key, std::string_view iv,
                                              std::string_view ciphertext) {
  return run(false, key, iv, ciphertext);
}

std::string pkcs7_pad(std::string_view data, std::size_t block) {
  const std::size_t pad = block - data.size() % block;
  std::string out(data);
  out.append(pad, static_cast<char>(pad));
  return out;
}

std::optional<std::string_view> pkcs7_unpad(std::string_view data, std::size_t block) {
  if (data.empty()) return std::nullopt;
  const std::size_t pad = static_cast<unsigned char>(data.back());
  if (pad == 0 || pad > block || pad > data.size()) return std::nullopt;
  unsigned char diff = 0;
  for (std::size_t i = data.size() - pad; i < data.size(); ++i) {
    diff |= static_cast<unsigned char>(data[i]) ^ static_cast<unsigned char>(pad);
  }
  if (diff != 0) return std::nullopt;
  return data.substr(0, data.size() - pad);
}

}  // namespace lianxin::adapters::common
