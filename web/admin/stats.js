// Statistics (汇总) for a period, grouped by category, village, township, deputy or department:
// counts by state and the rates as bar charts, the groups, the overdue list, the most
// concentrated problems, and the case ledger exports.
import { api, download, query } from "./api.js";
import { h, field, select, replace, formatTime } from "./dom.js";
import { t, label } from "./i18n.js";
import { barChart } from "./charts.js";
import { errorText, notice, noticeBox, hideNotice, table, section, pageHeader } from "./ui.js";

const STATES = ["new", "accepted", "assigned", "acknowledged", "replied", "rated", "closed", "reopened", "returned", "merged"];
const RATES = [["response_rate", "stats.rate.response"], ["resolution_rate", "stats.rate.resolution"],
               ["satisfaction_rate", "stats.rate.satisfaction"], ["on_time_rate", "stats.rate.on_time"]];
const GROUPINGS = ["category", "village", "township", "deputy", "department"];

// A ratio {count, of, rate} (rate 0..1 or null) as a percentage.
function percent(r) {
  if (!r || r.rate === null || r.rate === undefined) return null;
  return Math.round(r.rate * 1000) / 10;
}

function named(v) {
  if (!v) return "";
  return typeof v === "object" ? v.name || v.id || "" : String(v);
}

// The dates are the tenant's (Beijing time), not the browser's: between midnight in Beijing and
// midnight where the browser is, "today" differs. So the first load sends no dates, the
// server uses its default (the last 30 days up to today there), and the form shows them.
const state = { from: "", to: "", by: "category" };

export async function render(root) {
  const box = noticeBox();
  const out = h("div", { id: "stats-result" });
  const from = h("input", { type: "date", name: "from", value: state.from });
  const to = h("input", { type: "date", name: "to", value: state.to });
  const by = select({ name: "by" }, GROUPINGS.map((g) => [g, t("stats.by." + g)]), state.by);
  const form = h("form", { class: "toolbar", id: "stats-form" },
    field(t("stats.from"), from), field(t("stats.to"), to), field(t("stats.by"), by),
    h("button", { type: "submit", class: "primary" }, t("stats.show")),
    h("span", { class: "spacer" }),
    h("button", { type: "button", id: "export-cases-csv", onclick: () => exportLedger("csv") }, t("stats.export_csv")),
    h("button", { type: "button", id: "export-cases-xlsx", onclick: () => exportLedger("xlsx") }, t("stats.export_xlsx")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    Object.assign(state, { from: from.value, to: to.value, by: by.value });
    load();
  });

  async function exportLedger(ext) {
    try {
      await download(`/api/v1/exports/cases.${ext}` + query({ from: state.from, to: state.to }),
                     `cases-${state.from}-${state.to}.${ext}`);
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  }

  async function load() {
    hideNotice(box);
    let res;
    try {
      res = await api("GET", "/api/v1/stats", { query: { from: state.from, to: state.to, by: state.by } });
    } catch (err) {
      notice(box, "error", errorText(err));
      replace(out);
      return;
    }
    if (res.period) {
      state.from = from.value = res.period.from;
      state.to = to.value = res.period.to;
    }
    const tot = res.totals || {};
    const states = tot.states || {};
    const median = tot.median_handling_hours;
    const medianText = median === null || median === undefined ? t("stats.median_none")
      : t("stats.median", { value: median >= 48 ? t("stats.days", { n: Math.round(median / 24 * 10) / 10 })
                                                : t("stats.hours", { n: Math.round(median * 10) / 10 }) });
    const groups = res.groups || [];
    replace(out,
      h("div", { class: "kpis" },
        h("div", { class: "kpi", id: "kpi-total" }, h("span", { class: "kpi-value" }, String(tot.cases ?? 0)), h("span", null, t("stats.total"))),
        RATES.map(([k, key]) => {
          const v = percent(tot[k]);
          return h("div", { class: "kpi" }, h("span", { class: "kpi-value" }, v === null ? "—" : v + "%"), h("span", null, t(key)));
        }),
        h("p", { class: "median" }, medianText)),
      h("div", { class: "columns" },
        section(t("stats.by_state"), barChart(STATES.map((s) => ({ label: label("state", s), value: states[s] || 0, className: "state-" + s })),
                                              { title: t("stats.chart_state"), id: "chart-states" })),
        section(t("stats.rates"), barChart(RATES.map(([k, key]) => {
          const v = percent(tot[k]);
          return { label: t(key), value: v, text: v === null ? "—" : `${v}%（${tot[k].count}/${tot[k].of}）` };
        }), { title: t("stats.chart_rates"), max: 100, id: "chart-rates", valueW: 150 }))),
      section(t("stats.groups") + " · " + t("stats.by." + state.by), table([
        [t("stats.group"), (g) => g.name || g.key || "—"],
        [t("stats.count"), (g) => String(g.cases ?? 0)],
        ...RATES.map(([k, key]) => [t(key), (g) => { const v = percent(g[k]); return v === null ? "—" : v + "%"; }]),
        [t("cases.overdue"), (g) => String(g.overdue ?? 0)],
      ], groups, { class: "list", id: "stats-groups" })),
      h("div", { class: "columns" },
        section(t("stats.overdue"), table([
          [t("cases.number"), (o) => h("a", { href: "#/cases/" + encodeURIComponent(o.number) }, o.number)],
          [t("cases.category"), (o) => named(o.category)],
          [t("cases.village"), (o) => named(o.village)],
          [t("cases.department"), (o) => named(o.department)],
          [t("cases.deadline"), (o) => formatTime(o.deadline_at)],
          [t("cases.overdue"), (o) => t("stats.days", { n: o.days_overdue })],
        ], res.overdue || [], { class: "list", id: "stats-overdue" })),
        section(t("stats.top"), table([
          [t("cases.category"), (c) => named(c.category)],
          [t("cases.village"), (c) => named(c.village) || named(c.township)],
          [t("stats.count"), (c) => t("stats.top_count", { n: c.count })],
        ], res.clusters || [], { class: "list", id: "stats-top" }))));
  }

  replace(root, pageHeader(t("stats.title")), box, section(t("stats.period"), form), out);
  await load();
}
