#!/usr/bin/env bash
# Measures poster generation for 1,200 synthetic deputies (issue 6). Run by hand:
#   bench/qr_posters.sh [N] [OUT_DIR]
# Builds bench/qr_bench.cpp straight against bot/qr (no CMake target, so it never slows the
# test build), then runs it. Needs g++ and libqrencode-dev, which scripts/deps.sh installs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TMPDIR:-/tmp}/lx-qr-bench-bin
g++ -std=c++20 -O2 -DNDEBUG -I"$root" "$root/bench/qr_bench.cpp" "$root"/bot/qr/*.cpp \
  $(pkg-config --cflags --libs libqrencode) -o "$bin"
out=${2:-$(mktemp -d)}
"$bin" "${1:-1200}" "$out"
echo "files: $(find "$out" -type f | wc -l) in $out ($(du -sh "$out" | cut -f1))"
