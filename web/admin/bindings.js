// Chat-group bindings: the bound groups (search, remove, register directly with validity
// dates) and one-time binding codes that anyone in the group redeems with 「绑定 <code>」.
import { api } from "./api.js";
import { h, field, select, replace, clear, formatWhen } from "./dom.js";
import { t } from "./i18n.js";
import { errorText, notice, noticeBox, hideNotice, pager, table, section, pageHeader } from "./ui.js";

const TARGETS = ["village", "station", "enterprise"];
const PLATFORMS = ["onebot", "qq", "wecom", "wechat", "sandbox"];
const PER_PAGE = 20;

function targetOf(item) {
  for (const k of TARGETS) if (item && item[k]) return [k, item[k]];
  return ["", ""];
}

// A code's target may come as {"village": "x"} or as "village:x".
function targetText(target) {
  if (!target) return "";
  if (typeof target === "string") {
    const [k, ...rest] = target.split(":");
    return TARGETS.includes(k) ? `${t("target." + k)} ${rest.join(":")}` : target;
  }
  const [k, v] = targetOf(target);
  if (k) return `${t("target." + k)} ${v}${target.name ? "（" + target.name + "）" : ""}`;
  return Object.values(target).join(" ");
}

export async function render(root, ctx) {
  const box = noticeBox();
  const shown = h("div", { id: "code-shown" });
  const pending = h("div", { id: "codes-list" });
  const groups = h("div", { id: "groups-list" });
  const state = { q: "", page: 1 };

  // One-time codes.
  const kindSel = select({ name: "target_kind" }, TARGETS.map((k) => [k, t("target." + k)]), "village");
  const targetId = h("input", { name: "target_id", required: true });
  const ttl = h("input", { name: "ttl_minutes", type: "number", min: 1, max: 10080, value: "60" });
  const unbind = h("input", { name: "unbind", type: "checkbox" });
  const codeForm = h("form", { class: "toolbar", id: "code-form" },
    field(t("bindings.target_kind"), kindSel), field(t("bindings.target_id"), targetId),
    field(t("bindings.ttl"), ttl),
    h("label", { class: "check" }, unbind, t("bindings.unbind")),
    h("button", { type: "submit", class: "primary" }, t("bindings.new_code")));
  codeForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    hideNotice(box);
    const body = { [kindSel.value]: targetId.value.trim() };
    if (ttl.value) body.ttl_minutes = Number(ttl.value);
    if (unbind.checked) body.unbind = true;
    try {
      const res = await api("POST", "/api/v1/bind-codes", { body });
      showCode(res);
      loadCodes();
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  });

  function showCode(res) {
    const word = res.unbind ? "解绑" : "绑定";
    replace(shown, h("div", { class: "code-card", role: "status" },
      h("p", null, t(res.unbind ? "bindings.unbind_code_for" : "bindings.code_for", { target: targetText(res.target) })),
      h("p", null, t("bindings.say")),
      h("p", { class: "code-big", id: "code-big" }, `${word} ${res.code}`),
      h("p", { class: "muted" }, t("bindings.expires", { at: formatWhen(res.expires_at) })),
      h("button", { type: "button", onclick: () => clear(shown) }, t("common.close"))));
  }

  async function loadCodes() {
    try {
      const res = await api("GET", "/api/v1/bind-codes");
      replace(pending, table([
        [t("bindings.code"), (c) => h("code", null, c.code)],
        [t("bindings.kind"), (c) => t(c.unbind ? "bindings.code_kind_unbind" : "bindings.code_kind_bind")],
        [t("field.target"), (c) => targetText(c.target)],
        [t("bindings.expires_at"), (c) => formatWhen(c.expires_at)],
        [t("common.actions"), (c) => h("button", { type: "button", class: "danger", onclick: async () => {
          try {
            await api("DELETE", `/api/v1/bind-codes/${encodeURIComponent(c.code)}`);
            loadCodes();
          } catch (err) { notice(box, "error", errorText(err)); }
        } }, t("bindings.revoke"))],
      ], res.items || [], { class: "list", id: "codes-table" }));
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  }

  // Bound groups.
  const q = h("input", { type: "search", name: "q", placeholder: t("common.search_placeholder") });
  const search = h("form", { class: "toolbar", id: "groups-search" }, field(t("common.search"), q),
    h("button", { type: "submit" }, t("common.search")),
    h("button", { type: "button", id: "groups-refresh", onclick: () => loadGroups() }, t("common.refresh")));
  search.addEventListener("submit", (ev) => { ev.preventDefault(); state.q = q.value.trim(); state.page = 1; loadGroups(); });

  async function loadGroups() {
    try {
      const res = await api("GET", "/api/v1/roster/groups", { query: { q: state.q, page: state.page, per_page: PER_PAGE } });
      replace(groups, table([
        [t("field.platform"), (g) => g.platform],
        [t("field.bot"), (g) => g.bot],
        [t("field.group"), (g) => h("code", null, g.group)],
        [t("field.name"), (g) => g.name || ""],
        [t("field.target"), (g) => { const [k, v] = targetOf(g); return k ? `${t("target." + k)} ${v}` : ""; }],
        [t("bindings.validity"), (g) => (g.valid_from || g.valid_until)
          ? `${g.valid_from || "…"} — ${g.valid_until || "…"}` : t("bindings.always")],
        [t("common.actions"), (g) => h("button", { type: "button", class: "danger", onclick: async () => {
          try {
            await api("DELETE", `/api/v1/roster/groups/${encodeURIComponent(`${g.platform}:${g.bot}:${g.group}`)}`);
            notice(box, "ok", t("common.deleted"));
            loadGroups();
          } catch (err) { notice(box, "error", errorText(err)); }
        } }, t("bindings.remove"))],
      ], res.items || [], { class: "list", id: "groups-table" }),
      pager(res.page || state.page, res.per_page || PER_PAGE, res.total || 0, (p) => { state.page = p; loadGroups(); }));
    } catch (err) {
      notice(box, "error", errorText(err));
    }
  }

  // Registering a binding directly (platform, bot, group id known).
  const f = {
    platform: select({ name: "platform" }, PLATFORMS.map((p) => [p, p]), "onebot"),
    bot: h("input", { name: "bot", value: "demo", required: true }),
    group: h("input", { name: "group", required: true }),
    kind: select({ name: "kind" }, TARGETS.map((k) => [k, t("target." + k)]), "village"),
    target: h("input", { name: "target", required: true }),
    name: h("input", { name: "name" }),
    valid_from: h("input", { name: "valid_from", type: "date" }),
    valid_until: h("input", { name: "valid_until", type: "date" }),
  };
  const addBox = noticeBox();
  const addForm = h("form", { class: "grid", id: "group-form" },
    field(t("field.platform"), f.platform), field(t("field.bot"), f.bot), field(t("field.group"), f.group),
    field(t("bindings.target_kind"), f.kind), field(t("bindings.target_id"), f.target), field(t("field.name"), f.name),
    field(t("field.valid_from"), f.valid_from), field(t("field.valid_until"), f.valid_until),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, t("common.save"))), addBox);
  addForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const item = { platform: f.platform.value, bot: f.bot.value.trim(), group: f.group.value.trim(),
                   [f.kind.value]: f.target.value.trim() };
    if (f.name.value.trim()) item.name = f.name.value.trim();
    if (f.valid_from.value) item.valid_from = f.valid_from.value;
    if (f.valid_until.value) item.valid_until = f.valid_until.value;
    try {
      await api("PUT", `/api/v1/roster/groups/${encodeURIComponent(`${item.platform}:${item.bot}:${item.group}`)}`, { body: item });
      notice(addBox, "ok", t("common.saved"));
      loadGroups();
    } catch (err) {
      notice(addBox, "error", errorText(err));
    }
  });

  replace(root,
    pageHeader(t("bindings.title")),
    h("p", { class: "intro" }, t("bindings.intro")),
    box,
    section(t("bindings.codes"), codeForm, shown, h("h3", null, t("bindings.pending")), pending),
    section(t("bindings.list"), search, groups),
    section(t("bindings.add"), addForm));
  await Promise.all([loadCodes(), loadGroups()]);
}
