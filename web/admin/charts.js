// Hand-written SVG bar charts (horizontal bars: Chinese labels read best on the left).
import { h, s } from "./dom.js";

// rows: [{label, value, text}] (value a number or null: drawn as an empty row with "—").
// opts: {title, max, id}
export function barChart(rows, opts = {}) {
  const W = 640, labelW = 120, valueW = opts.valueW ?? 70, row = 30, pad = 8;
  const height = pad * 2 + rows.length * row;
  const max = opts.max ?? Math.max(1, ...rows.map((r) => r.value || 0));
  const barSpace = W - labelW - valueW;
  const svg = s("svg", { viewBox: `0 0 ${W} ${height}`, role: "img", "aria-label": opts.title || "", class: "chart",
                         preserveAspectRatio: "xMinYMin meet" },
    s("title", null, opts.title || ""),
    rows.map((r, i) => {
      const y = pad + i * row;
      const w = r.value ? Math.max(2, (r.value / max) * barSpace) : 0;
      return s("g", { class: "bar-row" },
        s("text", { x: labelW - 8, y: y + row / 2, class: "bar-label", "text-anchor": "end", "dominant-baseline": "middle" }, r.label),
        s("rect", { x: labelW, y: y + 5, width: barSpace, height: row - 10, class: "bar-track" }),
        s("rect", { x: labelW, y: y + 5, width: w, height: row - 10, class: "bar " + (r.className || "") },
          s("title", null, `${r.label}：${r.text ?? r.value}`)),
        s("text", { x: labelW + barSpace + 8, y: y + row / 2, class: "bar-value", "dominant-baseline": "middle" },
          r.value === null || r.value === undefined ? "—" : (r.text ?? String(r.value))));
    }));
  return h("figure", { class: "chart-figure", id: opts.id || null },
    svg, opts.caption ? h("figcaption", null, opts.caption) : null);
}
