// Categories (keywords with weights, default department, deadline class) and the deadline
// table (working days, reminder, escalation per handling class and deadline class).
import { api } from "./api.js";
import { h, field, replace, clear } from "./dom.js";
import { t, label } from "./i18n.js";
import { itemForm } from "./forms.js";
import { errorText, notice, noticeBox, hideNotice, table, section, pageHeader } from "./ui.js";

const POLICY = [["working_days", "rules.working_days"], ["reminder_before_working_days", "rules.reminder"],
                ["escalate_after_overdue_working_days", "rules.escalate"]];

export async function render(root) {
  const box = noticeBox();
  const editor = h("div", { id: "category-editor" });
  const cats = h("div", { id: "categories-list" });
  const deadlines = h("div", { id: "deadlines" });

  async function loadCategories() {
    try {
      const res = await api("GET", "/api/v1/roster/categories", { query: { per_page: 100 } });
      replace(cats, table([
        [t("field.id"), (c) => c.id],
        [t("field.name"), (c) => c.name],
        [t("field.department"), (c) => c.department || ""],
        [t("field.deadline_class"), (c) => label("class", c.deadline_class || "standard")],
        [t("field.phrases"), (c) => h("span", { title: Object.keys(c.phrases || {}).join("、") },
                                      t("rules.phrase_count", { n: Object.keys(c.phrases || {}).length }))],
        [t("common.actions"), (c) => h("button", { type: "button", onclick: () => edit(c) }, t("common.edit"))],
      ], res.items || [], { class: "list", id: "categories-table" }));
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  }

  function edit(item) {
    hideNotice(box);
    const isNew = !item;
    const form = itemForm("categories", item, isNew);
    const formBox = noticeBox();
    const el = h("form", { class: "card editor", id: "category-form" },
      h("h2", null, isNew ? t("roster.new", { kind: t("kind.categories") })
                          : t("roster.edit", { kind: t("kind.categories"), key: item.id })),
      h("div", { class: "grid" }, form.nodes), formBox,
      h("div", { class: "buttons" },
        h("button", { type: "submit", class: "primary" }, t("common.save")),
        h("button", { type: "button", onclick: () => clear(editor) }, t("common.cancel"))));
    el.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const value = form.read();
      try {
        const res = await api("PUT", `/api/v1/roster/categories/${encodeURIComponent(value.id || "")}`, { body: value });
        clear(editor);
        notice(box, "ok", t("common.saved"), " ", t("roster.version", { version: res.version }));
        loadCategories();
      } catch (err) {
        form.mark(err.field);
        notice(formBox, "error", errorText(err));
      }
    });
    replace(editor, el);
  }

  async function loadDeadlines() {
    const dBox = noticeBox();
    let res;
    try {
      res = await api("GET", "/api/v1/rules/deadlines");
    } catch (err) {
      notice(box, "error", errorText(err));
      return;
    }
    const table_ = res.deadlines || {};
    const inputs = [];
    const rows = [];
    for (const handling of ["normal", "immediate", "key_supervision"]) {
      for (const [cls, policy] of Object.entries(table_[handling] || {})) {
        rows.push(h("tr", null,
          h("th", { scope: "row" }, label("handling", handling)),
          h("td", null, label("class", cls)),
          POLICY.map(([key]) => {
            const input = h("input", { type: "number", min: 0, max: 365, value: String(policy[key] ?? ""),
                                       name: `${handling}.${cls}.${key}`, class: "num" });
            inputs.push([handling, cls, key, input]);
            return h("td", null, input);
          })));
      }
    }
    const office = h("input", { type: "number", min: 0, max: 23, name: "office_hour", value: String(table_.office_hour ?? 9), class: "num" });
    const form = h("form", { id: "deadlines-form" },
      h("div", { class: "table-wrap" }, h("table", { class: "list", id: "deadlines-table" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, t("rules.handling")), h("th", { scope: "col" }, t("rules.class")),
          POLICY.map(([, k]) => h("th", { scope: "col" }, t(k))))),
        h("tbody", null, rows))),
      h("div", { class: "toolbar" }, field(t("rules.office_hour"), office),
        h("button", { type: "submit", class: "primary" }, t("rules.save_deadlines"))),
      dBox);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const next = JSON.parse(JSON.stringify(table_));
      next.office_hour = Number(office.value);
      for (const [handling, cls, key, input] of inputs) next[handling][cls][key] = Number(input.value);
      try {
        const saved = await api("PUT", "/api/v1/rules/deadlines", { body: { deadlines: next } });
        notice(dBox, "ok", t("common.saved"), " ", t("roster.version", { version: saved.version }));
      } catch (err) {
        notice(dBox, "error", errorText(err));
      }
    });
    replace(deadlines, form);
  }

  replace(root,
    pageHeader(t("rules.title")), box, editor,
    section(t("rules.categories"),
      h("div", { class: "toolbar" }, h("button", { type: "button", class: "primary", onclick: () => edit(null) },
        t("roster.new", { kind: t("kind.categories") }))),
      cats),
    section(t("rules.deadlines"), deadlines));
  await Promise.all([loadCategories(), loadDeadlines()]);
}
