// Posters per second for a county's worth of synthetic deputies: what `lianxin qr --all` does
// per deputy (encode once, PNG, SVG, A4 poster, three files written), timed in two parts so
// the disk's share is visible. Run by hand through bench/qr_posters.sh; not part of the tests.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bot/qr/png.hpp"
#include "bot/qr/poster.hpp"
#include "bot/qr/progress.hpp"

namespace fs = std::filesystem;
using namespace lianxin;  // NOLINT: a bench's main, not a header

namespace {

std::vector<qr::poster_input> synthetic(int n) {
  const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
  const char* given[] = {"秀兰", "建国", "红梅", "志强", "桂英", "海涛", "玉珍", "国庆"};
  const char* towns[] = {"庙下镇", "小寨乡", "城关镇", "老君庙乡", "金铺镇"};
  std::vector<qr::poster_input> out;
  for (int i = 0; i < n; ++i) {
    char code[16];
    std::snprintf(code, sizeof code, "D%04d", i + 1);
    qr::poster_input d;
    d.deputy_code = code;
    d.name = std::string(surnames[i % 10]) + given[(i / 10) % 8];
    d.level = static_cast<qr::deputy_level>(i % 37 == 0 ? 0 : i % 11 == 0 ? 1 : i % 3 == 0 ? 2 : 3);
    d.station = std::string(towns[i % 5]) + "第" + std::to_string(i % 40 + 1) + "代表联络站";
    d.constituency = std::string(towns[i % 5]) + std::to_string(i % 300 + 1) + "号选区";
    d.url = *qr::deputy_url("https://lianxin.rn.example.cn", d.deputy_code);
    d.issuer = "润南县人大常委会";
    out.push_back(std::move(d));
  }
  return out;
}

void write(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1200;
  const fs::path out = argc > 2 ? argv[2] : fs::temp_directory_path() / "lx-qr-bench";
  fs::create_directories(out);
  const auto deputies = synthetic(n);
  using clock = std::chrono::steady_clock;

  // Part 1: bytes only, what an HTTP route would do per request.
  std::size_t bytes = 0;
  auto t0 = clock::now();
  for (const auto& d : deputies) {
    auto m = qr::encode(d.url);
    bytes += qr::to_png(*m)->size() + qr::to_svg(*m).size() + qr::poster_svg(d, *m)->size();
  }
  const double gen = std::chrono::duration<double>(clock::now() - t0).count();

  // Part 2: the batch command's loop, files included, with its progress bar.
  qr::progress bar(deputies.size(), "posters");
  t0 = clock::now();
  for (const auto& d : deputies) {
    auto m = qr::encode(d.url);
    write(out / (d.deputy_code + ".png"), *qr::to_png(*m));
    write(out / (d.deputy_code + ".svg"), qr::to_svg(*m));
    write(out / (d.deputy_code + "-poster.svg"), *qr::poster_svg(d, *m));
    bar.tick();
  }
  bar.finish();
  const double all = std::chrono::duration<double>(clock::now() - t0).count();

  std::printf("deputies            %d\n", n);
  std::printf("bytes per deputy    %zu (PNG + SVG + poster)\n", bytes / static_cast<std::size_t>(n));
  std::printf("generate only       %.3f s  %.0f posters/s\n", gen, n / gen);
  std::printf("generate and write  %.3f s  %.0f posters/s  (into %s)\n", all, n / all, out.c_str());
  return 0;
}
