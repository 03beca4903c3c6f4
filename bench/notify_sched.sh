#!/usr/bin/env bash
# Outbox delivery and scheduler benchmarks (issue 9, items 5 and 6); called by bench/compare.sh
# (`bench/compare.sh notify sched`), or alone:
#   bench/notify_sched.sh notify|sched ROWS.tsv
# Both drive the real lianxin binary (embedded Redis, appendfsync always) by writing straight
# into its Redis with redis-cli --pipe, and alternate their variants round by round.
#
# notify  NOTIFY_N (5000) outbox entries (`lx:{bench}:outbox`, field m = the outbound JSON the
#         intake and workflow write, bot/ingest/message_json.cpp) to 200 OneBot groups, all at
#         once; the counting fake OneBot API (bench/fake_onebot_api.js) answers them. Variant
#         "plain": only those. Variant "with-limited": the same plus NOTIFY_LIMITED (50) entries
#         to one group the fake API rate-limits (one message a second, else 429 + Retry-After: 1)
#         interleaved with them. Measured: the rate at which the NOTIFY_N plain messages are
#         delivered, and each one's enqueue-to-delivery latency (p50/p99, a burst, so latency
#         is mostly queueing).
# sched   SCHED_N (20000) due timers in `lx:{bench}:timers` ("<case>:remind" → a due time in the
#         past) whose cases do not exist — the scheduler loads each case, finds none and drops
#         the timer (one case load and one drop script per timer, the same Redis work a stale
#         timer costs). Variant "poll-10ms" (scheduler.poll_ms 10, the smallest allowed) gives
#         the per-timer cost; "poll-default" (1000 ms) with SCHED_DEFAULT_N (2000) timers shows
#         the rate the default configuration allows (200 timers per tick, one tick per poll).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
section=$1
tsv=$2
ROUNDS=${ROUNDS:-5}
NOTIFY_N=${NOTIFY_N:-5000}
NOTIFY_LIMITED=${NOTIFY_LIMITED:-50}
SCHED_N=${SCHED_N:-20000}
SCHED_DEFAULT_N=${SCHED_DEFAULT_N:-2000}
bin=${LX_BIN:-build/bot/lianxin}
work=$(mktemp -d /tmp/lx-notify.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "not ready: $1" >&2; cat "$1" >&2; return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
load1() { cut -d' ' -f1 /proc/loadavg; }
now_ms() { date +%s%3N; }
count() {  # count API_PORT KEY
  curl -s "http://127.0.0.1:$1/_count" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$2', 0))"
}

# start DIR API_PORT POLL_MS: sets lx_pid, sock
start() {
  local dir=$1
  mkdir -p "$dir"
  cat > "$dir/bench.json" <<JSON
{ "tenant": {"id": "bench", "case_prefix": "BN"},
  "server": {"listen": "127.0.0.1:0"},
  "redis": {"embedded": {"data_dir": "$dir/data"}},
  "log": {"level": "info"},
  "scheduler": {"poll_ms": $3},
  "roster": {"file": "$root/config/demo/roster.json", "categories_file": "$root/config/demo/categories.json",
             "holidays_file": "$root/config/holidays/cn.json"},
  "limits": {"resident_per_minute": 100000, "group_per_minute": 1000000},
  "platforms": {"onebot": {"bench": {"self_id": "10000", "api_base": "http://127.0.0.1:$2"}}} }
JSON
  "$bin" serve --config "$dir/bench.json" --listen 127.0.0.1:0 2> "$dir/lianxin.log" &
  lx_pid=$!
  pids+=("$lx_pid")
  wait_ready "$dir/lianxin.log" "ready: listening"
  sock=$dir/data/redis.sock
}

# RESP for redis-cli --pipe, written by Python (exact byte lengths for the UTF-8 text)
gen_outbox() {  # gen_outbox N LIMITED ROUND > file
  python3 - "$@" <<'PY'
import json, sys, time
n, limited, rnd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
t = int(time.time() * 1000)
out = sys.stdout.buffer
def cmd(*args):
    b = [a.encode() for a in args]
    out.write(b"*%d\r\n" % len(b) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in b))
every = n // limited if limited else 0
k = 0
for i in range(n):
    if every and i % every == 0 and k < limited:
        m = {"to": {"p": "onebot", "b": "bench", "c": "g", "cid": "999"},
             "s": [{"k": "text", "v": f"限流目标 {k} t={t}"}], "id": f"bench-{rnd}-lim-{k}"}
        cmd("XADD", "lx:{bench}:outbox", "*", "m", json.dumps(m, ensure_ascii=False))
        k += 1
    m = {"to": {"p": "onebot", "b": "bench", "c": "g", "cid": str(900001 + i % 200)},
         "s": [{"k": "text", "v": f"案件 BN{i:06d} 已交办，请及时签收。 t={t}"}], "id": f"bench-{rnd}-{i}"}
    cmd("XADD", "lx:{bench}:outbox", "*", "m", json.dumps(m, ensure_ascii=False))
PY
}

