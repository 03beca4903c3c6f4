// The roster: one tab per kind; search, filters and paging; an edit form for one item;
// delete with the server's "in use" answer; CSV export and import with a dry run first.
import { api, download } from "./api.js";
import { h, field, replace, clear } from "./dom.js";
import { t } from "./i18n.js";
import { KINDS, itemForm } from "./forms.js";
import { errorText, notice, noticeBox, hideNotice, pager, table, section, pageHeader } from "./ui.js";

const TABS = ["villages", "deputies", "stations", "townships", "specialty_groups", "enterprises", "departments", "committees"];
const CSV_KINDS = ["deputies", "villages", "stations", "departments"];
const PER_PAGE = 20;

export async function render(root, ctx) {
  const kind = TABS.includes(ctx.args[0]) ? ctx.args[0] : TABS[0];
  const spec = KINDS[kind];
  const state = { q: "", page: 1, filters: {} };
  const box = noticeBox();
  const editor = h("div", { id: "roster-editor" });
  const listArea = h("div", { id: "roster-list" });
  const version = h("span", { class: "muted", id: "roster-version" });

  const tabs = h("nav", { class: "tabs", "aria-label": t("roster.title") },
    TABS.map((k) => h("a", { href: "#/roster/" + k, "aria-current": k === kind ? "page" : null }, t("kind." + k))));

  const q = h("input", { type: "search", name: "q", placeholder: t("common.search_placeholder") });
  const filterInputs = (spec.filters || []).map((f) => [f, h("input", { name: f, size: 10 })]);
  const search = h("form", { class: "toolbar", id: "roster-search" },
    field(t("common.search"), q),
    filterInputs.map(([f, input]) => field(t("field." + f), input)),
    h("button", { type: "submit" }, t("common.search")),
    h("span", { class: "spacer" }),
    h("button", { type: "button", class: "primary", id: "roster-new", onclick: () => edit(null) },
      t("roster.new", { kind: t("kind." + kind) })));
  search.addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.q = q.value.trim();
    state.filters = Object.fromEntries(filterInputs.map(([f, i]) => [f, i.value.trim()]));
    state.page = 1;
    load();
  });

  async function load() {
    try {
      const res = await api("GET", `/api/v1/roster/${kind}`, { query: { q: state.q, page: state.page, per_page: PER_PAGE, ...state.filters } });
      version.textContent = t("roster.version", { version: res.version });
      const cols = [[t(spec.key === "code" ? "field.code" : "field.id"), (it) => it[spec.key]],
                    [t("field.name"), (it) => it.name]];
      for (const c of spec.columns || []) cols.push([t("field." + c), (it) => (c === "level" ? t("level." + it[c]) : it[c] ?? "")]);
      cols.push([t("common.actions"), (it) => rowActions(it)]);
      replace(listArea, table(cols, res.items || [], { class: "list", id: "roster-table" }),
              pager(res.page || state.page, res.per_page || PER_PAGE, res.total || 0, (p) => { state.page = p; load(); }));
    } catch (err) {
      notice(box, "error", errorText(err));
      clear(listArea);
    }
  }

  function rowActions(item) {
    const key = item[spec.key];
    const cell = h("span", { class: "row-actions" });
    const confirmDelete = () => {
      replace(cell, h("span", null, t("common.confirm_delete", { key })),
        h("button", { type: "button", class: "danger confirm-delete", onclick: () => remove(key) }, t("common.delete")),
        h("button", { type: "button", onclick: () => replace(cell, ...buttons()) }, t("common.cancel")));
    };
    const buttons = () => [
      h("button", { type: "button", onclick: () => edit(item), dataset: { key } }, t("common.edit")),
      h("button", { type: "button", class: "danger", onclick: confirmDelete, dataset: { key } }, t("common.delete"))];
    replace(cell, ...buttons());
    return cell;
  }

  async function remove(key) {
    try {
      const res = await api("DELETE", `/api/v1/roster/${kind}/${encodeURIComponent(key)}`);
      notice(box, "ok", t("common.deleted"), " ", t("roster.version", { version: res.version }));
      load();
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  }

  async function edit(item) {
    hideNotice(box);
    let current = item;
    if (item) {
      try {
        current = (await api("GET", `/api/v1/roster/${kind}/${encodeURIComponent(item[spec.key])}`)).item;
      } catch (err) {
        return notice(box, "error", errorText(err));
      }
    }
    const isNew = !current;
    const form = itemForm(kind, current, isNew);
    const formBox = noticeBox();
    const el = h("form", { class: "card editor", id: "roster-form" },
      h("h2", null, isNew ? t("roster.new", { kind: t("kind." + kind) })
                          : t("roster.edit", { kind: t("kind." + kind), key: current[spec.key] })),
      h("div", { class: "grid" }, form.nodes),
      formBox,
      h("div", { class: "buttons" },
        h("button", { type: "submit", class: "primary" }, t("common.save")),
        h("button", { type: "button", onclick: () => clear(editor) }, t("common.cancel"))));
    el.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const value = form.read();
      const key = value[spec.key];
      try {
        const res = await api("PUT", `/api/v1/roster/${kind}/${encodeURIComponent(key || "")}`, { body: value });
        clear(editor);
        notice(box, "ok", isNew ? t("roster.created", { key }) : t("common.saved"), " ",
               t("roster.version", { version: res.version }));
        load();
      } catch (err) {
        form.mark(err.field);
        notice(formBox, "error", errorText(err));
      }
    });
    replace(editor, el);
    el.querySelector("input:not([readonly]), select, textarea")?.focus();
  }

  replace(root,
    pageHeader(t("roster.title"), version),
    tabs, box, editor,
    section(t("kind." + kind), search, listArea),
    CSV_KINDS.includes(kind) ? importExport(kind, () => load()) : null);
  await load();
}

