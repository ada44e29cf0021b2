// Embeds: an outside page (another origin, another path) pastes the 嵌入本表 code of a report and
// of a township, exactly as the full pages offer it; each frame gets its table's height from the
// embed's message, at a phone's and a desktop's width; the embeds ask for no file but themselves;
// axe finds nothing serious on the four kinds of embed.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

// The embed code a full page offers, as a clerk copies it from the textarea.
function embedCode(site, rel) {
  const html = fs.readFileSync(path.join(site, rel), "utf8");
  const m = html.match(/<textarea id="embed-code-text"[^>]*>([\s\S]*?)<\/textarea>/);
  if (!m) throw new Error(`${rel} offers no embed code`);
  return m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
}

// The built site under its sub-path, on its own port, logging every request it answers.
function loggingServer(site, subPath, log) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    log.push(url.pathname);
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(subPath)) { res.writeHead(404); res.end(); return; }
    rel = rel.slice(subPath.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.join(site, rel);
    if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// The outside page: another server, another path, the county CMS's own markup around the code.
function outsideServer(html) {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === "/cms/article.html" ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(req.url === "/cms/article.html" ? html : "");
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export default async function ({ scenario, assert, browser, base, site, shot, phone, desktop, axeCheck, SUB_PATH }) {
  await scenario("embeds: an outside page frames a report and a township table and gets their heights", async () => {
    const log = [];
    const siteServer = await loggingServer(site, SUB_PATH, log);
    const embedOrigin = `http://127.0.0.1:${siteServer.address().port}`;
    const report = embedCode(site, "2018/beijinggang/index.html").replaceAll(new URL(base).origin, embedOrigin);
    const township = embedCode(site, "townships/beijinggang/index.html").replaceAll(new URL(base).origin, embedOrigin);
    assert(report.includes(`src="${embedOrigin}${SUB_PATH}embed/2018/beijinggang/"`), `the report's code frames its embed: ${report}`);
    const townshipFrame = township.split("\n")[0];
    assert(/^<iframe [^>]*src="[^"]*embed\/townships\/beijinggang\/"/.test(townshipFrame), `the township's code frames its embed: ${townshipFrame}`);
    const outside = await outsideServer(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>县政府门户 · 政务公开</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0 auto;max-width:60rem;padding:1rem;font-family:sans-serif"><h1>政府信息公开年度报告</h1><p>以下表格由年报网站提供。</p>
${report}
<h2>北景港镇历年对比</h2>
${townshipFrame}
<p id="after">（正文结束）</p></body></html>`);
    const outsideUrl = `http://127.0.0.1:${outside.address().port}/cms/article.html`;
    try {
      for (const [label, options] of [["desktop", desktop], ["phone", phone]]) {
        log.length = 0;
        const context = await browser.newContext(options);
        const page = await context.newPage();
        await page.addInitScript(() => {
          window.__heights = [];
          addEventListener("message", (e) => { if (e.data && e.data.type === "nianbao-embed-height") window.__heights.push(e.data); });
        });
        await page.goto(outsideUrl);
        await page.waitForFunction(() => {
          const frames = [...document.querySelectorAll("iframe[data-nianbao-embed]")];
          return frames.length === 2 && frames.every((f) => f.style.height !== "");
        }, null, { timeout: 15000 });
        await page.waitForTimeout(300);
        for (const [name, part] of [["report", "embed/2018/beijinggang/"], ["township", "embed/townships/beijinggang/"]]) {
          const iframe = page.locator(`iframe[src$="${part}"]`);
          const frame = await (await iframe.elementHandle()).contentFrame();
          const inner = await frame.evaluate(() => ({ scroll: document.documentElement.scrollHeight, client: document.documentElement.clientHeight }));
          const box = await iframe.evaluate((f) => f.getBoundingClientRect().height);
          const posted = await page.evaluate((p) => window.__heights.filter((h) => h.path.endsWith(p)).map((h) => h.height), part);
          assert(posted.length > 0, `${label}: the ${name} embed posted its height`);
          const last = posted[posted.length - 1];
          assert(Math.abs(box - last) <= 1, `${label}: the ${name} frame is ${box}px, the embed said ${last}px`);
          assert(Math.abs(inner.scroll - box) <= 1, `${label}: the ${name} frame (${box}px) fits its document (${inner.scroll}px), no inner scroll bar`);
          assert(inner.scroll <= inner.client + 1, `${label}: the ${name} embed does not scroll vertically (${inner.scroll} > ${inner.client})`);
          assert(box > 300, `${label}: the ${name} table is taller than a stub: ${box}px`);
          console.log(`     ${label} ${name}: frame ${box}px = document ${inner.scroll}px`);
        }
        await page.waitForTimeout(200);
        await shot(page, `embed-outside-${label}`);
        const asked = [...new Set(log)].sort();
        // The two embeds, and the host script the pasted code loads from the portal (the host
        // page asks for it; the embeds themselves ask for nothing else).
        const expected = [`${SUB_PATH}embed/2018/beijinggang/`, `${SUB_PATH}embed/townships/beijinggang/`, `${SUB_PATH}static/embed-host.js`];
        assert(JSON.stringify(asked) === JSON.stringify(expected), `${label}: the embeds asked for nothing but themselves and the host script: ${asked.join(", ")}`);
        // A link in an embed opens the full page in the whole window, not inside the frame.
        const frame = await (await page.locator(`iframe[src$="embed/2018/beijinggang/"]`).elementHandle()).contentFrame();
        const title = frame.locator("h1 a");
        assert((await title.getAttribute("href")) === "../../../2018/beijinggang/index.html", "the title links to the full page");
        if (label === "desktop") {
          await title.click();
          await page.waitForURL(/\/2018\/beijinggang\/index\.html$/);
          assert(page.url().startsWith(embedOrigin), `the full report opened in the top window: ${page.url()}`);
        }
        await context.close();
      }
      // Narrowing the window re-measures: the frame follows its table.
      const context = await browser.newContext(desktop);
      const page = await context.newPage();
      await page.goto(outsideUrl);
      const iframe = page.locator(`iframe[src$="embed/townships/beijinggang/"]`);
      await page.waitForFunction(() => [...document.querySelectorAll("iframe")].every((f) => f.style.height !== ""));
      const wide = await iframe.evaluate((f) => f.getBoundingClientRect().height);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForFunction((h) => document.querySelectorAll("iframe")[1].getBoundingClientRect().height !== h, wide, { timeout: 5000 });
      await page.waitForTimeout(300);
      const frame = await (await iframe.elementHandle()).contentFrame();
      const narrow = await iframe.evaluate((f) => f.getBoundingClientRect().height);
      const doc = await frame.evaluate(() => document.documentElement.scrollHeight);
      assert(Math.abs(narrow - doc) <= 1, `after narrowing, the frame (${narrow}px) fits its document (${doc}px; ${wide}px before)`);
      await context.close();
    } finally {
      siteServer.close();
      outside.close();
    }
  });

  await scenario("embeds: readable alone, without script, and axe finds nothing serious", async () => {
    for (const [options, js] of [[desktop, true], [{ ...phone, javaScriptEnabled: false }, false]]) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      const violations = [];
      page.on("console", (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
      for (const rel of ["embed/2018/beijinggang/", "embed/townships/beijinggang/", "embed/2018/", "embed/county/"]) {
        await page.goto(base + rel);
        assert(await page.locator("table").first().isVisible(), `${rel}: a table is shown${js ? "" : " without script"}`);
        assert(await page.locator("h1 a").count() === 1, `${rel}: its title links to the full page`);
        if (js) {
          const minor = await axeCheck(page, rel);
          console.log(`     axe ${rel}: 0 serious/critical, ${minor} minor/moderate`);
        } else {
          await shot(page, `embed-${rel.replace(/\W+/g, "-").replace(/-$/, "")}-phone-noscript`);
        }
      }
      assert(violations.length === 0, `no CSP violation on the embeds: ${violations.join("\n")}`);
      await context.close();
    }
  });
}
