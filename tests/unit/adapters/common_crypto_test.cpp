// Codecs, digests, AES/PKCS#7 and Ed25519 building blocks.
#include <gtest/gtest.h>

#include "adapters/common/aes_cbc.hpp"
#include "adapters/common/codec.hpp"
#include "adapters/common/digest.hpp"
#include "adapters/common/ed25519.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace c = lianxin::adapters::common;

TEST(Codec, HexRoundTripAndRejects) {
  EXPECT_EQ(c::hex_encode(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(c::hex_decode("00FF10"), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(c::hex_decode("abc"));
  EXPECT_FALSE(c::hex_decode("zz"));
  EXPECT_FALSE(c::hex_decode_lower("AB"));
  EXPECT_EQ(c::hex_decode_lower("ab"), std::string("\xab"));
}

TEST(Codec, Base64Strict) {
  EXPECT_EQ(c::base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(c::base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(c::base64_decode(""), "");
  for (const char* bad : {"aGVsbG8", "aGVs bG8=", "aGVsbG9=", "a=VsbG8=", "aGVsbG8-", "aGVs\nbG8=",
                          "====", "aGVsbG8==="}) {
    EXPECT_FALSE(c::base64_decode(bad)) << bad;
  }
}

TEST(Digest, Rfc2202HmacSha1Case2) {
  EXPECT_EQ(c::hex_encode(c::hmac_sha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(Digest, GithubHmacSha256Vector) {
  EXPECT_EQ(c::hex_encode(c::hmac_sha256("It's a Secret to Everybody", "Hello, World!")),
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

// More RFC 2202 / RFC 4231 vectors: the short key, and a key longer than the block (hashed
// first), for both digests; the empty key and message.
TEST(Digest, Rfc2202AndRfc4231Vectors) {
  const std::string k20(20, '\x0b');
  EXPECT_EQ(c::hex_encode(c::hmac_sha1(k20, "Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(c::hex_encode(c::hmac_sha256(k20, "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  const std::string long_msg = "Test Using Larger Than Block-Size Key - Hash Key First";
  EXPECT_EQ(c::hex_encode(c::hmac_sha1(std::string(80, '\xaa'), long_msg)),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  EXPECT_EQ(c::hex_encode(c::hmac_sha256(std::string(131, '\xaa'), long_msg)),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(c::hex_encode(c::hmac_sha1("", "")), "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  EXPECT_EQ(c::hex_encode(c::hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// Our HMAC (built on fetched digests) against OpenSSL's own one-shot HMAC(), for every key
// length around the block size and a spread of message lengths.
TEST(Digest, HmacMatchesOpenSslOneShot) {
  std::string key, msg;
  for (int n = 0; n < 200; ++n) key.push_back(static_cast<char>(n * 37 + 11));
  for (int n = 0; n < 300; ++n) msg.push_back(static_cast<char>(n * 53 + 7));
  for (std::size_t kl : {0, 1, 19, 20, 63, 64, 65, 127, 128, 129, 200}) {
    for (std::size_t ml : {0, 1, 55, 56, 64, 119, 300}) {
      auto k = key.substr(0, kl), m = msg.substr(0, ml);
      unsigned char out[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      static const unsigned char empty = 0;
      const auto* kp = kl ? reinterpret_cast<const unsigned char*>(k.data()) : &empty;
      HMAC(EVP_sha1(), kp, static_cast<int>(kl), reinterpret_cast<const unsigned char*>(m.data()), ml, out, &len);
      EXPECT_EQ(c::hmac_sha1(k, m), std::string(reinterpret_cast<const char*>(out), len)) << kl << "/" << ml;
      HMAC(EVP_sha256(), kp, static_cast<int>(kl), reinterpret_cast<const unsigned char*>(m.data()), ml, out, &len);
      EXPECT_EQ(c::hmac_sha256(k, m), std::string(reinterpret_cast<const char*>(out), len)) << kl << "/" << ml;
    }
  }
}

TEST(Digest, Sha256Hex) {
  EXPECT_EQ(c::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, Sha1Hex) {
  EXPECT_EQ(c::sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(Digest, ConstantTimeEqualChecksLength) {
  EXPECT_TRUE(c::constant_time_equal("abc", "abc"));
  EXPECT_FALSE(c::constant_time_equal("abc", "abd"));
  EXPECT_FALSE(c::constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(c::constant_time_equal("", ""));
}

TEST(Pkcs7, PadsToThirtyTwo) {
  EXPECT_EQ(c::pkcs7_pad("").size(), 32u);
  EXPECT_EQ(c::pkcs7_pad(std::string(31, 'a')).size(), 32u);
  EXPECT_EQ(c::pkcs7_pad(std::string(32, 'a')).size(), 64u);
  EXPECT_EQ(c::pkcs7_unpad(c::pkcs7_pad("abc")), std::string_view("abc"));
}

TEST(Pkcs7, RejectsBadPadding) {
  std::string zero(32, 'a');
  zero.back() = 0;
  EXPECT_FALSE(c::pkcs7_unpad(zero));
  std::string big(64, 33);
  EXPECT_FALSE(c::pkcs7_unpad(big));
  std::string inconsistent(32, 4);
  inconsistent[29] = 5;
  EXPECT_FALSE(c::pkcs7_unpad(inconsistent));
  EXPECT_FALSE(c::pkcs7_unpad(std::string(3, 4)));  // pad longer than the data
  EXPECT_FALSE(c::pkcs7_unpad(""));
}

TEST(Aes, RoundTripAndRejectsBadSizes) {
  const std::string key(32, 'k'), iv(16, 'i'), plain(48, 'p');
  auto enc = c::aes256_cbc_encrypt(key, iv, plain);
  ASSERT_TRUE(enc);
  EXPECT_EQ(enc->size(), 48u);
  EXPECT_EQ(c::aes256_cbc_decrypt(key, iv, *enc), plain);
  EXPECT_FALSE(c::aes256_cbc_decrypt(key, iv, std::string(15, 'x')));
  EXPECT_FALSE(c::aes256_cbc_decrypt(key, iv, ""));
  EXPECT_FALSE(c::aes256_cbc_decrypt(std::string(16, 'k'), iv, *enc));
}

TEST(Ed25519, Q2PublicKeyFromSeed) {
  auto pub = c::ed25519_public_key("naOC0ocQE3shWLAfffVLB1rhYPG7naOC");
  ASSERT_TRUE(pub);
  EXPECT_EQ(c::hex_encode(*pub), "d7c362fe78aef81ff23287b493628b5db02a3c4fe30b215e4d19609b5d76673a");
  EXPECT_FALSE(c::ed25519_public_key("short"));
}

TEST(Ed25519, SignVerifyAndTamper) {
  const std::string seed(32, 's');
  auto sig = c::ed25519_sign(seed, "message");
  auto pub = c::ed25519_public_key(seed);
  ASSERT_TRUE(sig && pub);
  EXPECT_TRUE(c::ed25519_verify(*pub, "message", *sig));
  EXPECT_FALSE(c::ed25519_verify(*pub, "messagE", *sig));
  std::string bad = *sig;
  bad[0] ^= 1;
  EXPECT_FALSE(c::ed25519_verify(*pub, "message", bad));
  EXPECT_FALSE(c::ed25519_verify(*pub, "message", sig->substr(0, 63)));
}