function importExport(kind, reload) {
  const box = noticeBox();
  const report = h("div", { id: "import-report" });
  const file = h("input", { type: "file", name: "csv", accept: ".csv,text/csv", id: "import-file" });
  const realButton = h("button", { type: "button", class: "primary", id: "import-run", disabled: true }, t("roster.do_import"));
  let checked = null;  // the text that passed a dry run

  async function readFile() {
    const f = file.files && file.files[0];
    if (!f) return null;
    return f.text();
  }

  async function run(dryRun) {
    hideNotice(box);
    clear(report);
    const text = await readFile();
    if (text === null) return notice(box, "error", t("roster.no_file"));
    if (!dryRun && text !== checked) return notice(box, "error", t("roster.import_needs_dry_run"));
    try {
      const res = await api("POST", `/api/v1/imports/roster/${kind}`, {
        query: dryRun ? { dry_run: "true" } : {}, text, contentType: "text/csv; charset=utf-8" });
      if (dryRun) {
        checked = text;
        realButton.disabled = false;
        notice(box, "ok", t("roster.dry_ok", res));
      } else {
        checked = null;
        realButton.disabled = true;
        notice(box, "ok", t("roster.imported", res));
        reload();
      }
    } catch (err) {
      checked = null;
      realButton.disabled = true;
      const errors = (err.body && err.body.errors) || [];
      if (errors.length) {
        notice(box, "error", t("roster.dry_bad", { n: errors.length }));
        replace(report, h("ol", { class: "import-errors" }, errors.map((e) =>
          h("li", null, h("strong", null, t("roster.line", { line: e.line })),
            e.field ? h("code", null, e.field) : null, " ", e.message))));
      } else {
        notice(box, "error", errorText(err));
      }
    }
  }

  file.addEventListener("change", () => { checked = null; realButton.disabled = true; clear(report); hideNotice(box); });
  realButton.addEventListener("click", () => run(false));
  return section(t("roster.import") + " / " + t("roster.export"),
    h("div", { class: "toolbar" },
      h("button", { type: "button", id: "export-csv", onclick: async () => {
        try { await download(`/api/v1/exports/roster/${kind}.csv`, `${kind}.csv`); } catch (err) { notice(box, "error", errorText(err)); }
      } }, t("roster.export")),
      field(t("roster.import_file"), file),
      h("button", { type: "button", id: "import-dry-run", onclick: () => run(true) }, t("roster.dry_run")),
      realButton),
    box, report);
}
