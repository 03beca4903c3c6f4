// The console shell: sign-in, navigation by role (from /api/v1/me) and a hash router
// (#/cases, #/cases/RN-…, #/roster/deputies, …). Each page is a module with render(root, ctx).
import { api, session, setUnauthorizedHandler } from "./api.js";
import { h, replace } from "./dom.js";
import { t, label } from "./i18n.js";
import { errorText, notice, noticeBox } from "./ui.js";
import * as bindings from "./bindings.js";
import * as roster from "./roster.js";
import * as rules from "./rules.js";
import * as cases from "./cases.js";
import * as stats from "./stats.js";
import * as audit from "./audit.js";

const PAGES = {
  bindings: { module: bindings, nav: "nav.bindings" },
  roster: { module: roster, nav: "nav.roster" },
  rules: { module: rules, nav: "nav.rules" },
  cases: { module: cases, nav: "nav.cases" },
  stats: { module: stats, nav: "nav.stats" },
  audit: { module: audit, nav: "nav.audit" },
};

// What each role may open; the API checks again on every request.
const ROLE_PAGES = {
  admin: ["cases", "bindings", "roster", "rules", "stats", "audit"],
  station: ["cases", "bindings", "roster", "stats"],
  deputy: ["cases", "stats"],
  department: ["cases", "stats"],
  viewer: ["stats"],
};

const root = document.getElementById("app");
let me = null;

function signIn(message) {
  me = null;
  document.title = t("signin.title") + " · " + t("app.title");
  const box = noticeBox();
  const input = h("input", { type: "password", name: "token", id: "token", autocomplete: "off", required: true });
  const form = h("form", { class: "signin card", id: "signin-form" },
    h("h1", null, t("app.title")),
    h("p", null, t("signin.intro")),
    h("label", { class: "field" }, h("span", { class: "field-label" }, t("signin.token")), input),
    box,
    h("button", { type: "submit", class: "primary" }, t("signin.submit")));
  if (message) notice(box, "error", message);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) return notice(box, "error", t("signin.missing"));
    try {
      const who = await api("GET", "/api/v1/me", { token });
      session.set(token);
      me = who;
      if (!location.hash || location.hash === "#/") location.hash = "#/" + ROLE_PAGES[me.role][0];
      shell();
    } catch (err) {
      notice(box, "error", err.status === 401 ? t("signin.bad_token") : errorText(err));
    }
  });
  replace(root, h("main", { class: "signin-wrap" }, form));
  input.focus();
}

function signOut() {
  session.clear();
  me = null;
  history.replaceState(null, "", "#/");
  signIn();
}

let content = null;
let nav = null;

function shell() {
  const allowed = ROLE_PAGES[me.role] || [];
  nav = h("nav", { class: "nav", "aria-label": t("app.title") },
    allowed.map((p) => h("a", { href: "#/" + p, dataset: { page: p }, onclick: () => {
      // The page one is on: no hashchange fires, so load it afresh here.
      if (location.hash === "#/" + p) route();
    } }, t(PAGES[p].nav))));
  const who = h("span", { class: "whoami", id: "whoami" },
    label("role", me.role) + (me.scope ? ` · ${me.scope}` : "") + (me.label ? ` · ${me.label}` : ""));
  content = h("main", { id: "content", class: "content", tabindex: "-1" });
  replace(root,
    h("header", { class: "topbar" },
      h("span", { class: "brand" }, t("app.title")),
      nav,
      h("span", { class: "spacer" }),
      who,
      h("button", { type: "button", id: "signout", onclick: signOut }, t("signout"))),
    content);
  route();
}

async function route() {
  if (!me) return;
  const parts = location.hash.replace(/^#\/?/, "").split("/").map((p) => decodeURIComponent(p));
  const allowed = ROLE_PAGES[me.role] || [];
  const name = parts[0];
  if (!allowed.length) {
    replace(content, h("p", { class: "notice notice-error" }, t("error.forbidden")));
    return;
  }
  if (!allowed.includes(name)) {
    location.replace("#/" + allowed[0]);
    return;
  }
  for (const a of nav.querySelectorAll("a")) {
    if (a.dataset.page === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = t(PAGES[name].nav) + " · " + t("app.title");
  const target = h("div", { class: "page", id: "page-" + name }, h("p", { class: "loading" }, t("common.loading")));
  replace(content, target);
  const ctx = { me, args: parts.slice(1), navigate: (hash) => { location.hash = hash; } };
  try {
    await PAGES[name].module.render(target, ctx);
  } catch (err) {
    const box = noticeBox();
    notice(box, "error", errorText(err));
    replace(target, box);
  }
}

setUnauthorizedHandler(() => {
  session.clear();
  signIn(t("error.unauthorized"));
});
window.addEventListener("hashchange", route);

async function start() {
  document.title = t("app.title");
  replace(root, h("p", { class: "loading" }, t("app.loading")));
  if (!session.token) return signIn();
  try {
    me = await api("GET", "/api/v1/me");
    shell();
  } catch (err) {
    if (err.status !== 401) signIn(errorText(err));
  }
}

start();
