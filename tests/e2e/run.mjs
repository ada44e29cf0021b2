// Real-browser tests of a nianbao site in Debian's Chromium, driven by playwright-core.
// Run by tests/browser.rs (part of `cargo test`), which passes:
//   --bin <nianbao binary> --repo <repository root> --work <empty temp dir> --artifacts <dir>
// Every scenario prints one line; the first failure exits non-zero with its reason.

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SUB_PATH = "/xxgk/nianbao/";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, v, i, all) => (i % 2 ? pairs : [...pairs, [v.replace(/^--/, ""), all[i + 1]]]), []),
);
for (const key of ["bin", "repo", "work", "artifacts", "chromium"]) {
  if (!args[key]) throw new Error(`missing --${key}`);
}
fs.mkdirSync(args.artifacts, { recursive: true });

const results = [];
async function scenario(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// A static file server that publishes the site under a county website's sub-path, as in production.
function serveStatic(dir) {
  const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
    ".csv": "text/csv; charset=utf-8", ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".zip": "application/zip" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(SUB_PATH)) { res.writeHead(404); res.end("outside the sub-path"); return; }
    rel = rel.slice(SUB_PATH.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      const missing = path.join(dir, "404.html");
      res.writeHead(404, { "content-type": types[".html"] });
      res.end(fs.existsSync(missing) ? fs.readFileSync(missing) : "not found");
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function axeCheck(page, label) {
  // Evaluated over the DevTools protocol: an inline <script> tag would be refused by the pages'
  // Content-Security-Policy, as it should be.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n      ")}`).join("\n    ");
  assert(bad.length === 0, `${label}: ${bad.length} serious/critical axe violations\n    ${text}`);
  return result.violations.length ? `${result.violations.length} (${result.violations.map((v) => `${v.id}/${v.impact}`).join(", ")})` : 0;
}

// Until the page shows `text`. A page that serve is reloading has a moment without a body: the
// check must wait through it, not fail on it.
function untilText(page, text, timeout = 15000) {
  return page.waitForFunction((t) => document.body?.innerText.includes(t), text, { timeout });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(args.artifacts, `${name}.png`), fullPage: true });
}

const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const site = path.join(args.work, "public");
const server = await serveStatic(site);
const origin = `http://127.0.0.1:${server.address().port}`;
const base = `${origin}${SUB_PATH}`;
execFileSync(args.bin, ["build", "--quiet", "--root", args.repo, "--output", site, "--base-url", base], { stdio: "inherit" });

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, acceptDownloads: true };
const desktop = { viewport: { width: 1280, height: 900 }, acceptDownloads: true };

await scenario("navigate home → year → township → report on a phone, under a sub-path", async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(base);
  assert((await page.title()).length > 0, "the home page has a title");
  await shot(page, "home-phone");
  await page.locator("main").getByRole("link", { name: "2018", exact: false }).first().click();
  await page.waitForLoadState();
  assert(page.url().includes("/2018/"), `the year page opened: ${page.url()}`);
  await shot(page, "year-phone");
  await page.locator("main").getByRole("link", { name: /北景港/ }).first().click();
  await page.waitForLoadState();
  const h1 = await page.locator("h1").innerText();
  assert(/北景港/.test(h1), `a 北景港 page opened, h1 = ${h1}`);
  if (!page.url().includes("/townships/")) {
    // The year page may link straight to the report; reach the township page from the breadcrumb.
    await page.locator("nav.breadcrumb").getByRole("link", { name: /北景港/ }).first().click();
    await page.waitForLoadState();
  }
  assert(page.url().includes("/townships/"), `the township page opened: ${page.url()}`);
  await shot(page, "township-phone");
  await page.locator("main").getByRole("link", { name: /2018/ }).first().click();
  await page.waitForLoadState();
  assert(page.url().endsWith("/2018/beijinggang/index.html") || page.url().endsWith("/2018/beijinggang/"), `the report opened: ${page.url()}`);
  const table = page.locator("table.official").first();
  assert(await table.isVisible(), "the official table is shown");
  await shot(page, "report-phone");
  assert(errors.length === 0, `no script errors or broken requests: ${errors.join(", ")}`);
  await context.close();
});

await scenario("axe-core: no serious or critical violations on any page type", async () => {
  const context = await browser.newContext(desktop);
  const page = await context.newPage();
  const pages = [["home", ""], ["year", "2018/index.html"], ["township", "townships/beijinggang/index.html"],
    ["report", "2018/beijinggang/index.html"], ["county", "county/index.html"], ["data", "data/index.html"],
    ["audit", "audit/index.html"], ["404", "no-such-page/index.html"]];
  const extra = ["search/index.html"].filter((p) => fs.existsSync(path.join(site, p)));
  for (const p of extra) pages.push([p.split("/")[0], p]);
  for (const [name, rel] of pages) {
    await page.goto(base + rel);
    const minor = await axeCheck(page, name);
    await shot(page, `${name}-desktop`);
    console.log(`     axe ${name}: 0 serious/critical, ${minor} minor/moderate`);
  }
  await page.goto(base + "2018/beijinggang/index.html");
  await page.evaluate(() => { localStorage.setItem("nianbao-care", "1"); localStorage.setItem("nianbao-font", "3"); });
  await page.reload();
  await axeCheck(page, "report in 关怀模式");
  await shot(page, "report-care-desktop");
  await context.close();
});

