// The admin console (/admin/) in headless Chromium, on the demo configuration and the real
// binary with its embedded Redis. An admin signs in (a bad token first), creates a village and
// a deputy on the roster page, sees deleting a village still in use refused, dry-runs a CSV
// import with a bad row, creates a one-time binding code that a sandbox group redeems with
// 「绑定 <code>」, opens a case filed in the sandbox and accepts it, reads the statistics and
// the audit log, and signs out. The case list is also checked at a tablet's 768 px. No script
// errors and no CSP violations are allowed. Screenshots: ARTIFACT_DIR/admin-*.png.
//   node tests/browser/admin_console.mjs BUILD/bot/lianxin SOURCE_DIR ARTIFACT_DIR
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [binary, source, artifacts] = process.argv.slice(2);
if (!binary || !source || !artifacts) {
  console.error("usage: node admin_console.mjs LIANXIN_BINARY SOURCE_DIR ARTIFACT_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
rmSync(path.join(artifacts, "admin-failure.png"), { force: true });  // a stale one would mislead
const chromiumPath = process.env.LIANXIN_CHROMIUM || "/usr/bin/chromium";
const ADMIN = "console-test-admin-token-0001";
const work = mkdtempSync(path.join(tmpdir(), "lx-console-"));

function startServer() {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LIANXIN_DATA_DIR: path.join(work, "data"), LIANXIN_LISTEN: "127.0.0.1:0",
                  LIANXIN_ADMIN_TOKEN: ADMIN };
    const child = spawn(binary, ["serve", "--config", path.join(source, "config", "demo", "lianxin.json")],
                        { stdio: ["ignore", "ignore", "pipe"], env });
    let log = "";
    const timer = setTimeout(() => reject(new Error("lianxin did not become ready:\n" + log)), 20000);
    child.stderr.on("data", (chunk) => {
      log += chunk.toString();
      const m = log.match(/ready: listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`lianxin exited with ${code}:\n${log}`)));
  });
}

