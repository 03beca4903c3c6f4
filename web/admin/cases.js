// The case board: filters and a paged list; one case with its log and the buttons for what
// this role may do in the case's state (the same rules as workflow/transitions.cpp; the
// server checks again and its refusal is shown).
import { api } from "./api.js";
import { h, field, select, replace, clear, formatTime } from "./dom.js";
import { t, label } from "./i18n.js";
import { errorText, notice, noticeBox, hideNotice, pager, table, section, pageHeader } from "./ui.js";

const STATES = ["new", "accepted", "assigned", "acknowledged", "replied", "rated", "closed", "reopened", "returned", "merged"];
const PER_PAGE = 20;
const filters = { status: "", deputy: "", village: "", category: "", department: "", page: 1 };

export function render(root, ctx) {
  return ctx.args[0] ? detail(root, ctx, ctx.args[0]) : list(root, ctx);
}

// What `me` may do to case `c` now.
export function availableActions(me, c) {
  const s = c.state;
  const deputyOk = me.role === "admin" || (me.role === "deputy" && !!c.deputy && c.deputy === me.scope);
  const deptOk = me.role === "department" && !!c.department && c.department === me.scope;
  const underDept = s === "assigned" || s === "acknowledged";
  const open = !["returned", "merged", "closed"].includes(s);
  const keySupervised = !!c.committee;
  const out = [];
  if (deputyOk) {
    if (s === "new") out.push("accept");
    if (["new", "accepted", "reopened"].includes(s)) out.push("assign");
    if (s === "new" || s === "accepted") out.push("return", "transfer", "merge");
    if (underDept && c.extension) out.push("approve_extension", "deny_extension");
    if (s === "replied" || s === "rated") out.push("close");
    if (["replied", "rated", "closed"].includes(s) && !c.deputy_rating) out.push("rate_department");
    if (["new", "accepted", "reopened"].includes(s) && c.handling !== "immediate" && !keySupervised) out.push("mark_immediate");
    if (open && !keySupervised) out.push("mark_key_supervision");
  }
  if (deptOk) {
    if (s === "assigned") out.push("acknowledge");
    if (underDept) out.push("reply");
    if (underDept && !c.extension) out.push("request_extension");
  }
  return out;
}

