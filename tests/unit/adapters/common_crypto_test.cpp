// Codecs, digests, AES/PKCS#7 and Ed25519 building blocks.
#include <gtest/gtest.h>

#include "adapters/common/aes_cbc.hpp"
#include "adapters/common/codec.hpp"
#include "adapters/common/digest.hpp"
#include "adapters/common/ed25519.hpp"

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
