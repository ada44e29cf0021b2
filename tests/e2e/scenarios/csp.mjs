// The Content-Security-Policy every page carries: the site's own scripts, styles and search
// shards work under the sub-path and from file:// (Chromium matches 'self' of a file:// page to
// the files beside it), no page type reports a violation, an inline script and style attribute
// injected after the build are refused while Markdown's table alignments still apply, and
// serve's live reload (script and WebSocket) and its error overlay still work, for a full page
// and for an embed.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";

// Installed before any script of the page: collects what the policy refused.
function collectViolations() {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
}

const PAGES = ["index.html", "2018/index.html", "townships/beijinggang/index.html", "2018/beijinggang/index.html",
  "county/index.html", "data/index.html", "audit/index.html", "search/index.html?q=北景港",
  "embed/2018/beijinggang/index.html", "embed/townships/beijinggang/index.html", "embed/2018/index.html", "embed/county/index.html"];

async function pageWorks(page, rel, assert, where = "") {
  const label = where + rel;
  if (rel.startsWith("search/")) {
    await page.waitForSelector("#search-results li", { timeout: 10000 });
  }
  if (!rel.startsWith("embed/")) {
    // care.js ran (it shows the reading bar) and style.css applied (the red header).
    assert(await page.locator("#a11y-bar").isVisible(), `${label}: care.js ran`);
    const header = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).backgroundColor);
    assert(header === "rgb(163, 21, 21)", `${label}: style.css applied (header ${header})`);
  } else {
    const padding = await page.evaluate(() => getComputedStyle(document.body).paddingTop);
    assert(padding === "8px", `${label}: the inline style applied (body padding ${padding})`);
  }
  const refused = await page.evaluate(() => window.__csp);
  assert(refused.length === 0, `${label}: no CSP violation: ${refused.join(", ")}`);
}

const PROBE = `<script>window.__injected = true;</script>
<p id="csp-probe" style="color: rgb(255, 0, 0)">注入的段落</p>
<table><tr><td id="csp-align" style="text-align:center">居中</td></tr></table>`;

export default async function ({ scenario, assert, browser, base, site, args, desktop, untilText }) {
  await scenario("CSP: every page type works with its policy, under the sub-path and from file://", async () => {
    const context = await browser.newContext(desktop);
    await context.addInitScript(collectViolations);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    for (const rel of PAGES) {
      await page.goto(base + rel);
      await pageWorks(page, rel, assert);
      const [file, query] = rel.split("?");
      await page.goto("file://" + path.join(site, file) + (query ? `?q=${encodeURIComponent("北景港")}` : ""));
      await pageWorks(page, rel, assert, "file://");
    }
    await page.goto(base + "no-such-page/");
    await pageWorks(page, "404", assert);
    assert(errors.length === 0, `no script errors: ${errors.join(", ")}`);
    await context.close();
  });

  await scenario("CSP: an inline script and style injected after the build are refused", async () => {
    const probes = [];
    for (const rel of ["2018/beijinggang/index.html", "embed/2018/beijinggang/index.html"]) {
      const probe = path.join(site, path.dirname(rel), "csp-probe.html");
      fs.writeFileSync(probe, fs.readFileSync(path.join(site, rel), "utf8").replace("</body>", `${PROBE}\n</body>`));
      probes.push([path.dirname(rel), probe]);
    }
    try {
      const context = await browser.newContext(desktop);
      await context.addInitScript(collectViolations);
      const page = await context.newPage();
      for (const [dir, file] of probes) {
        for (const url of [`${base}${dir}/csp-probe.html`, `file://${file}`]) {
          await page.goto(url);
          await page.waitForTimeout(100);
          const seen = await page.evaluate(() => ({
            injected: window.__injected === true,
            colour: getComputedStyle(document.getElementById("csp-probe")).color,
            align: getComputedStyle(document.getElementById("csp-align")).textAlign,
            refused: window.__csp,
          }));
          assert(!seen.injected, `${url}: the injected script did not run`);
          assert(seen.refused.some((v) => v.startsWith("script-src")), `${url}: the policy reported the script: ${seen.refused}`);
          assert(seen.colour !== "rgb(255, 0, 0)", `${url}: the injected style attribute was refused`);
          assert(seen.refused.some((v) => v.startsWith("style-src")), `${url}: the policy reported the style: ${seen.refused}`);
          if (dir.startsWith("embed")) {
            // An embed has no Markdown: its policy allows no style attribute at all.
            assert(seen.refused.length === 3, `${url}: nothing of the embed's own was refused: ${seen.refused}`);
          } else {
            assert(seen.refused.length === 2, `${url}: nothing of the site's own was refused: ${seen.refused}`);
            // Markdown's alignment attributes are allowed by their hashes.
            assert(seen.align === "center", `${url}: a Markdown table alignment still applies (${seen.align})`);
            assert(await page.locator("#a11y-bar").isVisible(), `${url}: the site's own script still ran`);
          }
        }
      }
      await context.close();
    } finally {
      for (const [, file] of probes) fs.rmSync(file);
    }
  });

  await scenario("CSP: serve's live reload connects and reloads a page and an embed; its error overlay is styled", async () => {
    const root = path.join(args.work, "csp-serve-site");
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
      await context.addInitScript(collectViolations);
      const opened = [];
      for (const rel of ["2020/qingshan/index.html", "embed/2020/qingshan/"]) {
        const page = await context.newPage();
        const socket = page.waitForEvent("websocket", { timeout: 10000 });
        await page.goto(new URL(rel, url).href);
        await socket;
        opened.push([rel, page]);
      }
      await opened[0][1].waitForTimeout(300);
      const stats = path.join(root, "content/2020/qingshan/stats.yaml");
      const text = fs.readFileSync(stats, "utf8");
      const line = text.split("\n").find((l) => l.startsWith("  apps.new_received.total:"));
      assert(line, "the demo's stats.yaml has apps.new_received.total");
      fs.writeFileSync(stats, text.replace(line, "  apps.new_received.total: 987654"));
      for (const [rel, page] of opened) {
        await untilText(page, "987654");
        const refused = await page.evaluate(() => window.__csp);
        assert(refused.length === 0, `${rel} under serve: no CSP violation: ${refused.join(", ")}`);
      }
      // A broken edit: the error overlay appears, styled (its styles are set through the CSSOM,
      // which the policy does not restrict), still without a violation.
      fs.writeFileSync(stats, text.replace(line, "  apps.new_received.total: 九八七"));
      const page = opened[0][1];
      await page.waitForSelector("#nianbao-error-overlay", { timeout: 15000 });
      const position = await page.evaluate(() => getComputedStyle(document.getElementById("nianbao-error-overlay")).position);
      assert(position === "fixed", `the error overlay is styled (position ${position})`);
      const refused = await page.evaluate(() => window.__csp);
      assert(refused.length === 0, `the overlay caused no CSP violation: ${refused.join(", ")}`);
      await context.close();
    } finally {
      child.kill();
    }
  });
}
