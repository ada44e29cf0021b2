// Runs nianbao's search and Pagefind's over the same built site in headless Chromium, query by
// query, each in a fresh browser context (a reader's first search: nothing cached), and scores
// both against the relevance judgments.
//
//   node bench/search/compare.mjs <site dir> <chromium> > results.json
//
// The queries and judgments are those of the set SEARCH_BENCH_SET names (bench/search/<set>/),
// or of the development set in bench/search/ when it is unset (see run.sh).
//
// The site is served from 127.0.0.1 (Pagefind needs a server; nianbao is also checked opened
// from disk, file://). nianbao: search/index.html?q=… until its hits are shown. Pagefind:
// pagefind.search(q) from a blank page, then the data of its first 5 results (what a page of
// results shows). Bytes are the bodies of every response the page received; time is from the
// navigation to the first 5 results.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";

const [site, chromiumPath] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);
const set = process.env.SEARCH_BENCH_SET || "";
if (set && !/^[a-z0-9_-]+$/.test(set)) throw new Error(`SEARCH_BENCH_SET must be a folder name under bench/search: ${set}`);
const setDir = path.join(here, set);
const read = (f) => fs.readFileSync(path.join(setDir, f), "utf8").split("\n").filter((l) => l && !l.startsWith("#")).slice(1);
const queries = read("queries.tsv").map((l) => l.split("\t")[0]);
const judged = Object.fromEntries(read("judgments.tsv").map((l) => {
  const [q, rel] = l.split("\t");
  return [q, new Set((rel || "").split(" ").filter(Boolean))];
}));

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
fs.writeFileSync(path.join(site, "pagefind-bench.html"), "<!doctype html><meta charset=utf-8><title>pagefind</title>\n");
const server = http.createServer((req, res) => {
  const file = path.join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    res.end(data);
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});

/** A fresh context that counts the bytes of every response. */
async function fresh() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const files = [];
  page.on("response", async (r) => {
    try { files.push([new URL(r.url()).pathname, (await r.body()).length]); } catch { /* redirects */ }
  });
  return { context, page, files };
}

/** `<year>/<slug>` of a report page's URL, or the path of another page. */
function key(url) {
  const m = /\/(\d{4})\/([^/]+)\/(?:index\.html)?(?:[#?].*)?$/.exec(new URL(url, origin).pathname + (url.includes("#") ? "" : ""));
  return m ? `${m[1]}/${m[2]}` : new URL(url, origin).pathname;
}

async function nianbao(q, base = origin) {
  const { context, page, files } = await fresh();
  const t0 = Date.now();
  await page.goto(`${base}/search/index.html?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s && s !== "正在搜索…";
  }, null, { timeout: 30000 });
  const ms = Date.now() - t0;
  const hits = await page.$$eval("#search-results a.search-hit-title", (as) => as.map((a) => a.getAttribute("href")));
  const status = await page.textContent("#search-status");
  const answer = await page.$eval("#search-answer", (e) => (e.hidden ? "" : e.textContent)).catch(() => "");
  const pages = await page.$$eval("#search-pages a", (as) => as.map((a) => a.getAttribute("href")));
  await new Promise((r) => setTimeout(r, 200));
  await context.close();
  return { top: hits.slice(0, 5).map((h) => key(h.replace(/^(\.\.\/)+/, "/"))), status, answer, pages, ms, files };
}

async function pagefind(q) {
  const { context, page, files } = await fresh();
  const t0 = Date.now();
  await page.goto(`${origin}/pagefind-bench.html`);
  const urls = await page.evaluate(async (query) => {
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const search = await pf.search(query);
    const data = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
    return { urls: data.map((d) => d.url), total: search.results.length };
  }, q);
  const ms = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 200));
  await context.close();
  return { top: urls.urls.map(key), total: urls.total, ms, files };
}

const rows = [];
for (const q of queries) {
  const rel = judged[q] || new Set();
  const n = await nianbao(q);
  const p = await pagefind(q);
  const score = (top) => top.filter((k) => rel.has(k)).length;
  rows.push({ q, relevant: rel.size, reachable: Math.min(5, rel.size), nianbao: { ...n, good: score(n.top) }, pagefind: { ...p, good: score(p.top) } });
  process.stderr.write(`${q}: nianbao ${score(n.top)}/${Math.min(5, rel.size)} pagefind ${score(p.top)}/${Math.min(5, rel.size)}\n`);
}
// From disk: the search page opened as a file.
const disk = await nianbao(queries[0], `file://${path.resolve(site)}`).catch((e) => ({ error: String(e) }));
const diskPagefind = await (async () => {
  const { context, page } = await fresh();
  try {
    await page.goto(`file://${path.resolve(site)}/pagefind-bench.html`);
    return await page.evaluate(async () => {
      try {
        const pf = await import("./pagefind/pagefind.js");
        await pf.init();
        const s = await pf.search("依申请公开");
        return { results: s.results.length };
      } catch (e) { return { error: String(e) }; }
    });
  } finally { await context.close(); }
})();
await browser.close();
server.close();
process.stdout.write(JSON.stringify({ rows, disk: { nianbao: disk.top ? { top: disk.top, status: disk.status } : disk, pagefind: diskPagefind } }, null, 1));