let base;
async function call(method, url, body, token = ADMIN) {
  const res = await fetch(base + url, {
    method,
    headers: { Authorization: "Bearer " + token, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, text, json };
}

async function sandboxSay(chat, sender, text) {
  const r = await call("POST", "/sandbox/api/messages",
                       { type: "group", sender, chat, name: "村民" + sender.slice(-1), text, mention: false, image: false });
  assert.equal(r.status, 202, `sandbox message → ${r.status}: ${r.text}`);
}

async function until(what, fn, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `admin-${name}.png`), fullPage: true });
let server;
let browser;
let failed = false;
try {
  server = await startServer();
  base = server.base;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  // A browser far from Beijing: for most of the day its date is not Beijing's, and the
  // statistics must still default to the tenant's dates.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", timezoneId: "Pacific/Honolulu" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Refused requests (401 for the bad token, 409/422 on purpose) log "Failed to load resource";
  // everything else, CSP reports included, is an error.
  page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  // The console is served with the pages' security headers.
  const index = await fetch(base + "/admin/");
  assert.equal(index.status, 200);
  assert.match(index.headers.get("content-security-policy") || "", /script-src 'self'/);
  assert.equal((await fetch(base + "/admin/nope.js")).status, 404);

  // 1. A bad token is refused with a message; the admin token signs in.
  await page.goto(base + "/admin/");
  await page.fill("#token", "not-a-real-token");
  await page.click("#signin-form button[type=submit]");
  await page.locator("#signin-form .notice-error", { hasText: "令牌无效" }).waitFor();
  await shot(page, "signin-error");
  await page.fill("#token", ADMIN);
  await page.click("#signin-form button[type=submit]");
  await page.locator("#whoami", { hasText: "管理员" }).waitFor();
  for (const nav of ["案件", "群绑定", "名册", "分类与时限", "统计", "操作日志"]) {
    await page.locator(".nav a", { hasText: nav }).waitFor();
  }
  assert.equal(await page.evaluate(() => sessionStorage.getItem("lianxin.console.token")), ADMIN);

  {
    // 2. A village and a deputy through the roster page. The name carries markup that must
    // stay text.
    await page.goto(base + "/admin/#/roster/villages");
    await page.click("#roster-new");
    await page.fill("#roster-form [name=id]", "ceshicun");
    await page.fill("#roster-form [name=name]", "测试村<b>粗</b>");
    await page.fill("#roster-form [name=township]", "shuxiang");
    await page.fill("#roster-form [name=station]", "st-shuye");
    await page.click("#roster-form button[type=submit]");
    await page.locator(".notice-ok", { hasText: "已新建 ceshicun" }).waitFor();
    await page.fill("#roster-search [name=q]", "ceshicun");
    await page.click("#roster-search button[type=submit]");
    await page.locator("#roster-table td", { hasText: "测试村<b>粗</b>" }).waitFor();
    assert.equal(await page.locator("#roster-table b").count(), 0, "names are shown as text");
    await shot(page, "roster-village");

    await page.click(".tabs a[href='#/roster/deputies']");
    await page.click("#roster-new");
    await page.fill("#roster-form [name=code]", "D9001");
    await page.fill("#roster-form [name=name]", "测试代表");
    await page.selectOption("#roster-form [name=level]", "county");
    await page.fill("#roster-form [name=village]", "ceshicun");
    await page.fill("#roster-form [name=station]", "st-shuye");
    await page.fill("#roster-form [name=contacts]", "sandbox:dep-D9001");
    await page.click("#roster-form button[type=submit]");
    await page.locator(".notice-ok", { hasText: "已新建 D9001" }).waitFor();
    const dep = await call("GET", "/api/v1/roster/deputies/D9001");
    assert.equal(dep.status, 200, dep.text);
    assert.equal(dep.json.item.village, "ceshicun");
    assert.equal(dep.json.item.contacts.sandbox, "dep-D9001");
    await page.fill("#roster-search [name=q]", "D9001");
    await page.click("#roster-search button[type=submit]");
    await page.locator("#roster-table td", { hasText: "测试代表" }).waitFor();
    await shot(page, "roster-deputy");

    // The village is in use by the deputy: deleting it is refused with the server's reason.
    await page.click(".tabs a[href='#/roster/villages']");
    await page.fill("#roster-search [name=q]", "ceshicun");
    await page.click("#roster-search button[type=submit]");
    await page.click("#roster-table button.danger[data-key=ceshicun]");
    await page.click("#roster-table button.confirm-delete");
    await page.locator(".notice-error", { hasText: "不能删除" }).waitFor();
    assert.equal((await call("GET", "/api/v1/roster/villages/ceshicun")).status, 200);

    // 3. CSV import: a dry run with a bad row reports its line and imports nothing.
    const exported = await call("GET", "/api/v1/exports/roster/villages.csv");
    assert.equal(exported.status, 200, exported.text);
    const header = exported.text.split(/\r?\n/)[0];
    const cols = header.split(",").map((c) => c.trim());
    const row = (v) => cols.map((c) => v[c] ?? "").join(",");
    const csv = [header,
                 row({ id: "csvcun1", name: "导入一村", township: "shuxiang", station: "st-shuye" }),
                 row({ id: "csvcun2", name: "导入二村", township: "no-such-township", station: "st-shuye" })].join("\n") + "\n";
    await page.setInputFiles("#import-file", { name: "villages.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.click("#import-dry-run");
    await page.locator("#import-report li", { hasText: "第 3 行" }).waitFor();
    assert.equal(await page.locator("#import-report li").count(), 1, "only the bad row is reported");
    assert.ok(await page.locator("#import-run").isDisabled(), "no real import after a failed dry run");
    assert.equal((await call("GET", "/api/v1/roster/villages/csvcun1")).status, 404, "a failed dry run imports nothing");
    await shot(page, "import-dry-run");

    // 4. A one-time binding code, redeemed in a new sandbox group.
    await page.goto(base + "/admin/#/bindings");
    await page.selectOption("#code-form [name=target_kind]", "village");
    await page.fill("#code-form [name=target_id]", "ceshicun");
    await page.fill("#code-form [name=ttl_minutes]", "30");
    await page.click("#code-form button[type=submit]");
    const big = await page.locator("#code-big").textContent();
    const code = big.replace(/^绑定\s*/, "").trim();
    assert.ok(code.length >= 4, "a code is shown: " + big);
    await page.locator("#codes-table td", { hasText: code }).waitFor();
    await shot(page, "bindings-code");
    await sandboxSay("ceshicun-qun", "res-bind-1", `绑定 ${code}`);
    await page.fill("#groups-search [name=q]", "ceshicun-qun");
    await until("the group to be bound", async () => {
      await page.click("#groups-search button[type=submit]");
      await page.waitForTimeout(300);
      return (await page.locator("#groups-table tr", { hasText: "ceshicun-qun" }).count()) > 0;
    });
    await page.locator("#groups-table tr", { hasText: "ceshicun-qun" }).filter({ hasText: "ceshicun" }).waitFor();
    await page.reload();  // the pending codes are listed afresh
    await page.locator("#groups-table").waitFor();
    assert.equal(await page.locator("#codes-table td", { hasText: code }).count(), 0, "a used code is gone");
    await shot(page, "bindings-bound");
  }

  // 5. The case board: a case filed in the sandbox's village group, opened and accepted.
  await sandboxSay("village-1", "res-case-1", "建议 村东头路灯坏了三个月了，晚上走路看不见");
  await until("the bot to ask for confirmation", async () =>
    JSON.stringify((await call("GET", "/sandbox/api/messages?chat=village-1")).json).includes("回复 1 提交"));
  await sandboxSay("village-1", "res-case-1", "1");
  const number = await until("the case to be filed", async () => {
    const r = await call("GET", "/api/v1/cases");
    return r.json && r.json.items && r.json.items[0] && r.json.items[0].number;
  });
  await page.click(".nav a[data-page=cases]");  // also when the board is already open
  await page.locator("#cases-table a", { hasText: number }).waitFor();
  await shot(page, "cases");
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.locator("#cases-table").waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 768 px (overflow ${overflow}px)`);
  await shot(page, "cases-768");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.click(`#cases-table a:text("${number}")`);
  await page.locator("#case-status", { hasText: "待受理" }).waitFor();
  // An admin acts as the deputy: accept, not the department's acknowledge.
  assert.equal(await page.locator("#case-actions [data-action=acknowledge]").count(), 0);
  await page.click("#case-actions [data-action=accept]");
  await page.click("#action-form button[type=submit]");
  await page.locator("#case-status", { hasText: "已受理" }).waitFor();
  await page.locator("#case-log td", { hasText: "受理" }).first().waitFor();
  assert.equal(await page.locator("#case-actions [data-action=accept]").count(), 0, "accept is gone once accepted");
  await shot(page, "case-detail");
  const after = await call("GET", `/api/v1/cases/${number}`);
  assert.equal(after.json.state, "accepted");

  // 6. Statistics.
  {
    await page.goto(base + "/admin/#/stats");
    // Bars of states with no case are zero wide (hidden): wait for the chart, not a bar.
    await page.locator("#chart-states svg").first().waitFor();
    await page.locator("#chart-states rect.bar").nth(9).waitFor({ state: "attached" });
    assert.equal(await page.locator("#chart-states rect.bar").count(), 10, "one bar per state");
    assert.equal(await page.locator("#chart-rates rect.bar").count(), 4, "one bar per rate");
    // The period is Beijing's last 30 days, whatever the browser's time zone: the case filed a
    // moment ago is in it.
    const beijingToday = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    assert.equal(await page.locator("#stats-form input[name=to]").inputValue(), beijingToday);
    assert.ok(Number(await page.locator("#kpi-total .kpi-value").textContent()) >= 1);
    await shot(page, "stats");
  }

  // 7. The audit log names the roster changes.
  {
    await page.goto(base + "/admin/#/audit");
    await page.locator("#audit-table td", { hasText: "D9001" }).first().waitFor();
    await shot(page, "audit");
  }

  // 8. Signing out forgets the token.
  await page.click("#signout");
  await page.locator("#signin-form").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("lianxin.console.token")), null);

  assert.deepEqual(await page.evaluate(() => window.__csp), [], "no CSP violations");
  assert.deepEqual(errors, [], "no script errors");
  console.log(`admin_console: ok — case ${number} accepted from the board` +
              `; screenshots in ${artifacts}`);
} catch (e) {
  failed = true;
  console.error("admin_console: FAILED —", e && e.stack ? e.stack : e);
  try {
    const pages = browser ? browser.contexts().flatMap((c) => c.pages()) : [];
    if (pages[0]) await pages[0].screenshot({ path: path.join(artifacts, "admin-failure.png"), fullPage: true });
  } catch {}
} finally {
  if (browser) await browser.close();
  if (server) {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.on("exit", r));
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
