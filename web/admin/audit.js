// The append-only audit log: who changed what, when, before → after.
import { api } from "./api.js";
import { h, field, select, replace, formatWhen } from "./dom.js";
import { t } from "./i18n.js";
import { errorText, notice, noticeBox, pager, table, section, pageHeader } from "./ui.js";

const KINDS = ["", "townships", "villages", "stations", "specialty_groups", "deputies", "enterprises", "departments",
               "categories", "committees", "groups", "rules", "bind-codes"];
const PER_PAGE = 30;

function brief(v) {
  if (v === null || v === undefined || v === "") return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export async function render(root) {
  const box = noticeBox();
  const out = h("div", { id: "audit-list" });
  const state = { kind: "", page: 1 };
  const kind = select({ name: "kind" }, KINDS.map((k) => [k, k ? t("kind." + k) : t("common.all")]), "");
  const form = h("form", { class: "toolbar" }, field(t("audit.kind"), kind), h("button", { type: "submit" }, t("common.search")));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); state.kind = kind.value; state.page = 1; load(); });

  async function load() {
    try {
      const res = await api("GET", "/api/v1/audit", { query: { kind: state.kind, page: state.page, per_page: PER_PAGE } });
      replace(out, table([
        [t("audit.at"), (e) => formatWhen(e.at)],
        [t("audit.who"), (e) => e.who || ""],
        [t("audit.what"), (e) => e.what || ""],
        [t("audit.kind"), (e) => (e.kind ? t("kind." + e.kind) : "")],
        [t("audit.key"), (e) => e.key || ""],
        [t("audit.change"), (e) => h("details", null, h("summary", null, t("audit.change")),
          h("div", { class: "diff" },
            h("div", null, h("strong", null, t("audit.before")), h("pre", null, brief(e.before))),
            h("div", null, h("strong", null, t("audit.after")), h("pre", null, brief(e.after)))))],
      ], res.items || [], { class: "list", id: "audit-table" }),
      pager(res.page || state.page, res.per_page || PER_PAGE, res.total || 0, (p) => { state.page = p; load(); }));
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  }

  replace(root, pageHeader(t("audit.title")), box, section(t("audit.title"), form, out));
  await load();
}
