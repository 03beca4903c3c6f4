// The README's sandbox walk-through in headless Chromium, on the demo configuration and the real
// binary with its embedded Redis: a resident files in the village group, the deputy accepts and
// assigns from their chat, the department's handler acknowledges, the clock is fast-forwarded,
// the handler replies and the resident rates. Each party's chat must show the expected messages.
//   node tests/browser/sandbox.mjs BUILD/bot/lianxin SOURCE_DIR ARTIFACT_DIR
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [binary, source, artifacts] = process.argv.slice(2);
if (!binary || !source || !artifacts) {
  console.error("usage: node sandbox.mjs LIANXIN_BINARY SOURCE_DIR ARTIFACT_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const chromiumPath = process.env.LIANXIN_CHROMIUM || "/usr/bin/chromium";
const work = mkdtempSync(path.join(tmpdir(), "lx-sandbox-"));

function startServer() {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LIANXIN_DATA_DIR: path.join(work, "data"), LIANXIN_LISTEN: "127.0.0.1:0" };
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

// Waits until the pane's transcript contains `text` (after `skip` items) and returns its text.
async function expectIn(page, pane, text, timeout = 15000) {
  const loc = page.locator(`#pane-${pane} .transcript`);
  await page.waitForFunction(
    ([id, want]) => document.querySelector(`#pane-${id} .transcript`).textContent.includes(want),
    [pane, text], { timeout });
  return loc.textContent();
}

async function say(page, pane, text) {
  await page.fill(`#pane-${pane} .composer input[name=text]`, text);
  await page.click(`#pane-${pane} .composer button[type=submit]`);
}

let server;
let browser;
let failed = false;
const started = Date.now();
try {
  server = await startServer();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  await page.goto(server.base + "/sandbox/");
  await page.waitForFunction(() => document.querySelector("#pane-group .chat-select").options.length > 0);

  // 1. The resident files in the village group and confirms.
  await say(page, "group", "建议 村东头路灯坏了三个月了，晚上走路看不见");
  await expectIn(page, "group", "回复 1 提交");
  const firstReplyMs = Date.now() - started;
  await say(page, "group", "1");
  const group = await expectIn(page, "group", "提交成功");
  const number = group.match(/RN-\d{8}-\d{4}/)[0];
  await page.locator("#case-list", { hasText: number }).waitFor();

  // 2. The deputy's chat has the new-case notice; accept and assign.
  await page.locator("#case-list button").first().click();
  await expectIn(page, "deputy", number);
  await say(page, "deputy", `受理 ${number}`);
  await expectIn(page, "deputy", "受理");
  await say(page, "deputy", `交办 ${number} transport`);

  // 3. The handler is told and acknowledges.
  await page.selectOption("#pane-handler .chat-select", "h-transport");
  await expectIn(page, "handler", number);
  await say(page, "handler", `签收 ${number}`);

  // 4. Fast-forward past the deadline (two presses of five working days): the handler hears
  // the reminder and the supervision notice.
  const handlerBefore = await page.locator("#pane-handler .transcript li").count();
  await page.click("[data-clock-days='5']");
  await page.waitForTimeout(500);
  await page.click("[data-clock-days='5']");
  await page.waitForFunction(
    (n) => document.querySelectorAll("#pane-handler .transcript li").length > n, handlerBefore, { timeout: 15000 });
  await expectIn(page, "handler", "督办");

  // 5. The handler replies; the resident hears it in the group and rates it.
  await say(page, "handler", `答复 ${number} 路灯已经修好了`);
  await expectIn(page, "group", "已答复", 20000);  // group posts carry the status, never the text
  await say(page, "group", "1");
  await page.waitForFunction(
    (no) => [...document.querySelectorAll("#case-list li")].some((li) => li.textContent.includes(no) &&
                                                                        /已评价|满意/.test(li.textContent)),
    number, { timeout: 15000 });
  await page.screenshot({ path: path.join(artifacts, "sandbox-walkthrough.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script or CSP errors");
  console.log(`sandbox: ok — case ${number} went the whole way; first bot reply ${firstReplyMs} ms after start; ` +
              `screenshot in ${artifacts}`);
} catch (e) {
  failed = true;
  console.error("sandbox: FAILED —", e && e.stack ? e.stack : e);
  try {
    const pages = browser ? browser.contexts().flatMap((c) => c.pages()) : [];
    if (pages[0]) await pages[0].screenshot({ path: path.join(artifacts, "sandbox-failure.png"), fullPage: true });
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
