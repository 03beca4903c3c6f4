#!/usr/bin/env python3
"""How long the disk under DIR takes to make an append durable: 500 appends of 8 KiB, each
followed by fdatasync (what Redis does per event-loop iteration with appendfsync always).
With appendfsync always, Lianxin's ingestion rate follows this latency, which on a shared VM
changes from one minute to the next; bench/compare.sh prints it before and after its rounds so
a run can be read against it.  Usage: bench/fsync_probe.py [DIR]   (default /tmp)"""
import os
import sys
import tempfile
import time

d = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
fd, path = tempfile.mkstemp(prefix="lx-fsync-", dir=d)
try:
    block = b"x" * 8192
    took = []
    for _ in range(500):
        t = time.perf_counter()
        os.write(fd, block)
        os.fdatasync(fd)
        took.append(time.perf_counter() - t)
finally:
    os.close(fd)
    os.unlink(path)
took.sort()
q = lambda p: took[min(len(took) - 1, int(p * len(took)))] * 1e3
print("disk: fdatasync after an 8 KiB append in %s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (500 samples)"
      % (d, q(0.5), q(0.9), q(0.99)))
