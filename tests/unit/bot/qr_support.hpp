#pragma once
// Shared by the QR tests: temporary folders and the external decoders (zbarimg from
// zbar-tools, rsvg-convert from librsvg2-bin) that prove a code really scans.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace lianxin::test::qr {

inline bool have_tool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

inline std::string run(const std::string& cmd) {
  std::string out;
  if (std::FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// What zbarimg reads from an image file; "" if it finds no code.
inline std::string zbar_decode(const std::filesystem::path& image) {
  return run("zbarimg --raw -q '" + image.string() + "' 2>/dev/null");
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// A fresh folder per test, removed afterwards.
class temp_dir {
 public:
  temp_dir() {
    static int serial = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("lx-qr-" + std::to_string(::getpid()) + "-" + (info ? std::string(info->name()) : "x") + "-" +
            std::to_string(++serial));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

#define LX_REQUIRE_ZBAR()                                                                                  \
  if (!::lianxin::test::qr::have_tool("zbarimg"))                                                          \
  FAIL() << "zbarimg not found: install zbar-tools (apt-get install -y zbar-tools; scripts/test does this)"

#define LX_REQUIRE_RSVG()                                                                                          \
  if (!::lianxin::test::qr::have_tool("rsvg-convert"))                                                             \
  FAIL() << "rsvg-convert not found: install librsvg2-bin (apt-get install -y librsvg2-bin; scripts/test does this)"

}  // namespace lianxin::test::qr
