#!/usr/bin/env bash
# Side-by-side benchmarks of issue 9 (run by hand, never in CI). Every comparison alternates
# its targets round by round in one run, so the noise of the machine hits both alike; the
# summary gives medians over the rounds and the ratios.
#
#   bench/compare.sh [limit|koishi|koishi-new|notify|sched|all ...]     (default: all)
#
# limit   Lianxin against bench/bare_beast.cpp (the smallest Beast server that reads each
#         request and answers 204), the same wrk load (bench/onebot_ingest.lua, signed events,
#         32 connections);
#         Lianxin twice: the embedded Redis with appendfsync always (the default) and everysec.
#         The load is small talk: Lianxin fsyncs each event's dedupe mark before answering and,
#         as the events are not for the bot, keeps nothing else (counted: recorded + chatter)
# koishi  Lianxin against Koishi 4 + adapter-onebot (HTTP mode), events that @-mention the bot
#         and start with 建议; each target replies through its own counting fake OneBot API
#         (bench/fake_onebot_api.js); Koishi is installed from npm into bench/.peers/koishi.
#         Every message of a resident says the same words (LX_BENCH_TEXT=same in
#         bench/onebot_ingest.lua); koishi-new is the same comparison with new words in every
#         message (LX_BENCH_TEXT=new), Lianxin's costliest dialogue turn
# notify / sched   bench/notify_sched.sh (outbox delivery and scheduler)
#
# Environment: ROUNDS (5; NS_ROUNDS for notify/sched), SECS per wrk round (8), CONNS (32), LX_BIN (the lianxin binary;
# default build/bot/lianxin — bench/compare.sh copies it first, so a rebuild during the run
# changes nothing). Raw rows go to bench/out/compare-<time>.tsv, the summary to stdout and
# bench/out/compare-<time>.txt; bench/plot_svg.py draws docs/benchmarks.svg from the tsv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ROUNDS=${ROUNDS:-5}
SECS=${SECS:-8}
CONNS=${CONNS:-32}
sections=("$@")
[[ ${#sections[@]} -eq 0 || ${sections[0]} == all ]] && sections=(limit koishi koishi-new notify sched)
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 2; }

# Every event is signed (X-Signature, HMAC-SHA1 of the body) with this secret, which Lianxin and
# Koishi both check; the bare server reads the header like any other.
export LX_BENCH_SECRET=${LX_BENCH_SECRET:-bench-onebot-secret}

mkdir -p bench/out
stamp=$(date +%Y%m%d-%H%M%S)
tsv=bench/out/compare-$stamp.tsv
txt=bench/out/compare-$stamp.txt
work=$(mktemp -d /tmp/lx-compare.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
printf 'section\ttarget\tround\trps\tp50_ms\tp99_ms\trequests\tcounted\tload1\n' > "$tsv"

bin=$work/lianxin
cp "${LX_BIN:-build/bot/lianxin}" "$bin"

load1() { cut -d' ' -f1 /proc/loadavg; }

# wait_ready FILE PATTERN: until FILE has a line matching PATTERN (30 s)
wait_ready() {
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "not ready: $1" >&2; cat "$1" >&2; return 1
}

# start_lianxin DIR API_PORT: Lianxin on a fresh embedded Redis (appendfsync always);
# sets lx_pid, lx_port.
start_lianxin() {
  local dir=$1 api=$2 fsync=${3:-always}
  mkdir -p "$dir"
  cat > "$dir/bench.json" <<JSON
{ "tenant": {"id": "bench", "case_prefix": "BN"},
  "server": {"listen": "127.0.0.1:0"},
  "redis": {"embedded": {"data_dir": "$dir/data", "appendfsync": "$fsync"}},
  "log": {"level": "info"},
  "roster": {"file": "$root/config/demo/roster.json", "categories_file": "$root/config/demo/categories.json",
             "holidays_file": "$root/config/holidays/cn.json"},
  "limits": {"resident_per_minute": 100000, "group_per_minute": 1000000},
  "platforms": {"onebot": {"bench": {"self_id": "10000", "secret": "$LX_BENCH_SECRET", "api_base": "http://127.0.0.1:$api"}}} }
JSON
  "$bin" serve --config "$dir/bench.json" --listen 127.0.0.1:0 2> "$dir/lianxin.log" &
  lx_pid=$!
  pids+=("$lx_pid")
  wait_ready "$dir/lianxin.log" "ready: listening"
  lx_port=$(grep -o 'ready: listening on http://127.0.0.1:[0-9]*' "$dir/lianxin.log" | grep -o '[0-9]*$')
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

metric() {  # metric PORT REGEX: the sum of matching /metrics samples
  curl -s "http://127.0.0.1:$1/metrics" | awk -v re="$2" '$0 ~ re && $1 !~ /^#/ {s += $NF} END {printf "%d\n", s}'
}

# run_wrk URL SECS OUT: wrk with the shared script; prints "rps p50_ms p99_ms requests"
run_wrk() {
  wrk -t2 -c"$CONNS" -d"$2s" --latency --timeout 30s -s bench/onebot_ingest.lua "$1" > "$3"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps = $2}
    $1 == "50%" {p50 = ms($2)} $1 == "99%" {p99 = ms($2)}
    / requests in / {n = $1}
    END {printf "%.0f %.3f %.3f %d\n", rps, p50, p99, n}' "$3"
}

row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$tsv"; }

# ---------------------------------------------------------------------------------------------
limit() {
  echo "== limit: Lianxin vs bare Beast, $ROUNDS rounds of ${SECS}s, $CONNS connections"
  local bare=$work/bare_beast
  g++ -std=c++20 -O2 -DNDEBUG bench/bare_beast.cpp -o "$bare" -pthread
  export LX_BENCH_MODE=chat LX_BENCH_PATH=/webhook/onebot/bench
  for r in $(seq "$ROUNDS"); do
    # Each round starts both servers afresh: Lianxin's intake worker keeps draining the last
    # round's inbox after wrk stops, and must not eat the bare server's CPU.
    "$bare" 0 > "$work/bare.out" &
    local bp=$!; pids+=("$bp")
    wait_ready "$work/bare.out" ready
    local port; port=$(awk '{print $2}' "$work/bare.out")
    run_wrk "http://127.0.0.1:$port" 2 /dev/null > /dev/null   # warm-up
    local l; l=$(load1)
    read -r rps p50 p99 n < <(run_wrk "http://127.0.0.1:$port" "$SECS" "$work/wrk.out")
    row limit bare-beast "$r" "$rps" "$p50" "$p99" "$n" "$n" "$l"
    echo "round $r bare-beast: $rps req/s p50 $p50 ms p99 $p99 ms (load $l)"
    stop "$bp"

    for fsync in always everysec; do
      local target=lianxin; [[ $fsync == everysec ]] && target=lianxin-everysec
      start_lianxin "$work/lx-limit-$r" 9 "$fsync"
      run_wrk "http://127.0.0.1:$lx_port" 2 /dev/null > /dev/null
      # Counted: events whose dedupe mark was fsynced before the answer, whether enqueued
      # (recorded) or, being small talk not for the bot, kept as that mark only (chatter).
      local before; before=$(metric "$lx_port" '^lx_inbound_events_total.*(recorded|chatter)')
      local c0; c0=$(metric "$lx_port" '^lx_inbound_events_total.*chatter')
      local rt0; rt0=$(metric "$lx_port" '^lx_redis_round_trips_total')
      local w0; w0=$(metric "$lx_port" '^lx_intake_messages_total')
      l=$(load1)
      read -r rps p50 p99 n < <(run_wrk "http://127.0.0.1:$lx_port" "$SECS" "$work/wrk.out")
      local rss; rss=$(awk '/^VmRSS/ {print $2}' "/proc/$lx_pid/status")
      local rt1; rt1=$(metric "$lx_port" '^lx_redis_round_trips_total')
      local w1; w1=$(metric "$lx_port" '^lx_intake_messages_total')
      sleep 0.5
      local after; after=$(metric "$lx_port" '^lx_inbound_events_total.*(recorded|chatter)')
      local c1; c1=$(metric "$lx_port" '^lx_inbound_events_total.*chatter')
      row limit "$target" "$r" "$rps" "$p50" "$p99" "$n" "$((after - before))" "$l"
      # Round trips of the whole process (webhook + intake worker + notifier) per event counted
      # during the round, and Lianxin's RSS at the end of the load (not in the tsv).
      echo "round $r $target: $rps req/s p50 $p50 ms p99 $p99 ms, deduplicated durably $((after - before)) of $n, of them small talk not kept $((c1 - c0)) (load $l)," \
           "RSS $rss KiB, Redis round trips per event $(awk -v a="$((rt1 - rt0))" -v b="$((after - before))" 'BEGIN {printf "%.2f", b ? a / b : 0}')," \
           "worked through by the intake worker meanwhile $(awk -v a="$((w1 - w0))" -v s="$SECS" 'BEGIN {printf "%.0f", a / s}')/s"
      stop "$lx_pid"
      rm -rf "$work/lx-limit-$r"
    done
  done
}

# ---------------------------------------------------------------------------------------------
koishi() {  # koishi SECTION TEXT: rows go under SECTION; TEXT is LX_BENCH_TEXT (same|new)
  local sec=$1
  export LX_BENCH_TEXT=$2
  echo "== $sec: Lianxin vs Koishi 4.18.11 + adapter-onebot 6.5.4, $ROUNDS rounds of ${SECS}s, LX_BENCH_TEXT=$2"
  local peers=bench/.peers/koishi
  if [[ ! -f $peers/node_modules/koishi-plugin-adapter-onebot/package.json ]]; then
    mkdir -p "$peers"
    cat > "$peers/package.json" <<'JSON'
{"name": "lx-bench-koishi", "private": true, "version": "0.0.0",
 "dependencies": {"koishi": "4.18.11", "@koishijs/plugin-server": "3.2.9",
                  "@koishijs/plugin-http": "0.6.3", "koishi-plugin-adapter-onebot": "6.5.4"}}
JSON
    (cd "$peers" && npm install --no-audit --no-fund --loglevel=error)
  fi
  export LX_BENCH_MODE=addressed
  local kport=18770
  for r in $(seq "$ROUNDS"); do
    # Koishi: its own fake API, started fresh each round
    node bench/fake_onebot_api.js 0 > "$work/api-k.out" &
    local ap=$!; pids+=("$ap"); wait_ready "$work/api-k.out" ready
    local api; api=$(awk '{print $2}' "$work/api-k.out")
    NODE_PATH=$peers/node_modules node bench/koishi_app.js "$kport" "$api" "$LX_BENCH_SECRET" > "$work/koishi.out" 2>&1 &
    local kp=$!; pids+=("$kp"); wait_ready "$work/koishi.out" "ready $kport"
    export LX_BENCH_PATH=/onebot
    run_wrk "http://127.0.0.1:$kport" 3 /dev/null > /dev/null   # warm-up (JIT)
    sleep 1
    local c0; c0=$(curl -s "http://127.0.0.1:$api/_count" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).send_group_msg||0))')
    local l; l=$(load1)
    read -r rps p50 p99 n < <(run_wrk "http://127.0.0.1:$kport" "$SECS" "$work/wrk.out")
    local c1 prev=-1
    # replies still in flight when wrk stops: wait until the count stands still (max 30 s)
    for _ in $(seq 60); do
      c1=$(curl -s "http://127.0.0.1:$api/_count" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).send_group_msg||0))')
      [[ $c1 == "$prev" ]] && break; prev=$c1; sleep 0.5
    done
    row "$sec" koishi "$r" "$rps" "$p50" "$p99" "$n" "$((c1 - c0))" "$l"
    echo "round $r koishi:  $rps ev/s p50 $p50 ms p99 $p99 ms, replies $((c1 - c0)) to $n events (load $l)"
    stop "$kp"; stop "$ap"

    node bench/fake_onebot_api.js 0 > "$work/api-l.out" &
    ap=$!; pids+=("$ap"); wait_ready "$work/api-l.out" ready
    api=$(awk '{print $2}' "$work/api-l.out")
    start_lianxin "$work/lx-koishi-$r" "$api"
    export LX_BENCH_PATH=/webhook/onebot/bench
    run_wrk "http://127.0.0.1:$lx_port" 3 /dev/null > /dev/null
    sleep 1
    c0=$(curl -s "http://127.0.0.1:$api/_count" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).send_group_msg||0))')
    local before; before=$(metric "$lx_port" '^lx_inbound_events_total.*recorded')
    l=$(load1)
    read -r rps p50 p99 n < <(run_wrk "http://127.0.0.1:$lx_port" "$SECS" "$work/wrk.out")
    local during; during=$(curl -s "http://127.0.0.1:$api/_count" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).send_group_msg||0))')
    local after; after=$(metric "$lx_port" '^lx_inbound_events_total.*recorded')
    row "$sec" lianxin "$r" "$rps" "$p50" "$p99" "$n" "$((during - c0))" "$l"
    echo "round $r lianxin: $rps ev/s p50 $p50 ms p99 $p99 ms, recorded $((after - before)), replies during the round $((during - c0)) (load $l)"
    stop "$lx_pid"; stop "$ap"
    rm -rf "$work/lx-koishi-$r"
  done
}

python3 bench/fsync_probe.py "$work" | tee -a "$txt"
for s in "${sections[@]}"; do
  case $s in
    limit) limit ;;
    koishi) koishi koishi same ;;
    koishi-new) koishi koishi-new new ;;
    notify|sched) ROUNDS=${NS_ROUNDS:-$ROUNDS} LX_BIN="$bin" bench/notify_sched.sh "$s" "$tsv" ;;
    *) echo "unknown section $s" >&2; exit 2 ;;
  esac
done
python3 bench/fsync_probe.py "$work" | tee -a "$txt"
python3 bench/plot_svg.py --summary "$tsv" | tee -a "$txt"
echo "rows: $tsv"
