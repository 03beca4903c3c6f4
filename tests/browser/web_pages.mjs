// Browser tests of the 码上提 pages in headless Chromium (Debian's chromium, driven by
// playwright-core), at a 360-px phone size, against the real `lianxin` binary on its embedded
// Redis. Run by ctest (label "browser"):
//   node tests/browser/web_pages.mjs BUILD/bot/lianxin SOURCE_DIR ARTIFACT_DIR
// A resident opens a deputy's page, types a suggestion (the category is pre-chosen from the
// text), attaches a photo, submits, follows the private tracking link, and — after the
// department replies through the REST API — rates the result. A suggestion containing HTML and
// script is shown as text. Screenshots are kept in ARTIFACT_DIR.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [binary, source, artifacts] = process.argv.slice(2);
if (!binary || !source || !artifacts) {
  console.error("usage: node web_pages.mjs LIANXIN_BINARY SOURCE_DIR ARTIFACT_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const chromiumPath = process.env.LIANXIN_CHROMIUM || "/usr/bin/chromium";
const ADMIN = "browser-admin-token-0001";

const work = mkdtempSync(path.join(tmpdir(), "lx-browser-"));
const demo = path.join(source, "config", "demo");
const config = {
  tenant: { id: "rn", name: "润南县（演示）", case_prefix: "RN" },
  server: { listen: "127.0.0.1:0" },
  redis: { embedded: { data_dir: path.join(work, "data") } },
  log: { level: "info" },
  roster: {
    file: path.join(demo, "roster.json"),
    categories_file: path.join(demo, "categories.json"),
    groups_file: path.join(demo, "groups.json"),
    holidays_file: path.join(source, "config", "holidays", "cn.json"),
    messages_file: path.join(source, "config", "messages.zh-CN.json"),
  },
  admin: { token: ADMIN },
  platforms: { onebot: { demo: { self_id: "10000", api_base: "http://127.0.0.1:9" } } },
};
const configPath = path.join(work, "lianxin.json");
writeFileSync(configPath, JSON.stringify(config, null, 2));

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["serve", "--config", configPath], { stdio: ["ignore", "ignore", "pipe"] });
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

async function api(base, method, url, token, body) {
  const res = await fetch(base + url, {
    method,
    headers: { Authorization: "Bearer " + token, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${url} → ${res.status}: ${text}`);
  return JSON.parse(text);
}

// A real 2×2 PNG (red), so the server's type check by magic bytes sees an image.
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000020000000208020000" +
    "00fdd49a730000001649444154789c63f8cfc0f01f0418c0c0f01f00" +
    "2f0605fbe5d4b6f80000000049454e44ae426082",
  "hex",
);

let server;
let browser;
let failed = false;
try {
  server = await startServer();
  const { base } = server;
  // A department token made with the CLI while the server runs on the same embedded Redis.
  const out = execFileSync(binary, ["token", "create", "--role", "department", "--scope", "transport",
                                    "--config", configPath], { encoding: "utf8" });
  const deptToken = out.trim().split(/\s+/).pop();
  assert.match(deptToken, /^lx_[0-9a-f]{64}$/);

  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN",
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  // 1. The deputy's page fits a 360-px screen.
  const resp = await page.goto(base + "/d/D0004");
  assert.equal(resp.status(), 200);
  assert.match(resp.headers()["content-security-policy"], /script-src 'self'/);
  await page.locator("h1").filter({ hasText: "黄杰波" }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is wider than the phone by ${overflow}px`);
  const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("textarea")).fontSize));
  assert.ok(fontSize >= 18, `text is too small for elderly readers: ${fontSize}px`);
  await page.screenshot({ path: path.join(artifacts, "deputy-page-360.png"), fullPage: true });

  // 2. Typing pre-chooses the category; a photo is attached; the payload is HTML + script.
  const payload = "村东头的路灯坏了三个月，晚上走路看不见 <img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
  await page.fill("#content", payload);
  await page.locator("#content").dispatchEvent("input");
  await page.waitForFunction(() => document.querySelector("#category").value === "roads", null, { timeout: 5000 });
  await page.setInputFiles("#photos", { name: "light.png", mimeType: "image/png", buffer: PNG });
  await page.fill("#phone", "13800001111");
  await Promise.all([page.waitForNavigation(), page.click("#submit")]);
  await page.locator("h1", { hasText: "提交成功" }).waitFor();
  const body = await page.textContent("main");
  const number = body.match(/RN-\d{8}-\d{4}/)[0];
  assert.match(body, /黄杰波代表/);
  await page.screenshot({ path: path.join(artifacts, "submitted-360.png"), fullPage: true });

  // 3. The private tracking link shows the case; the payload is inert text.
  await Promise.all([page.waitForNavigation(), page.click("#track-link")]);
  await page.locator("#status", { hasText: "待受理" }).waitFor();
  const content = await page.textContent("#content");
  assert.ok(content.includes("<script>window.pwned=2</script>"), "the text must be shown literally: " + content);
  assert.equal(await page.evaluate(() => window.pwned), undefined, "script in a suggestion must not run");
  assert.equal(await page.locator("#content img").count(), 0);
  assert.ok(!content.includes("13800001111"), "the phone is not on the tracking page");
  const trackUrl = page.url();
  const forged = await page.goto(trackUrl.replace(/t=[0-9a-f]+/, "t=" + "0".repeat(32)));
  assert.equal(forged.status(), 404);
  await page.goto(trackUrl);

  // 4. The deputy accepts and assigns, the department replies — through the REST API.
  const full = await api(base, "GET", `/api/v1/cases/${number}`, ADMIN);
  assert.equal(full.deputy, "D0004");
  assert.equal(full.contact.phone, "13800001111");
  assert.equal(full.photos, 1);
  await api(base, "POST", `/api/v1/cases/${number}/actions`, ADMIN, { action: "accept" });
  await api(base, "POST", `/api/v1/cases/${number}/actions`, ADMIN, { action: "assign", target: "transport" });
  await api(base, "POST", `/api/v1/cases/${number}/actions`, deptToken, { action: "acknowledge" });
  await api(base, "POST", `/api/v1/cases/${number}/actions`, deptToken,
            { action: "reply", text: "已更换三盏路灯，本周内全部修好。" });

  // 5. The resident sees the reply and rates it on the same link.
  await page.reload();
  await page.locator("#reply", { hasText: "已更换三盏路灯" }).waitFor();
  await page.screenshot({ path: path.join(artifacts, "tracking-replied-360.png"), fullPage: true });
  await page.check("input[name=rating][value=satisfied]");
  await Promise.all([page.waitForNavigation(), page.click("#rate-submit")]);
  await page.locator("#rated", { hasText: "满意" }).waitFor();
  await page.screenshot({ path: path.join(artifacts, "tracking-rated-360.png"), fullPage: true });
  const after = await api(base, "GET", `/api/v1/cases/${number}`, ADMIN);
  assert.equal(after.state, "rated");
  assert.equal(after.resident_rating, "satisfied");

  // 6. An unknown deputy gets a friendly page.
  const missing = await page.goto(base + "/d/D9999");
  assert.equal(missing.status(), 404);
  await page.locator("h1", { hasText: "没有找到" }).waitFor();

  // The forged link and the unknown deputy answered 404 on purpose; anything else is a fault.
  const unexpected = consoleErrors.filter((m) => !/status of 404/.test(m));
  assert.deepEqual(unexpected, [], "no script or CSP errors in the console");
  console.log(`browser: ok — case ${number} filed, tracked and rated on a 360-px page; screenshots in ${artifacts}`);
} catch (e) {
  failed = true;
  console.error("browser: FAILED —", e && e.stack ? e.stack : e);
} finally {
  if (browser) await browser.close();
  if (server) {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.on("exit", r));
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
