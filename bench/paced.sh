#!/usr/bin/env bash
# Latency at a fixed request rate (issue 9, item 1's "p99 at half of the peak rate"), run by
# hand: Lianxin on a fresh embedded Redis (appendfsync always, as bench/compare.sh limit), the
# same signed OneBot group small talk (bench/onebot_ingest.lua), but paced by
# bench/onebot_paced.lua at RATE requests/s over 32 connections (wrk2 is not in Debian).
#   bench/paced.sh RATE [ROUNDS] [SECS]        LX_BIN: the binary (default build/bot/lianxin)
# Prints per round: achieved requests/s, p50, p90, p99, max, events recorded, load average.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rate=${1:?rate}
rounds=${2:-3}
secs=${3:-15}
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 2; }
work=$(mktemp -d /tmp/lx-paced.XXXXXX)
bin=$work/lianxin
cp "${LX_BIN:-build/bot/lianxin}" "$bin"
pid=
cleanup() { [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT
export LX_BENCH_MODE=chat LX_BENCH_PATH=/webhook/onebot/bench LX_BENCH_RATE=$rate LX_BENCH_THREADS=2
export LX_BENCH_SECRET=${LX_BENCH_SECRET:-bench-onebot-secret}
for r in $(seq "$rounds"); do
  dir=$work/lx-$r
  mkdir -p "$dir"
  cat > "$dir/bench.json" <<JSON
{ "tenant": {"id": "bench", "case_prefix": "BN"},
  "server": {"listen": "127.0.0.1:0"},
  "redis": {"embedded": {"data_dir": "$dir/data", "appendfsync": "always"}},
  "log": {"level": "info"},
  "roster": {"file": "$root/config/demo/roster.json", "categories_file": "$root/config/demo/categories.json",
             "holidays_file": "$root/config/holidays/cn.json"},
  "limits": {"resident_per_minute": 100000, "group_per_minute": 1000000},
  "platforms": {"onebot": {"bench": {"self_id": "10000", "secret": "$LX_BENCH_SECRET", "api_base": "http://127.0.0.1:9"}}} }
JSON
  "$bin" serve --config "$dir/bench.json" --listen 127.0.0.1:0 2> "$dir/lianxin.log" &
  pid=$!
  for _ in $(seq 300); do grep -q "ready: listening" "$dir/lianxin.log" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o 'ready: listening on http://127.0.0.1:[0-9]*' "$dir/lianxin.log" | grep -o '[0-9]*$')
  wrk -t2 -c32 -d3s --timeout 30s -s bench/onebot_paced.lua "http://127.0.0.1:$port" > /dev/null  # warm-up
  before=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^lx_inbound_events_total.*(recorded|chatter)/ {s += $NF} END {printf "%d", s}')
  l=$(cut -d' ' -f1 /proc/loadavg)
  wrk -t2 -c32 -d"${secs}s" --latency --timeout 30s -s bench/onebot_paced.lua "http://127.0.0.1:$port" > "$dir/wrk.out"
  sleep 0.5
  after=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^lx_inbound_events_total.*(recorded|chatter)/ {s += $NF} END {printf "%d", s}')
  awk -v r="$r" -v rate="$rate" -v rec="$((after - before))" -v l="$l" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps = $2}
    $1 == "50%" {p50 = ms($2)} $1 == "90%" {p90 = ms($2)} $1 == "99%" {p99 = ms($2)}
    $1 == "Latency" && NF >= 5 {mx = ms($4)}
    / requests in / {n = $1}
    END {printf "round %d at %d/s: %.0f req/s achieved, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %d requests, %d recorded (load %s)\n", r, rate, rps, p50, p90, p99, mx, n, rec, l}' "$dir/wrk.out"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=
  rm -rf "$dir"
done
