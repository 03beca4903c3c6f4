#!/usr/bin/env python3
"""Summaries and the plot for bench/compare.sh (no third-party modules).

  bench/plot_svg.py --summary ROWS.tsv        medians per (section, target) and the ratios
  bench/plot_svg.py --svg ROWS.tsv OUT.svg    a bar chart of the medians (hand-written SVG)

ROWS.tsv: section, target, round, rps, p50_ms, p99_ms, requests, counted, load1 (tab-separated,
header line first). For notify/sched rows, rps is the rate the section measures (messages/s,
timers/s) and p50/p99 are its latencies in ms.
"""
import statistics
import sys
from collections import OrderedDict

UNITS = {"limit": "requests/s", "koishi": "events/s", "koishi-new": "events/s", "notify": "messages/s", "sched": "timers/s"}
TITLES = {"limit": "Same load at the limit (bare Beast vs Lianxin)",
          "koishi": "Addressed events: Lianxin vs Koishi 4",
          "koishi-new": "Addressed events, new words in each: Lianxin vs Koishi 4",
          "notify": "Outbox delivery", "sched": "Scheduler: due timers"}


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            if line.strip():
                rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    return rows


def medians(rows):
    groups = OrderedDict()
    for r in rows:
        groups.setdefault((r["section"], r["target"]), []).append(r)
    out = OrderedDict()
    for key, rs in groups.items():
        med = lambda k: statistics.median(float(r[k]) for r in rs)  # noqa: E731
        out[key] = {"rounds": len(rs), "rps": med("rps"), "p50": med("p50_ms"), "p99": med("p99_ms"),
                    "requests": med("requests"), "counted": med("counted"), "load": med("load1"),
                    "rps_all": [float(r["rps"]) for r in rs]}
    return out


def summary(path):
    m = medians(read(path))
    for (sec, tgt), v in m.items():
        print(f"{sec:7} {tgt:22} rounds {v['rounds']}  median {v['rps']:10.0f} {UNITS.get(sec, '/s')}"
              f"  p50 {v['p50']:9.3f} ms  p99 {v['p99']:9.3f} ms  requests {v['requests']:.0f}"
              f"  counted {v['counted']:.0f}  load1 {v['load']:.2f}"
              f"  (rounds: {', '.join(f'{x:.0f}' for x in v['rps_all'])})")
    if ("limit", "lianxin") in m and ("limit", "bare-beast") in m:
        print(f"ratio: Lianxin = {m['limit', 'lianxin']['rps'] / m['limit', 'bare-beast']['rps']:.1%} of bare Beast"
              " (medians)")
    if ("limit", "lianxin-everysec") in m and ("limit", "bare-beast") in m:
        print(f"ratio: Lianxin (appendfsync everysec) = "
              f"{m['limit', 'lianxin-everysec']['rps'] / m['limit', 'bare-beast']['rps']:.1%} of bare Beast (medians)")
    for sec in ("koishi", "koishi-new"):
        if (sec, "lianxin") in m and (sec, "koishi") in m:
            print(f"ratio ({sec}): Lianxin = {m[sec, 'lianxin']['rps'] / m[sec, 'koishi']['rps']:.1f}x Koishi"
                  " (median events/s)")
    if ("notify", "plain") in m and ("notify", "with-limited") in m:
        print(f"ratio: with a rate-limited target in the mix = "
              f"{m['notify', 'with-limited']['rps'] / m['notify', 'plain']['rps']:.1%} of the plain rate")


def svg(path, out):
    m = medians(read(path))
    sections = OrderedDict()
    for (sec, tgt), v in m.items():
        sections.setdefault(sec, []).append((tgt, v))
    width, bar_h, gap, left = 820, 22, 8, 200
    y = 40
    parts = []
    colors = {"lianxin": "#c0392b", "lianxin-everysec": "#e74c3c", "bare-beast": "#7f8c8d", "koishi": "#2980b9"}
    for sec, items in sections.items():
        parts.append(f'<text x="10" y="{y}" font-size="15" font-weight="bold">{TITLES.get(sec, sec)}'
                     f' — median {UNITS.get(sec, "per s")}</text>')
        y += 12
        top = max(v["rps"] for _, v in items) or 1
        for tgt, v in items:
            w = max(1.0, (width - left - 150) * v["rps"] / top)
            c = colors.get(tgt, "#27ae60" if "limited" not in tgt else "#e67e22")
            parts.append(f'<text x="{left - 8}" y="{y + 16}" font-size="13" text-anchor="end">{tgt}</text>')
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{c}"/>')
            p99 = f' (p99 {v["p99"]:,.1f} ms)' if v["p99"] > 0 else ""
            parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 16}" font-size="13">{v["rps"]:,.0f}{p99}</text>')
            y += bar_h + gap
        y += 28
    body = "\n".join(parts)
    doc = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
           f'font-family="sans-serif" viewBox="0 0 {width} {y}">\n'
           f'<rect width="100%" height="100%" fill="white"/>\n'
           f'<text x="10" y="20" font-size="12" fill="#555">Lianxin benchmarks (bench/compare.sh, {path.split("/")[-1]}),'
           f' medians of the rounds; 2-core VM</text>\n{body}\n</svg>\n')
    with open(out, "w", encoding="utf-8") as f:
        f.write(doc)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--summary":
        summary(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "--svg":
        svg(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
