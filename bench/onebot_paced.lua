-- wrk script: the same events as bench/onebot_ingest.lua, sent at a fixed rate instead of as
-- fast as the server answers (wrk2 is not in Debian). LX_BENCH_RATE is the total rate in
-- requests/s over all wrk threads (LX_BENCH_THREADS, default 2, must match wrk -t). Each
-- thread hands out send slots start + k·(threads/rate); delay() holds a connection until its
-- request's slot, so requests leave on schedule as long as a connection is free. Latency is
-- measured by wrk from the actual send; at half the peak rate the 32 connections are mostly
-- idle waiting for their slot, so queueing in the client stays out of the figures.
dofile("bench/onebot_ingest.lua")

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } lx_timespec;
  int clock_gettime(int clk, lx_timespec *tp);
]]
local ts = ffi.new("lx_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local rate = tonumber(os.getenv("LX_BENCH_RATE") or "1000")
local nthreads = tonumber(os.getenv("LX_BENCH_THREADS") or "2")
local interval = 1000 * nthreads / rate  -- ms between this thread's slots
local next_slot = nil

function delay()
  local t = now_ms()
  if not next_slot then next_slot = t end
  local wait = next_slot - t
  next_slot = next_slot + interval
  if wait < 0 then
    -- behind schedule (no connection was free): send now; do not burst to catch up by more
    -- than one interval
    if -wait > interval then next_slot = t + interval end
    return 0
  end
  return math.floor(wait)
end
