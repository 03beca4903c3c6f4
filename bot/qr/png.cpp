#include "bot/qr/png.hpp"

#include <algorithm>
#include <array>

namespace lianxin::qr {
namespace {

const std::array<std::uint32_t, 256>& crc_table() {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  return table;
}

// RFC 1951 3.2.5: lengths 3..258 and distances 1..32768 as a code plus extra bits.
constexpr std::array<int, 29> kLenBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                          31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<int, 29> kLenExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                           2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<int, 30> kDistBase = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                           193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<int, 30> kDistExtra = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                            6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
constexpr int kMaxMatch = 258;

class bit_writer {
 public:
  explicit bit_writer(std::string& out) : out_(out) {}
  // Deflate packs values least-significant bit first...
  void bits(std::uint32_t v, int n) {
    acc_ |= v << fill_;
    fill_ += n;
    while (fill_ >= 8) {
      out_ += static_cast<char>(acc_ & 0xFF);
      acc_ >>= 8;
      fill_ -= 8;
    }
  }
  // ...but Huffman codes most-significant bit first.
  void code(std::uint32_t c, int n) {
    std::uint32_t r = 0;
    for (int i = 0; i < n; ++i) r |= ((c >> i) & 1u) << (n - 1 - i);
    bits(r, n);
  }
  void flush() {
    if (fill_ > 0) out_ += static_cast<char>(acc_ & 0xFF);
    acc_ = 0;
    fill_ = 0;
  }

 private:
  std::string& out_;
  std::uint32_t acc_ = 0;
  int fill_ = 0;
};

void literal(bit_writer& w, int sym) {
  if (sym < 144) w.code(0x30 + sym, 8);
  else if (sym < 256) w.code(0x190 + (sym - 144), 9);
  else if (sym < 280) w.code(sym - 256, 7);
  else w.code(0xC0 + (sym - 280), 8);
}

void match(bit_writer& w, int len, int dist) {
  int i = 28;
  while (kLenBase[i] > len) --i;
  literal(w, 257 + i);
  w.bits(static_cast<std::uint32_t>(len - kLenBase[i]), kLenExtra[i]);
  int j = 29;
  while (kDistBase[j] > dist) --j;
  w.code(static_cast<std::uint32_t>(j), 5);
  w.bits(static_cast<std::uint32_t>(dist - kDistBase[j]), kDistExtra[j]);
}

std::size_t match_length(std::string_view s, std::size_t p, std::size_t dist) {
  std::size_t n = 0;
  while (p + n < s.size() && n < kMaxMatch && s[p + n] == s[p + n - dist]) ++n;
  return n;
}

void put_u32(std::string& s, std::uint32_t v) {
  s += static_cast<char>(v >> 24);
  s += static_cast<char>(v >> 16);
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v);
}

void chunk(std::string& png, const char* type, std::string_view data) {
  put_u32(png, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = png.size();
  png.append(type, 4);
  png.append(data);
  put_u32(png, crc32(std::string_view(png).substr(start)));
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
  const auto& t = crc_table();
  crc = ~crc;
  for (unsigned char b : bytes) crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t adler32(std::string_view bytes) {
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : bytes) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

std::string zlib_compress(std::string_view raw, std::size_t row_stride) {
  std::string out;
  out.reserve(raw.size() / 8 + 64);
  out += '\x78';  // deflate, 32 KiB window
  out += '\x01';  // no dictionary; 0x7801 is a multiple of 31 as RFC 1950 requires
  bit_writer w(out);
  w.bits(1, 1);  // final block
  w.bits(1, 2);  // fixed Huffman codes
  // Greedy matching against the two places a QR image repeats itself: the byte before (runs
  // within a row) and the byte one scanline up (each module row is `scale` pixel rows). That
  // finds nearly all the redundancy without a hash table.
  const bool use_rows = row_stride > 0 && row_stride <= 32768;
  for (std::size_t p = 0; p < raw.size();) {
    std::size_t best = p >= 1 ? match_length(raw, p, 1) : 0, best_dist = 1;
    if (use_rows && p >= row_stride) {
      const std::size_t n = match_length(raw, p, row_stride);
      if (n > best) best = n, best_dist = row_stride;
    }
    if (best >= 3) {
      match(w, static_cast<int>(best), static_cast<int>(best_dist));
      p += best;
    } else {
      literal(w, static_cast<unsigned char>(raw[p]));
      ++p;
    }
  }
  literal(w, 256);
  w.flush();
  put_u32(out, adler32(raw));
  return out;
}

result<std::string> to_png(const matrix& m, const png_options& opts) {
  if (opts.scale < 1 || opts.scale > 64) return make_error(errc::invalid_argument, "PNG scale must be 1..64 pixels per module");
  if (opts.quiet_zone < 0 || opts.quiet_zone > 64) return make_error(errc::invalid_argument, "quiet zone must be 0..64 modules");
  if (m.size <= 0) return make_error(errc::invalid_argument, "empty QR matrix");
  const int modules = m.size + 2 * opts.quiet_zone;
  const int px = modules * opts.scale;
  if (px > 8192) return make_error(errc::invalid_argument, "PNG would be wider than 8192 pixels");
  const bool one_bit = opts.depth == png_depth::bit1;
  const std::size_t row_bytes = one_bit ? (static_cast<std::size_t>(px) + 7) / 8 : static_cast<std::size_t>(px);
  const std::size_t stride = row_bytes + 1;  // each scanline starts with its filter type

  std::string raw(stride * static_cast<std::size_t>(px), '\0');
  std::string line(row_bytes, '\0');
  for (int my = 0; my < modules; ++my) {
    const int qy = my - opts.quiet_zone;
    std::fill(line.begin(), line.end(), '\xFF');  // white: 1 in 1-bit, 255 in 8-bit
    for (int mx = 0; mx < modules; ++mx) {
      const int qx = mx - opts.quiet_zone;
      const bool dark = qx >= 0 && qy >= 0 && qx < m.size && qy < m.size && m.dark(qx, qy);
      if (!dark) continue;
      for (int s = 0; s < opts.scale; ++s) {
        const int x = mx * opts.scale + s;
        if (one_bit) line[x / 8] = static_cast<char>(line[x / 8] & ~(0x80 >> (x % 8)));  // 0 is black
        else line[x] = '\0';
      }
    }
    // Padding bits at the end of a 1-bit row are ignored by decoders; white keeps rows equal.
    for (int s = 0; s < opts.scale; ++s) {
      const std::size_t at = stride * static_cast<std::size_t>(my * opts.scale + s);
      raw[at] = 0;  // filter "None": the deflate matches already exploit the row repetition
      std::copy(line.begin(), line.end(), raw.begin() + static_cast<std::ptrdiff_t>(at + 1));
    }
  }

  std::string ihdr;
  put_u32(ihdr, static_cast<std::uint32_t>(px));
  put_u32(ihdr, static_cast<std::uint32_t>(px));
  ihdr += static_cast<char>(one_bit ? 1 : 8);  // bit depth
  ihdr += '\0';                                // colour type 0: grayscale
  ihdr += '\0';                                // compression: deflate
  ihdr += '\0';                                // filter method 0
  ihdr += '\0';                                // no interlace

  std::string png("\x89PNG\r\n\x1a\n", 8);
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", zlib_compress(raw, stride));
  chunk(png, "IEND", {});
  return png;
}

}  // namespace lianxin::qr
