#!/usr/bin/env bash
# Conversation turns per second (run by hand): builds bench/turns_bench.cpp (an
# EXCLUDE_FROM_ALL target, so it never slows the normal build) and runs it.
#   bench/turns.sh [residents]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/build.ninja ]] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build lx_bench_turns >/dev/null
build/bench/lx_bench_turns "${1:-600}" 2> >(grep -v '^20[0-9][0-9]-.*\(INFO\|DEBUG\)' >&2)
