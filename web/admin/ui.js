// Pieces every console page uses: messages, error text, paging, tables.
import { h, replace } from "./dom.js";
import { t } from "./i18n.js";

// The Chinese text for an API error, with the server's own words and the field it names.
export function errorText(err) {
  if (!err || err.status === undefined) return String(err && err.message ? err.message : err);
  const p = { message: err.message, status: err.status };
  let text;
  if (err.status === 0) text = t("error.network");
  else if (err.code === "in_use") text = t("error.in_use", p);
  else if (err.status === 422) text = t("error.validation", p);
  else if (err.status === 409) text = t("error.conflict", p);
  else if (err.status === 401) text = t("error.unauthorized");
  else if (err.status === 403) text = t("error.forbidden") + (err.message ? `（${err.message}）` : "");
  else if (err.status === 404) text = t("error.not_found") + (err.message ? `（${err.message}）` : "");
  else if (err.status === 503) text = t("error.storage_unavailable");
  else text = t("error.generic", p);
  if (err.field) text += t("common.field", { field: err.field });
  return text;
}

// A message box: kind "ok" | "error" | "info".
export function notice(box, kind, ...content) {
  box.hidden = false;
  box.className = "notice notice-" + kind;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  replace(box, ...content);
}

export function noticeBox() {
  const box = h("div", { class: "notice" });
  box.hidden = true;
  return box;
}

export function hideNotice(box) {
  box.hidden = true;
}

export function pager(page, perPage, total, go) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return h("nav", { class: "pager", "aria-label": "pager" },
    h("button", { type: "button", disabled: page <= 1, onclick: () => go(page - 1) }, t("common.prev")),
    h("span", { class: "pager-info" }, t("common.page", { page, pages, total })),
    h("button", { type: "button", disabled: page >= pages, onclick: () => go(page + 1) }, t("common.next")));
}

// columns: [[heading, item => cell content], ...]
export function table(columns, items, attrs = {}) {
  if (!items.length) return h("p", { class: "empty" }, t("common.none"));
  return h("div", { class: "table-wrap" },
    h("table", attrs,
      h("thead", null, h("tr", null, columns.map(([head]) => h("th", { scope: "col" }, head)))),
      h("tbody", null, items.map((item) => h("tr", null, columns.map(([, cell]) => h("td", null, cell(item))))))));
}

export function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", null, title), ...children);
}

export function pageHeader(title, ...extra) {
  return h("header", { class: "page-header" }, h("h1", null, title), ...extra);
}