gen_timers() {  # gen_timers N > file
  python3 - "$@" <<'PY'
import sys, time
n = int(sys.argv[1]); due = str(int(time.time()) - 60)
out = sys.stdout.buffer
for i in range(0, n, 500):
    args = [b"ZADD", b"lx:{bench}:timers"]
    for j in range(i, min(n, i + 500)):
        args += [due.encode(), f"BN2026-{j:06d}:remind".encode()]
    out.write(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in args))
PY
}

notify() {
  for r in $(seq "$ROUNDS"); do
    for variant in ${NOTIFY_VARIANTS:-plain with-limited}; do
      local limited=0
      [[ $variant == with-limited ]] && limited=$NOTIFY_LIMITED
      LIMITED_GROUP=999 LATENCY=1 node bench/fake_onebot_api.js 0 > "$work/api.out" &
      local ap=$!; pids+=("$ap"); wait_ready "$work/api.out" ready
      local api; api=$(awk '{print $2}' "$work/api.out")
      start "$work/n-$r-$variant" "$api" 1000
      gen_outbox "$NOTIFY_N" "$limited" "$r" > "$work/outbox.resp"
      local l; l=$(load1)
      local t0; t0=$(now_ms)
      redis-cli -s "$sock" --pipe < "$work/outbox.resp" > /dev/null
      local ok=0 t1
      while :; do
        local all lim limok
        all=$(count "$api" send_group_msg); lim=$(count "$api" limited); limok=$(count "$api" limited_ok)
        ok=$((all - limok))  # 429 answers are not counted in send_group_msg
        t1=$(now_ms)
        (( ok >= NOTIFY_N || t1 - t0 > 300000 )) && break
        sleep 0.05
      done
      # Timed by the fake API's arrival time of the last plain message: the polling above
      # can lag by seconds while the API is busy (it did with the rate-limited variant).
      local last; last=$(count "$api" last_plain_ms)
      (( ok >= NOTIFY_N && last > t0 )) && t1=$last
      local secs; secs=$(python3 -c "print(($t1 - $t0) / 1000)")
      local rate; rate=$(python3 -c "print(round($ok / $secs))")
      local p50 p99; p50=$(count "$api" p50_ms); p99=$(count "$api" p99_ms)
      local lim limok; lim=$(count "$api" limited); limok=$(count "$api" limited_ok)
      printf 'notify\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$variant" "$r" "$rate" "$p50" "$p99" "$NOTIFY_N" "$ok" "$l" >> "$tsv"
      echo "round $r $variant: $ok messages in $secs s = $rate/s, latency p50 $p50 ms p99 $p99 ms;" \
           "rate-limited target: $limok delivered, $lim answered 429 (load $l)"
      stop "$lx_pid"; stop "$ap"
      rm -rf "$work/n-$r-$variant"
    done
  done
}

sched() {
  for r in $(seq "$ROUNDS"); do
    for variant in poll-10ms poll-default; do
      local n=$SCHED_N poll=10
      [[ $variant == poll-default ]] && n=$SCHED_DEFAULT_N poll=1000
      node bench/fake_onebot_api.js 0 > "$work/api.out" &
      local ap=$!; pids+=("$ap"); wait_ready "$work/api.out" ready
      local api; api=$(awk '{print $2}' "$work/api.out")
      start "$work/s-$r-$variant" "$api" "$poll"
      gen_timers "$n" > "$work/timers.resp"
      local l; l=$(load1)
      local t0; t0=$(now_ms)
      redis-cli -s "$sock" --pipe < "$work/timers.resp" > /dev/null
      local left t1
      while :; do
        left=$(redis-cli -s "$sock" ZCARD 'lx:{bench}:timers')
        t1=$(now_ms)
        (( left == 0 || t1 - t0 > 600000 )) && break
        sleep 0.05
      done
      local secs; secs=$(python3 -c "print(($t1 - $t0) / 1000)")
      local rate; rate=$(python3 -c "print(round(($n - $left) / $secs))")
      printf 'sched\t%s\t%s\t%s\t0\t0\t%s\t%s\t%s\n' "$variant" "$r" "$rate" "$n" "$((n - left))" "$l" >> "$tsv"
      echo "round $r $variant: $((n - left)) of $n due timers processed in $secs s = $rate/s" \
           "(100,000 would take $(python3 -c "print(round(100000 / $rate, 1))") s) (load $l)"
      stop "$lx_pid"; stop "$ap"
      rm -rf "$work/s-$r-$variant"
    done
  done
}

"$section"
