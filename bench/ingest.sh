#!/usr/bin/env bash
# Ingestion benchmark (run by hand): Lianxin on the embedded Redis (appendfsync always),
# wrk with 32 connections POSTing unique OneBot group messages. Prints requests/s, latency
# percentiles and how many events were actually recorded (from /metrics).
# usage: bench/ingest.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
conns=${2:-32}
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 2; }
work=$(mktemp -d /tmp/lx-bench.XXXXXX)
cat > "$work/bench.json" <<JSON
{ "tenant": {"id": "bench", "case_prefix": "BN"},
  "server": {"listen": "127.0.0.1:0"},
  "redis": {"embedded": {"data_dir": "$work/data"}},
  "log": {"level": "info"},
  "roster": {"file": "$(pwd)/config/demo/roster.json", "categories_file": "$(pwd)/config/demo/categories.json",
             "holidays_file": "$(pwd)/config/holidays/cn.json"},
  "limits": {"resident_per_minute": 100000, "group_per_minute": 1000000},
  "platforms": {"onebot": {"bench": {"self_id": "10000", "api_base": "http://127.0.0.1:9"}}} }
JSON
build/bot/lianxin serve --config "$work/bench.json" --listen 127.0.0.1:0 2> "$work/lianxin.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "ready: listening" "$work/lianxin.log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o 'ready: listening on http://127.0.0.1:[0-9]*' "$work/lianxin.log" | grep -o '[0-9]*$')
wrk -t2 -c"$conns" -d3s --timeout 30s -s bench/onebot_ingest.lua "http://127.0.0.1:$port" >/dev/null  # warm-up
before=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^lx_inbound_events_total.*(recorded|chatter)/ {s += $NF} END {printf "%d", s}')
wrk -t2 -c"$conns" -d"${secs}s" --latency --timeout 30s -s bench/onebot_ingest.lua "http://127.0.0.1:$port"
sleep 1
after=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^lx_inbound_events_total.*(recorded|chatter)/ {s += $NF} END {printf "%d", s}')
echo "events deduplicated durably during the run (enqueued, or small talk kept as its dedupe mark only): $(( ${after%.*} - ${before%.*} ))"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^lx_intake_messages_total' || true
