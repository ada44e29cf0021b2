// Drives themes/default/static/search.js in node against a built site's search/ folder, the way
// the browser does (each index file evaluated as a script in the page's global scope).
// Usage: node search_harness.js <search.js> <site dir> < requests.json > answers.json
// Requests: {normalize: [text], tokenize: [query], shardOf: [[token, bits]], mayFold: [text],
//            statusText: [[query, {results, total, complete}, shown]],
//            searches: [{q, year, township, want, syn}]} (syn: false turns the thesaurus off); each search runs in a fresh page so that
// `loaded` lists (with sizes) exactly the files that one query downloads. normalize, tokenize and
// shardOf run after docs.js and the folding table (fold.js) are loaded.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [searchJs, siteDir] = process.argv.slice(2);
const requests = JSON.parse(fs.readFileSync(0, 'utf8'));

function page() {
  const context = vm.createContext({ console, URLSearchParams, atob });
  vm.runInContext(fs.readFileSync(searchJs, 'utf8'), context, { filename: searchJs });
  const S = context.nianbaoSearch;
  const loaded = [];
  S.loader = (file) => new Promise((resolve, reject) => {
    try {
      const full = path.join(siteDir, 'search', file);
      const code = fs.readFileSync(full, 'utf8');
      loaded.push([file, Buffer.byteLength(code)]);
      vm.runInContext(code, context, { filename: full });
      resolve();
    } catch (e) {
      reject(e);
    }
  });
  return { S, loaded };
}

(async () => {
  const { S } = page();
  await S.readyFold();
  const out = {
    normalize: (requests.normalize || []).map((t) => S.normalize(t)),
    tokenize: (requests.tokenize || []).map((q) => S.tokenize(q)),
    shardOf: (requests.shardOf || []).map(([t, bits]) => S.shardOf(t, bits)),
    mayFold: (requests.mayFold || []).map((t) => S.mayFold(t)),
    statusText: (requests.statusText || []).map(([q, res, shown]) => S.statusText(q, res, shown)),
    searches: [],
  };
  for (const s of requests.searches || []) {
    const p = page();
    const filters = { year: s.year || '', township: s.township || '', syn: s.syn !== false };
    const res = await p.S.search(s.q, filters, s.want || 10);
    out.searches.push({
      q: s.q,
      terms: res.terms,
      total: res.total,
      complete: res.complete,
      sure: res.sure,
      results: res.results.map((r) => ({
        url: r.url,
        title: r.title,
        township: r.township,
        year: r.year,
        weight: r.weight,
        tier: r.tier,
        covered: r.covered,
        units: r.units,
        anchor: r.anchor,
        also: r.also,
        title_marked: r.titleSegments.map(([text, marked]) => (marked ? `<mark>${text}</mark>` : text)).join(''),
        snippet: r.snippet.map(([text, marked]) => (marked ? `<mark>${text}</mark>` : text)).join(''),
      })),
      also: res.also,
      pages: res.pages,
      answer: res.answer,
      loaded: p.loaded,
    });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
});