async function list(root) {
  const box = noticeBox();
  const results = h("div", { id: "cases-list" });
  const inputs = {
    status: select({ name: "status" }, [["", t("common.all")], ...STATES.map((s) => [s, label("state", s)])], filters.status),
    deputy: h("input", { name: "deputy", value: filters.deputy, size: 8 }),
    village: h("input", { name: "village", value: filters.village, size: 10 }),
    category: h("input", { name: "category", value: filters.category, size: 10 }),
    department: h("input", { name: "department", value: filters.department, size: 10 }),
  };
  const form = h("form", { class: "toolbar", id: "cases-filter" },
    field(t("cases.filter_status"), inputs.status), field(t("cases.filter_deputy"), inputs.deputy),
    field(t("cases.filter_village"), inputs.village), field(t("cases.filter_category"), inputs.category),
    field(t("cases.filter_department"), inputs.department),
    h("button", { type: "submit" }, t("cases.apply")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    for (const [k, el] of Object.entries(inputs)) filters[k] = el.value.trim();
    filters.page = 1;
    load();
  });

  async function load() {
    try {
      const res = await api("GET", "/api/v1/cases", { query: { ...filters, per_page: PER_PAGE } });
      replace(results, table([
        [t("cases.number"), (c) => h("a", { href: "#/cases/" + encodeURIComponent(c.number) }, c.number)],
        [t("cases.status"), (c) => h("span", { class: "badge state-" + c.state }, c.status || c.state)],
        [t("cases.category"), (c) => (c.category && c.category.name) || ""],
        [t("cases.village"), (c) => (c.village && c.village.name) || ""],
        [t("cases.summary"), (c) => h("span", { class: "summary" }, c.summary || "")],
        [t("cases.created"), (c) => formatTime(c.created_at)],
        [t("cases.deadline"), (c) => formatTime(c.deadline_at)],
        [t("cases.overdue"), (c) => (c.overdue && c.overdue !== "none" ? h("span", { class: "badge warn" }, label("overdue", c.overdue)) : "")],
      ], res.items || [], { class: "list", id: "cases-table" }),
      pager(res.page, res.per_page, res.total, (p) => { filters.page = p; load(); }));
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  }

  replace(root, pageHeader(t("cases.title")), box, section(t("cases.list"), form, results));
  await load();
}

function actionForm(action, c, onDone) {
  const controls = {};
  const needs = {
    return: ["reason*"], transfer: ["target_deputy*", "reason"], merge: ["target_case*", "reason"],
    assign: ["target_department*", "working_days", "immediate", "reason"], reply: ["text*"],
    request_extension: ["working_days*", "reason*"], rate_department: ["rating*", "reason"],
    mark_key_supervision: ["target_committee", "reason"],
  }[action] || ["reason"];
  const nodes = [];
  for (const spec of needs) {
    const name = spec.replace("*", "");
    const required = spec.endsWith("*");
    let control;
    if (name === "rating") {
      control = select({ name }, ["satisfied", "basically_satisfied", "dissatisfied"].map((r) => [r, t("rating." + r)]), "satisfied");
    } else if (name === "immediate") {
      control = h("input", { type: "checkbox", name });
      nodes.push(h("label", { class: "check" }, control, t("cases.immediate")));
      controls[name] = control;
      continue;
    } else if (name === "working_days") {
      control = h("input", { type: "number", name, min: 1, max: 365 });
    } else if (name === "text") {
      control = h("textarea", { name, rows: 4 });
    } else {
      control = h("input", { name });
    }
    if (required) control.required = true;
    controls[name] = control;
    const labels = { reason: "cases.reason", target_deputy: "cases.target_deputy", target_case: "cases.target_case",
                     target_department: "cases.target_department", target_committee: "cases.target_committee",
                     working_days: "cases.working_days", text: "cases.reply_text", rating: "cases.rating" };
    nodes.push(field(t(labels[name]), control));
  }
  const box = noticeBox();
  const key = crypto.randomUUID();  // a double submit of this form changes the case once
  const form = h("form", { class: "card action-form", id: "action-form", dataset: { action } },
    h("h3", null, t("action." + action)), h("div", { class: "grid" }, nodes), box,
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, t("cases.submit"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { action };
    const v = (n) => (controls[n] ? controls[n].value.trim() : "");
    if (v("reason")) body.reason = v("reason");
    for (const n of ["target_deputy", "target_case", "target_department", "target_committee"]) if (v(n)) body.target = v(n);
    if (v("text")) body.text = v("text");
    if (v("working_days")) body.working_days = Number(v("working_days"));
    if (controls.immediate && controls.immediate.checked) body.handling = "immediate";
    if (controls.rating) body.rating = controls.rating.value;
    try {
      const after = await api("POST", `/api/v1/cases/${encodeURIComponent(c.number)}/actions`, { body, headers: { "Idempotency-Key": key } });
      onDone(action, after);
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  });
  return form;
}

async function detail(root, ctx, number, flash) {
  const box = noticeBox();
  const c = await api("GET", `/api/v1/cases/${encodeURIComponent(number)}`);
  const actionArea = h("div", { id: "action-area" });
  const allowed = availableActions(ctx.me, c);
  const done = (action) => {
    detail(root, ctx, number, t("cases.done", { action: t("action." + action) }))
      .catch((err) => notice(box, "error", errorText(err)));
  };
  if (flash) notice(box, "ok", flash);
  const facts = [
    [t("cases.status"), h("span", { class: "badge state-" + c.state, id: "case-status" }, c.status || c.state)],
    [t("cases.category"), c.category ? c.category.name : ""],
    [t("cases.village"), c.village ? c.village.name : ""],
    [t("cases.deputy"), [c.deputy_name, c.deputy].filter(Boolean).join(" ")],
    [t("cases.department"), [c.department_name, c.department].filter(Boolean).join(" ")],
    [t("cases.handling"), c.committee ? t("handling.key_supervision") : label("handling", c.handling || "normal")],
    [t("cases.created"), formatTime(c.created_at)],
    [t("cases.deadline"), formatTime(c.deadline_at)],
    [t("cases.overdue"), c.overdue && c.overdue !== "none" ? label("overdue", c.overdue) : ""],
  ];
  replace(root,
    pageHeader(c.number, h("a", { href: "#/cases", class: "back" }, t("cases.back"))),
    box,
    h("div", { class: "columns" },
      section(t("cases.text"),
        h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
        h("p", { class: "case-text" }, c.text || ""),
        c.reply ? [h("h3", null, t("cases.reply")), h("p", { class: "case-text" }, c.reply)] : null,
        c.extension ? h("p", { class: "notice notice-info" }, t("cases.extension", { days: c.extension.working_days, reason: c.extension.reason })) : null),
      section(t("cases.actions"),
        allowed.length
          ? h("div", { class: "buttons", id: "case-actions" }, allowed.map((a) =>
              h("button", { type: "button", dataset: { action: a }, onclick: () => {
                hideNotice(box);
                replace(actionArea, actionForm(a, c, done));
                actionArea.querySelector("input, textarea, select, button[type=submit]")?.focus();
              } }, t("action." + a))))
          : h("p", { class: "muted" }, t("cases.no_actions")),
        actionArea)),
    section(t("cases.log"), table([
      [t("cases.log_at"), (e) => formatTime(e.at)],
      [t("cases.log_what"), (e) => label("log", e.what)],
      [t("cases.log_by"), (e) => (e.by && (e.by.name || e.by.role)) || ""],
      [t("cases.log_why"), (e) => e.why || ""],
    ], c.log || [], { class: "list", id: "case-log" })));
  clear(actionArea);
}
