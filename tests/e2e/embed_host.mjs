// A county CMS page with a strict Content-Security-Policy embeds the portal's tables, in Debian's
// Chromium (playwright-core). Run by tests/embed.rs, which passes:
//   --bin <nianbao binary> --repo <repository root> --work <empty temp dir> --chromium <binary>
// The portal (the demo site) is served on one 127.0.0.1 port, the host page on another, with the
// policy docs/内容格式.md gives a host: `frame-src <portal>; script-src <portal>` and nothing else
// (default-src 'none': no inline script or style). Checked:
//   - the frames take their content's height and no CSP violation is reported, in any frame;
//   - with `frame-src 'self'` (the mistake the docs warn of) a violation is reported, so the
//     violation check can fail;
//   - printed (print media, then a PDF), each frame is at least as tall as its content with the
//     print style, and the PDF holds the table's last row.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, v, i, all) => (i % 2 ? pairs : [...pairs, [v.replace(/^--/, ""), all[i + 1]]]), []),
);
for (const key of ["bin", "repo", "work", "chromium"]) {
  if (!args[key]) throw new Error(`missing --${key}`);
}
const SUB_PATH = "/nianbao/";
let failures = 0;
async function scenario(name, body) {
  const started = Date.now();
  try {
    await body();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
function listen(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };
const site = path.join(args.work, "public");
const portal = await listen((req, res) => {
  let rel = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  if (!rel.startsWith(SUB_PATH)) { res.writeHead(404); res.end(); return; }
  rel = rel.slice(SUB_PATH.length);
  if (rel === "" || rel.endsWith("/")) rel += "index.html";
  const file = path.join(site, rel);
  if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  res.end(fs.readFileSync(file));
});
const portalOrigin = `http://127.0.0.1:${portal.address().port}`;
execFileSync(args.bin, ["build", "--quiet", "--root", path.join(args.repo, "examples/demo"), "--output", site,
  "--base-url", `${portalOrigin}${SUB_PATH}`], { stdio: "pipe" });

// The embed code a full page offers, as a clerk copies it from the textarea.
function embedCode(rel) {
  const html = fs.readFileSync(path.join(site, rel), "utf8");
  const m = html.match(/<textarea id="embed-code-text"[^>]*>([\s\S]*?)<\/textarea>/);
  if (!m) throw new Error(`${rel} offers no embed code`);
  return m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
}
const report = embedCode("2020/qingshan/index.html");
const township = embedCode("townships/qingshan/index.html");
// The host's article: its own markup (a style sheet of its own would be `style-src 'self'`; this
// one has none) and two pasted embed codes, each with its script tag.
const article = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>县政府门户 · 政务公开</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>政府信息公开年度报告</h1><p>以下表格由年报网站提供。</p>
${report}
<h2>青山镇历年对比</h2>
${township}
<p id="after">（正文结束）</p></body></html>`;
// The policy docs/内容格式.md gives a host page, with the portal's origin.
const goodPolicy = `default-src 'none'; frame-src ${portalOrigin}; script-src ${portalOrigin}`;
let policy = goodPolicy;
const host = await listen((req, res) => {
  if (req.url !== "/cms/article.html") { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[".html"], "content-security-policy": policy });
  res.end(article);
});
const hostUrl = `http://127.0.0.1:${host.address().port}/cms/article.html`;
assert(host.address().port !== portal.address().port, "two origins");

const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// A page on the host article that records every CSP violation, of the page and of its frames.
async function open(width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const violations = [];
  page.on("console", (m) => { if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  await context.exposeBinding("reportViolation", (_source, text) => violations.push(text));
  await context.addInitScript(() => {
    addEventListener("securitypolicyviolation", (e) => window.reportViolation(`${location.href}: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(hostUrl);
  return { context, page, violations };
}

const FRAMES = [["report", "embed/2020/qingshan/"], ["township", "embed/townships/qingshan/"]];

async function frameOf(page, part) {
  const iframe = page.locator(`iframe[src$="${part}"]`);
  return { iframe, frame: await (await iframe.elementHandle()).contentFrame() };
}

try {
  await scenario("a host page with only frame-src and script-src of the portal: the frames fit their tables, no CSP violation", async () => {
    policy = goodPolicy;
    for (const width of [1280, 390]) {
      const { context, page, violations } = await open(width);
      await page.waitForFunction(() => {
        const f = [...document.querySelectorAll("iframe[data-nianbao-embed]")];
        return f.length === 2 && f.every((x) => x.style.height !== "");
      }, null, { timeout: 15000 });
      await page.waitForTimeout(300);
      for (const [name, part] of FRAMES) {
        const { iframe, frame } = await frameOf(page, part);
        const box = await iframe.evaluate((f) => f.getBoundingClientRect().height);
        const doc = await frame.evaluate(() => document.documentElement.scrollHeight);
        assert(box > 300 && box !== 600, `${width}px: the ${name} frame took its table's height, not the snippet's: ${box}px`);
        assert(Math.abs(box - doc) <= 1, `${width}px: the ${name} frame (${box}px) fits its document (${doc}px)`);
        console.log(`     ${width}px ${name}: frame ${box}px = document ${doc}px`);
      }
      assert(violations.length === 0, `${width}px: no CSP violation: ${violations.join("\n")}`);
      await context.close();
    }
  });

  await scenario("with frame-src 'self' the frames are refused and the violation is seen (the check can fail)", async () => {
    policy = `default-src 'none'; frame-src 'self'; script-src ${portalOrigin}`;
    const { context, page, violations } = await open(1280);
    await page.waitForTimeout(1000);
    assert(violations.some((v) => /frame-src/.test(v)), `a frame-src violation is reported: ${violations.join("\n")}`);
    await context.close();
    policy = goodPolicy;
  });

  await scenario("printed, each frame shows its whole table: print media, then a PDF", async () => {
    policy = goodPolicy;
    const { context, page, violations } = await open(1280);
    await page.waitForFunction(() => [...document.querySelectorAll("iframe[data-nianbao-embed]")].every((x) => x.style.height !== ""), null, { timeout: 15000 });
    await page.waitForTimeout(300);
    const screen = {};
    for (const [name, part] of FRAMES) {
      const { iframe } = await frameOf(page, part);
      screen[name] = await iframe.evaluate((f) => f.getBoundingClientRect().height);
    }
    // The width of the PDF below (A4, no margin: 794 CSS px), so that the geometry is the PDF's.
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: "print" });
    await page.waitForTimeout(500);
    const lastRows = {};
    for (const [name, part] of FRAMES) {
      const { iframe, frame } = await frameOf(page, part);
      const box = await iframe.evaluate((f) => f.getBoundingClientRect().height);
      const inner = await frame.evaluate(() => ({
        print: matchMedia("print").matches,
        doc: Math.ceil(document.documentElement.getBoundingClientRect().height),
        scroll: document.documentElement.scrollHeight,
        // The label of the last row (without its unit), and how often the frame's text has it.
        last: [...document.querySelectorAll("table tbody th")].pop().firstChild.textContent.trim(),
        text: document.body.innerText.replace(/\s+/g, ""),
      }));
      assert(inner.print, `the ${name} frame prints with its print style`);
      assert(box + 1 >= inner.doc && box + 1 >= inner.scroll,
        `printing, the ${name} frame (${box}px) holds its whole content (${inner.doc}px, scroll ${inner.scroll}px)`);
      lastRows[name] = [inner.last, inner.text];
      console.log(`     print ${name}: frame ${box}px ≥ content ${inner.doc}px (screen ${screen[name]}px)`);
    }
    const pdf = path.join(args.work, "host.pdf");
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    // A frame cut at its screen height loses its last rows: the label of each table's last row
    // is in the PDF as often as in the frames' texts together. pdftotext reads a table's cells
    // line by line, so a label wrapped in its cell comes with a neighbour's text between its
    // pieces: a few characters may come between two of its characters.
    const count = (haystack, label) => {
      const pattern = [...label].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".{0,12}?");
      return (haystack.match(new RegExp(pattern, "g")) || []).length;
    };
    for (const [name, [last]] of Object.entries(lastRows)) {
      const wanted = last.replace(/\s+/g, "");
      const inFrames = Object.values(lastRows).reduce((n, [, t]) => n + count(t, wanted), 0);
      assert(wanted.length >= 4 && inFrames > 0 && count(text, wanted) >= inFrames,
        `the PDF holds the ${name} table's last row ${wanted}: ${count(text, wanted)} times, the frames ${inFrames}`);
    }
    assert(text.includes("（正文结束）"), "the PDF holds the article after the frames");
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300);
    for (const [name, part] of FRAMES) {
      const { iframe } = await frameOf(page, part);
      const back = await iframe.evaluate((f) => f.getBoundingClientRect().height);
      assert(Math.abs(back - screen[name]) <= 1, `after printing the ${name} frame is back to ${screen[name]}px: ${back}px`);
    }
    assert(violations.length === 0, `no CSP violation while printing: ${violations.join("\n")}`);
    await context.close();
  });
} finally {
  await browser.close();
  portal.close();
  host.close();
}
console.log(failures ? `${failures} embed host scenario(s) failed` : "embed host scenarios passed");
process.exit(failures ? 1 : 0);