await scenario("download stats.csv and an attachment: bytes equal the built files", async () => {
  const context = await browser.newContext(desktop);
  const page = await context.newPage();
  await page.goto(base + "2018/beijinggang/index.html");
  const csvLink = page.locator("a[download][href$='stats.csv']").first();
  const [csv] = await Promise.all([page.waitForEvent("download"), csvLink.click()]);
  const csvBytes = fs.readFileSync(await csv.path());
  assert(csvBytes.equals(fs.readFileSync(path.join(site, "2018/beijinggang/stats.csv"))), "stats.csv downloads byte for byte");
  const attachment = page.locator(".attachments a[download]").first();
  const href = decodeURIComponent(await attachment.getAttribute("href"));
  const [file] = await Promise.all([page.waitForEvent("download"), attachment.click()]);
  const source = path.join(args.repo, "content/2018/beijinggang", path.basename(href));
  assert(fs.readFileSync(await file.path()).equals(fs.readFileSync(source)), `the attachment ${path.basename(href)} equals its source file`);
  await context.close();
});

await scenario("关怀模式 and font size: keyboard only, persisted across pages", async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(base + "2018/beijinggang/index.html");
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await page.keyboard.press("Tab");
  assert(await page.evaluate(() => document.activeElement.classList.contains("skip-link")), "the skip link is the first stop");
  await page.keyboard.press("Tab");
  assert(await page.evaluate(() => document.activeElement.id) === "care-toggle", "the care toggle is reachable by keyboard");
  await page.keyboard.press("Enter");
  assert(await page.evaluate(() => document.documentElement.classList.contains("care")), "Enter turns on 关怀模式");
  assert(await page.getAttribute("#care-toggle", "aria-pressed") === "true", "the toggle says it is pressed");
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert(after >= before * 1.2, `text is larger in 关怀模式: ${before}px → ${after}px`);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert(await page.evaluate(() => document.activeElement.id) === "font-larger", "A＋ is reachable by keyboard");
  await page.keyboard.press("Space");
  const larger = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert(larger > after, `A＋ makes text larger: ${after}px → ${larger}px`);
  await shot(page, "report-care-phone");
  await page.goto(base + "townships/beijinggang/index.html");
  assert(await page.evaluate(() => document.documentElement.classList.contains("care")), "关怀模式 persists on the next page");
  const kept = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert(kept === larger, `the chosen size persists: ${kept}px`);
  await page.click("#care-toggle");
  assert(!(await page.evaluate(() => document.documentElement.classList.contains("care"))), "the toggle turns it off again");
  await context.close();
});

await scenario("serve: editing a report reloads the open page", async () => {
  // The demo site (eight years, several townships): large enough that one edit re-renders a
  // minority of the files, so serve defers the overview pages until after the reload.
  const root = path.join(args.work, "serve-site");
  fs.cpSync(path.join(args.repo, "examples/demo"), root, { recursive: true, filter: (src) => path.basename(src) !== ".nianbao-cache" });
  const child = spawn(args.bin, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "ignore", "pipe"] });
  try {
    const url = await new Promise((resolve, reject) => {
      let log = "";
      const timer = setTimeout(() => reject(new Error(`serve printed no address: ${log}`)), 30000);
      child.stderr.on("data", (chunk) => {
        log += chunk;
        const m = log.match(/http:\/\/127\.0\.0\.1:\d+\/[^\s]*/);
        if (m) { clearTimeout(timer); resolve(m[0]); }
      });
      child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${log}`)));
    });
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(new URL("2020/qingshan/index.html", url).href);
    await page.waitForTimeout(300);
    const report = path.join(root, "content/2020/qingshan/report.md");
    const marker = "浏览器自动刷新测试段落";
    fs.appendFileSync(report, `\n\n${marker}\n`);
    await untilText(page, marker);
    await shot(page, "serve-reloaded");
    // A new title: the report page reloads at once; the year page, written once the sources are
    // quiet, is reloaded by name afterwards, and that second reload leaves the report page alone.
    const yearPage = await context.newPage();
    await yearPage.goto(new URL("2020/index.html", url).href);
    await yearPage.waitForTimeout(300);
    const retitled = "示例县青山镇2020年度政府信息公开工作年度报告（修订稿）";
    const text = fs.readFileSync(report, "utf8");
    assert(/^title: .*$/m.test(text), "report.md has a title line");
    fs.writeFileSync(report, text.replace(/^title: .*$/m, `title: ${retitled}`));
    await untilText(page, retitled);
    await page.evaluate(() => { window.__notReloaded = true; });
    await untilText(yearPage, retitled);
    await page.waitForTimeout(1500);
    assert(await page.evaluate(() => window.__notReloaded === true), "the report page was not reloaded again");
    await context.close();
  } finally {
    child.kill();
  }
});

const extraScenarios = path.join(path.dirname(new URL(import.meta.url).pathname), "scenarios");
if (fs.existsSync(extraScenarios)) {
  for (const file of fs.readdirSync(extraScenarios).filter((f) => f.endsWith(".mjs")).sort()) {
    const mod = await import(path.join(extraScenarios, file));
    await mod.default({ scenario, assert, browser, base, site, args, shot, axeCheck, phone, desktop, serveStatic, untilText, SUB_PATH });
  }
}

await browser.close();
server.close();
const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length}/${results.length} browser scenarios passed; screenshots in ${args.artifacts}`);
process.exit(failed.length ? 1 : 0);
