#pragma once
// PNG output for QR codes, written here rather than through libpng or zlib: a QR image is a
// few runs of black and white repeated row after row, which a fixed-Huffman deflate with
// run and previous-row matches squeezes to a few kilobytes, so no new library is linked.
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/qr/qr.hpp"
#include "bot/qr/result.hpp"

namespace lianxin::qr {

enum class png_depth {
  bit1,   // 1-bit grayscale: the smallest file, what scanners and printers need
  gray8,  // 8-bit grayscale, for tools that mishandle sub-byte depths
};

struct png_options {
  int scale = 8;  // pixels per module, 1..64
  int quiet_zone = kQuietZone;
  png_depth depth = png_depth::bit1;
};

// A complete PNG file (signature, IHDR, IDAT, IEND). Fails only for options out of range or
// an image wider than 8192 pixels.
result<std::string> to_png(const matrix& m, const png_options& opts = {});

// Building blocks, exposed for the tests and for anything else that needs a checksum.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);
std::uint32_t adler32(std::string_view bytes);
// A zlib stream (RFC 1950) holding one fixed-Huffman deflate block (RFC 1951). `row_stride`,
// when known, lets it match each scanline against the one above.
std::string zlib_compress(std::string_view raw, std::size_t row_stride = 0);

}  // namespace lianxin::qr
