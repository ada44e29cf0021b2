/* nianbao full-text search, in the browser, without a server.
 *
 * The index (built by src/search/mod.rs) is a set of scripts under search/ that call the
 * registration functions below; they are loaded with <script> tags, which also works for a site
 * opened from disk (file://), where fetch() is blocked. Normalisation (with the traditional →
 * simplified table that docs.js carries), the tokenizer and the shard hash must stay exactly those
 * of mod.rs (tests/search.rs checks both on shared vectors).
 *
 * Ranking, in two steps:
 * 1. From the postings (docs.js and the query's shards): a report is a candidate when the query
 *    tokens it has cover enough of the query's units (CJK characters and Latin words; a bigram
 *    covers its two characters) — see need() — so 存在的问题 finds 存在的主要问题 and a wrong
 *    character does not lose a long word. Candidates are ordered by units covered, then by the
 *    field of each (title 3, heading 2, body 1).
 * 2. The texts of the best candidates are loaded (PAGE at a time) and each term of the query is
 *    looked for in them: verbatim, or as a chain of its tokens in query order with at most SLACK
 *    extra characters between neighbours (one field at a time). A report stays a hit when its
 *    chains still cover enough units; hits rank by units covered, then by field (a verbatim term
 *    counting again, twice), then by how often the terms occur verbatim, then newest year, then a
 *    per-query order of townships (a hash of the query and the township's index), so that among equals no
 *    township is always first.
 *
 * Page hooks (search.html): #search-app (data-root: the site root relative to the page,
 * data-index: the search/ folder), #search-form, #search-q, #search-year, #search-township,
 * #search-status (aria-live), #search-results (<ol>; each hit is li.search-hit with
 * a.search-hit-title, p.search-hit-meta and p.search-hit-snippet; matches in <mark>),
 * #search-more. The URL parameters q, year and township fill the form.
 *
 * Script API (window.nianbaoSearch): normalize(text) (folds traditional characters once docs.js
 * is loaded: ready()), tokenize(query), shardOf(token, bits), search(query, {year, township},
 * want) → Promise of {terms, total, complete, results}; years() (once ready()); townships() →
 * Promise of [name, slug] (loads towns.js, which a search without a township filter does not);
 * loader(path) → Promise can be replaced (tests load the files with node).
 *
 * Files a search loads: docs.js, the shards of its tokens (s-<n>.js), the township chunks of the
 * hits shown (w-<k>.js), their texts' first parts (t/<year>/<slug>.js) and, only where that part
 * cannot decide a hit as the whole text would, the rest of the body (r/<year>/<slug>.js).
 */
(function (root) {
  'use strict';
  var S = root.nianbaoSearch || (root.nianbaoSearch = {});
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var TITLE = 3, HEADING = 2, BODY = 1;
  var PAGE = 10; /* hits verified (and texts loaded) at a time: about 5–10 KB each */
  var SNIPPET_BEFORE = 24, SNIPPET_LENGTH = 110;
  /* A pasted paragraph looks up this many of its tokens (spread over it), not every shard: the
   * check of each hit's text looks at all of them. */
  var MAX_TOKENS = 12;
  /* Characters allowed between two neighbouring tokens of a term beyond those of the query (the
   * 主要 of 存在的主要问题 for 存在的问题). */
  var SLACK = 3;
  /* A term's verbatim occurrences counted for ranking, at most: a long report that repeats a
   * phrase is not more about it than one that says it five times. */
  var MAX_OCCURRENCES = 5;
  /* Words of a question that no report contains (怎么申请政府信息公开 → 申请政府信息公开);
   * matched in normalised text. */
  var QUESTION = /为什么|怎么样|怎么办|怎么|怎样|如何|什么|哪些|哪里|哪儿|哪个|是否|能否|可否|有没有|是不是|请问|我想|我要|想要|想问|多少/g;
  var PARTICLES = /[吗呢吧啊呀]+(?=[\s?!.,]|$)/g;
  var FOLD_FIRST = 0x3400, FOLD_LAST = 0x9FFF;

  var meta = null;
  var fold = null;
  var shards = {};
  var texts = {};
  var towns = [];
  var loading = {};

  /* Registration, called by the index files. */
  S.docs = function (m) {
    /* Doc ids count the reports year by year along the runs of township indices. */
    m.year = [];
    m.town = [];
    m.years.forEach(function (entry) {
      var runs = entry[1];
      for (var k = 0; k + 1 < runs.length; k += 2) {
        for (var t = runs[k]; t <= runs[k + 1]; t++) {
          m.year.push(entry[0]);
          m.town.push(t);
        }
      }
    });
    /* The folding table: each traditional character followed by its simplified form. */
    var table = new Uint16Array(FOLD_LAST - FOLD_FIRST + 1);
    var pairs = m.fold || '';
    for (var i = 0; i + 1 < pairs.length; i += 2) {
      var c = pairs.charCodeAt(i);
      if (c >= FOLD_FIRST && c <= FOLD_LAST) table[c - FOLD_FIRST] = pairs.charCodeAt(i + 1);
    }
    fold = table;
    /* Pages added by plugins, [path, title], take the doc ids after the reports. */
    m.pages = m.pages || [];
    meta = m;
  };
  S.shard = function (n, map) { shards[n] = map; };
  /* A report's text: headings, table labels and the first part of the body; `r` when the rest
   * of the body is in r/<key>.js (loaded only when the first part cannot decide a hit). */
  S.text = function (key, t) { texts[key] = t; };
  S.rest = function (key, rest) {
    var t = texts[key];
    if (t && t.r) { t.b += rest; t.r = 0; t.n = null; }
  };
  /* Townships [name, slug] from index `first` on: w-<k>.js a chunk, towns.js all. */
  S.towns = function (first, list) {
    list.forEach(function (t, i) { towns[first + i] = t; });
  };

  /* Where the index files are, relative to the page. */
  S.base = '';

  S.loader = function (path) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = S.base + path;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error(path)); };
      document.head.appendChild(s);
    });
  };

  function load(path) {
    if (!loading[path]) {
      loading[path] = S.loader(path).catch(function (e) {
        delete loading[path];
        throw e;
      });
    }
    return loading[path];
  }

  /* One UTF-16 unit for one: full-width ASCII and U+3000 to half-width, A-Z to a-z, traditional
   * characters to simplified. */
  function normalize(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 0x3000) c = 0x20;
      else if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
      if (c >= 65 && c <= 90) c += 32;
      else if (fold && c >= FOLD_FIRST && c <= FOLD_LAST && fold[c - FOLD_FIRST]) c = fold[c - FOLD_FIRST];
      out += String.fromCharCode(c);
    }
    return out;
  }
  S.normalize = normalize;

  function isCjk(cp) {
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
  }

  function isWord(cp) {
    return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90);
  }

  /* The tokens of normalised text with where they are: [{t, q (offset), u0, u1 (units)}]. A CJK
   * run gives its bigrams (the character of a one-character run), a word itself; a bigram covers
   * two units, a character or a word one. */
  function tokensAt(text) {
    var out = [];
    var run = [];
    var kind = 0; /* 0 none, 1 CJK, 2 word */
    var units = 0;
    var flush = function () {
      if (kind === 2) {
        out.push({ t: run.map(function (r) { return r[0]; }).join(''), q: run[0][1], u0: units, u1: units + 1 });
        units += 1;
      } else if (kind === 1 && run.length === 1) {
        out.push({ t: run[0][0], q: run[0][1], u0: units, u1: units + 1 });
        units += 1;
      } else if (kind === 1) {
        for (var i = 1; i < run.length; i++) {
          out.push({ t: run[i - 1][0] + run[i][0], q: run[i - 1][1], u0: units + i - 1, u1: units + i + 1 });
        }
        units += run.length;
      }
      run = [];
    };
    var at = 0;
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      var k = isCjk(cp) ? 1 : isWord(cp) ? 2 : 0;
      if (k !== kind) { flush(); kind = k; }
      if (k) run.push([ch, at]);
      at += ch.length;
    }
    flush();
    return { tokens: out, units: units };
  }

  /* Query tokens: bigrams of CJK runs (the character of a one-character run), words, each once. */
  function tokenize(query) {
    var out = [];
    tokensAt(normalize(query)).tokens.forEach(function (t) {
      if (out.indexOf(t.t) < 0) out.push(t.t);
    });
    return out;
  }
  S.tokenize = tokenize;

  /* FNV-1a over code points. */
  function hash(text) {
    var h = 0x811C9DC5;
    for (var ch of text) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193);
    return h >>> 0;
  }

  /* The shard of a token among 1 << bits. */
  function shardOf(token, bits) {
    return hash(token) & ((1 << bits) - 1);
  }
  S.shardOf = shardOf;

  /* Units a report must cover of a query's `units`: 60 %, and at least three (two tokens) once
   * the query has three; all of a one- or two-unit query. */
  function need(units) {
    return Math.max(Math.floor((3 * units + 4) / 5), Math.min(units, 3));
  }
  S.need = need;

  /* The query as the search reads it: its terms (separated by spaces, question words dropped,
   * trimmed to their first and last token) with their tokens. */
  function parse(query) {
    var norm = normalize(query);
    var plain = norm.replace(QUESTION, ' ').replace(PARTICLES, ' ');
    if (tokensAt(plain).units) norm = plain;
    var terms = [];
    norm.split(/\s+/).forEach(function (word) {
      var found = tokensAt(word);
      if (!found.units) return;
      var first = found.tokens[0], last = found.tokens[found.tokens.length - 1];
      var end = last.q + last.t.length;
      var text = word.slice(first.q, end);
      found.tokens.forEach(function (t) { t.q -= first.q; });
      terms.push({ text: text, tokens: found.tokens, units: found.units });
    });
    return terms;
  }

  /* doc id → best field, from a posting string: varints `gap << 3 | run << 2 | field`, where a
   * run is followed by the count of further consecutive docs with the same field. */
  function decode(postings) {
    var out = new Map();
    var next = 0, v = 0, scale = 1, run = -1;
    for (var i = 0; i < postings.length; i++) {
      var d = ALPHABET.indexOf(postings.charAt(i));
      v += (d & 31) * scale;
      if (d & 32) { scale *= 32; continue; }
      if (run >= 0) {
        for (var k = 0; k < v; k++) out.set(next++, run);
        run = -1;
      } else {
        next += Math.floor(v / 8);
        out.set(next++, v % 4);
        if (v & 4) run = v % 4;
      }
      v = 0;
      scale = 1;
    }
    return out;
  }

  function docInfo(id) {
    if (id >= meta.year.length) {
      var k = id - meta.year.length;
      var p = meta.pages[k] || ['', ''];
      return { id: id, township: '', slug: '', year: 0, title: p[1], key: 'p/' + k, url: p[0] };
    }
    var t = towns[meta.town[id]] || ['', ''];
    var year = meta.year[id];
    var own = Object.prototype.hasOwnProperty.call(meta.titles, String(id));
    return {
      id: id,
      township: t[0],
      slug: t[1],
      year: year,
      title: own ? meta.titles[id] : meta.region + t[0] + year + '年度政府信息公开工作年度报告',
      key: year + '/' + t[1],
      url: year + '/' + t[1] + '/index.html'
    };
  }

  function postingsOf(token) {
    var map = shards[shardOf(token, meta.bits)];
    return map && Object.prototype.hasOwnProperty.call(map, token) ? decode(map[token]) : new Map();
  }

  /* The distinct tokens the index is asked about, each with the query units it covers (numbered
   * across the terms); at most MAX_TOKENS, spread over the query. */
  function lookups(terms) {
    var out = [];
    var base = 0;
    terms.forEach(function (term) {
      term.tokens.forEach(function (t) {
        var known = out.filter(function (o) { return o.t === t.t; })[0];
        if (!known) out.push(known = { t: t.t, units: [] });
        for (var u = t.u0; u < t.u1; u++) known.units.push(base + u);
      });
      base += term.units;
    });
    if (out.length > MAX_TOKENS) {
      var step = out.length / MAX_TOKENS;
      out = out.filter(function (t, i) { return Math.floor(i / step) !== Math.floor((i - 1) / step); });
    }
    return out;
  }

  /* Candidates from the postings: reports that pass the filters and cover need() of the units
   * the looked-up tokens cover, best first. `order` ranks townships among equals. */
  function candidates(looked, filters, order) {
    var units = [];
    looked.forEach(function (t) {
      t.units.forEach(function (u) { if (units.indexOf(u) < 0) units.push(u); });
    });
    var enough = need(units.length);
    var fields = new Map();
    looked.forEach(function (t, k) {
      postingsOf(t.t).forEach(function (field, doc) {
        var row = fields.get(doc);
        if (!row) fields.set(doc, row = new Uint8Array(looked.length));
        row[k] = field;
      });
    });
    var year = filters.year ? Number(filters.year) : 0;
    var best = {};
    var out = [];
    fields.forEach(function (row, doc) {
      if (year && meta.year[doc] !== year) return;
      if (filters.township && meta.town[doc] !== filters.town) return;
      best = {};
      looked.forEach(function (t, k) {
        if (row[k]) t.units.forEach(function (u) { best[u] = Math.max(best[u] || 0, row[k]); });
      });
      var covered = 0, weight = 0;
      for (var u in best) { covered++; weight += best[u]; }
      if (covered < enough) return;
      out.push({ doc: doc, covered: covered, weight: weight, year: meta.year[doc] || 0, order: order(meta.town[doc]) });
    });
    return out.sort(function (a, b) {
      return b.covered - a.covered || b.weight - a.weight || b.year - a.year || a.order - b.order || a.doc - b.doc;
    });
  }

  function normalized(text) {
    if (!text.n) {
      text.n = { h: text.h.map(normalize), b: normalize(text.b), l: normalize(text.l) };
    }
    return text.n;
  }

  function isWordCode(c) {
    return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
  }

  /* Where `text` occurs in normalised text; a Latin word or number only whole (2 is not in 2018). */
  function occurrences(norm, text) {
    var out = [];
    var wordStart = isWordCode(text.charCodeAt(0)), wordEnd = isWordCode(text.charCodeAt(text.length - 1));
    for (var i = norm.indexOf(text); i >= 0; i = norm.indexOf(text, i + 1)) {
      if (wordStart && isWordCode(norm.charCodeAt(i - 1))) continue;
      if (wordEnd && isWordCode(norm.charCodeAt(i + text.length))) continue;
      out.push(i);
    }
    return out;
  }

  /* How much of `term` one normalised text has: the verbatim occurrences, and the best chain of
   * the term's tokens — in query order, each at most SLACK characters further on than in the
   * query — as {units, ranges}. */
  function match(norm, term) {
    var verbatim = occurrences(norm, term.text);
    if (verbatim.length) {
      return { verbatim: verbatim.length, units: term.units, ranges: verbatim.map(function (p) { return [p, p + term.text.length]; }) };
    }
    var occ = [];
    term.tokens.forEach(function (t) {
      occurrences(norm, t.t).forEach(function (p) { occ.push({ p: p, t: t }); });
    });
    occ.sort(function (a, b) { return a.p - b.p || a.t.q - b.t.q; });
    var reach = term.text.length + SLACK;
    var top = -1;
    occ.forEach(function (o, j) {
      o.units = o.t.u1 - o.t.u0;
      o.from = null;
      for (var k = j - 1; k >= 0 && o.p - occ[k].p <= reach; k--) {
        var before = occ[k];
        var dq = o.t.q - before.t.q, dp = o.p - before.p;
        if (dq <= 0 || dp <= 0 || dp > dq + SLACK) continue;
        var units = before.units + o.t.u1 - Math.max(o.t.u0, before.t.u1);
        if (units > o.units) { o.units = units; o.from = before; }
      }
      if (top < 0 || o.units > occ[top].units) top = j;
    });
    var ranges = [];
    for (var o = top < 0 ? null : occ[top]; o; o = o.from) ranges.unshift([o.p, o.p + o.t.t.length]);
    return { verbatim: 0, units: top < 0 ? 0 : occ[top].units, ranges: ranges };
  }

  /* The ranges of `found` (one match per term) to mark: verbatim terms everywhere, otherwise a
   * chain that covers need() of its term. */
  function marks(found, terms) {
    var out = [];
    found.forEach(function (m, j) {
      if (m.verbatim || (m.units && m.units >= need(terms[j].units))) out = out.concat(m.ranges);
    });
    return merge(out);
  }

  /* Sorted, overlapping ranges merged. */
  function merge(list) {
    list = list.slice().sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    list.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /* [[text, marked], …] of original[from, to) with `ranges` marked. */
  function segments(original, ranges, from, to) {
    var out = [];
    var at = from;
    ranges.forEach(function (r) {
      var s = Math.max(r[0], at), e = Math.min(r[1], to);
      if (e <= s) return;
      if (s > at) out.push([original.slice(at, s), false]);
      out.push([original.slice(s, e), true]);
      at = e;
    });
    if (at < to) out.push([original.slice(at, to), false]);
    return out;
  }

  /* A window of original[from, to) around `pos`, never cutting a surrogate pair. */
  function span(norm, pos, before, length) {
    var from = Math.max(0, pos - before);
    var to = Math.min(norm.length, from + length);
    if (from > 0 && (norm.charCodeAt(from) & 0xFC00) === 0xDC00) from--;
    if (to < norm.length && (norm.charCodeAt(to) & 0xFC00) === 0xDC00) to++;
    return [from, to];
  }

  /* The text around the first mark, plus a shorter fragment for the first mark of each term not
   * in it (at most three fragments), joined with "…". `found`: one match per term. */
  function snippet(original, norm, found, terms) {
    var firsts = found.map(function (m, j) {
      return marks([m], [terms[j]]).map(function (r) { return r[0]; })[0];
    }).filter(function (p) { return p !== undefined; });
    var all = marks(found, terms);
    var wins = [span(norm, all.length ? all[0][0] : 0, SNIPPET_BEFORE, SNIPPET_LENGTH)];
    firsts.forEach(function (i) {
      var covered = wins.some(function (w) { return i >= w[0] && i < w[1]; });
      if (!covered && wins.length < 3) wins.push(span(norm, i, 12, 48));
    });
    wins.sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    var end = 0;
    wins.forEach(function (w) {
      var from = Math.max(w[0], end);
      if (from >= w[1]) return;
      if (from > end || (from > 0 && !out.length)) out.push(['…', false]);
      out = out.concat(segments(original, all, from, w[1]));
      end = w[1];
    });
    if (end < norm.length) out.push(['…', false]);
    out.reach = end;
    return out;
  }

  /* The hit for one report, or null when its text does not have enough of the query. */
  function check(doc, terms, order) {
    var info = docInfo(doc);
    var text = texts[info.key];
    if (!text) return null;
    var n = normalized(text);
    /* Title, headings, body, table labels: the same fields as the index. */
    var fields = [[normalize(info.title + ' ' + info.township), TITLE]]
      .concat(n.h.map(function (h) { return [h, HEADING]; }))
      .concat([[n.b, BODY], [n.l, BODY]]);
    var found = fields.map(function (f) {
      return terms.map(function (term) { return match(f[0], term); });
    });
    var covered = 0, units = 0, score = 0, repeats = 0;
    terms.forEach(function (term, j) {
      var best = 0, weight = 0, verbatim = 0, count = 0;
      fields.forEach(function (f, i) {
        var m = found[i][j];
        if (m.units > best || (m.units === best && f[1] > weight)) { best = m.units; weight = f[1]; }
        if (m.verbatim) { verbatim = Math.max(verbatim, f[1]); count += m.verbatim; }
      });
      covered += best;
      units += term.units;
      score += best * weight + 2 * term.units * verbatim;
      repeats += Math.min(count, MAX_OCCURRENCES);
    });
    if (!covered || covered < need(units)) return text.r ? { sure: false } : null;
    /* The snippet comes from the part with the most of the query: the body unless the table
     * labels or a heading have more. */
    var body = 1 + n.h.length;
    var parts = [[text.b, body], [text.l, body + 1]].concat(text.h.map(function (h, i) { return [h, 1 + i]; }));
    var where = parts[0], whereValue = -1;
    parts.forEach(function (part) {
      var value = 0;
      found[part[1]].forEach(function (m, j) {
        if (m.verbatim || m.units >= need(terms[j].units)) value += m.units + (m.verbatim ? 1 : 0);
      });
      if (value > whereValue) { where = part; whereValue = value; }
    });
    var snip = snippet(where[0], fields[where[1]][0], found[where[1]], terms);
    /* Without the rest of the body (text.r), the hit is what the whole text would give when every
     * term is verbatim in the body's first part (covered and field weights cannot rise: the rest
     * is body), MAX_OCCURRENCES times in what is loaded, and the snippet ends a term's length
     * before the part does (so the body is where it comes from, with the same marks). */
    var sure = !text.r || (where === parts[0] && terms.every(function (term, j) {
      var count = 0;
      fields.forEach(function (f, i) { count += found[i][j].verbatim; });
      return found[body][j].verbatim && count >= MAX_OCCURRENCES &&
        snip.reach + term.text.length <= n.b.length;
    }));
    var normTitle = normalize(info.title);
    var titleFound = terms.map(function (term) { return match(normTitle, term); });
    return {
      doc: doc,
      url: info.url,
      title: info.title,
      titleSegments: segments(info.title, marks(titleFound, terms), 0, normTitle.length),
      township: info.township,
      year: info.year,
      covered: covered,
      units: units,
      score: score,
      repeats: repeats,
      order: order(meta.town[doc]),
      snippet: snip,
      sure: sure
    };
  }

  function byRank(a, b) {
    return b.covered - a.covered || b.score - a.score || b.repeats - a.repeats ||
      b.year - a.year || a.order - b.order || a.doc - b.doc;
  }

  /* Search: up to `want` verified hits (more are verified as asked for). `total` counts the
   * candidates; when `complete`, every candidate was verified and the hits are all of them. */
  S.search = function (query, filters, want) {
    filters = filters || {};
    want = want || PAGE;
    if (!tokensAt(normalize(query)).units) return Promise.resolve({ terms: [], total: 0, complete: true, results: [] });
    var terms, looked, order;
    return load('docs.js').then(function () {
      /* A township filter names a slug: the list of townships says which index it is. */
      return filters.township ? load('towns.js') : null;
    }).then(function () {
      if (filters.township) {
        filters = { year: filters.year, township: filters.township, town: -1 };
        towns.forEach(function (t, i) { if (t[1] === filters.township) filters.town = i; });
      }
      /* Parsed once the folding table is there. */
      terms = parse(query);
      looked = lookups(terms);
      var needed = [];
      looked.forEach(function (t) {
        var n = shardOf(t.t, meta.bits);
        if (needed.indexOf(n) < 0) needed.push(n);
      });
      return Promise.all(needed.map(function (n) { return load('s-' + n + '.js'); }));
    }).then(function () {
      var key = terms.map(function (t) { return t.text; }).join(' ');
      var orders = [];
      order = function (town) {
        if (town === undefined) return 0;
        if (orders[town] === undefined) orders[town] = hash(key + '\n' + town);
        return orders[town];
      };
      return verify(candidates(looked, filters, order), terms, order, want);
    });
  };

  /* Texts are loaded for the best candidates, PAGE at a time, until `want` hits — or until
   * want + PAGE texts were looked at: a query whose candidates mostly fail the check does not
   * download every report (the rest are verified when more are asked for). */
  function verify(cands, terms, order, want) {
    var results = [];
    var next = 0;
    function step() {
      if (results.length >= want || next >= cands.length || next >= want + PAGE) {
        results.sort(byRank);
        var complete = next >= cands.length;
        return {
          terms: terms.map(function (t) { return t.text; }),
          total: complete ? results.length : cands.length,
          complete: complete,
          results: results
        };
      }
      var batch = cands.slice(next, next + PAGE);
      next += batch.length;
      var chunks = [];
      batch.forEach(function (c) {
        var k = Math.floor(meta.town[c.doc] / meta.chunk);
        if (c.doc < meta.year.length && chunks.indexOf(k) < 0) chunks.push(k);
      });
      return Promise.all(chunks.map(function (k) { return load('w-' + k + '.js'); })).then(function () {
        return Promise.all(batch.map(function (c) { return load('t/' + docInfo(c.doc).key + '.js'); }));
      }).then(function () {
        /* The rest of a body only where its first part cannot decide. */
        var unsure = batch.filter(function (c) {
          var hit = check(c.doc, terms, order);
          return hit && !hit.sure;
        });
        return Promise.all(unsure.map(function (c) { return load('r/' + docInfo(c.doc).key + '.js'); }));
      }).then(function () {
        batch.forEach(function (c) {
          var hit = check(c.doc, terms, order);
          if (hit && hit.sure !== false) results.push(hit);
        });
        return step();
      });
    }
    return step();
  }

  S.years = function () {
    return meta.years.map(function (e) { return e[0]; }).sort(function (a, b) { return b - a; });
  };

  /* Promise of the townships that have reports, [name, slug] (loads towns.js). */
  S.townships = function () {
    return load('docs.js').then(function () { return load('towns.js'); }).then(function () {
      var used = {};
      meta.town.forEach(function (t) { used[t] = true; });
      return towns.filter(function (t, i) { return used[i]; });
    });
  };

  S.ready = function () { return load('docs.js'); };

  /* ---- The search page. ---- */

  function byId(id) { return document.getElementById(id); }

  function fill(el, segs) {
    segs.forEach(function (s) {
      if (s[1]) {
        var m = document.createElement('mark');
        m.textContent = s[0];
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(s[0]));
      }
    });
  }

  function option(select, value, text) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  function page() {
    var app = byId('search-app');
    if (!app) return;
    var siteRoot = app.getAttribute('data-root') || '';
    S.base = app.getAttribute('data-index') || '';
    var form = byId('search-form'), q = byId('search-q'), year = byId('search-year');
    var township = byId('search-township'), status = byId('search-status');
    var list = byId('search-results'), more = byId('search-more');
    var params = new URLSearchParams(root.location.search);
    q.value = params.get('q') || '';
    var want = PAGE;
    var seq = 0;

    function render(query, res, firstNew) {
      list.textContent = '';
      res.results.forEach(function (r, i) {
        var li = document.createElement('li');
        li.className = 'search-hit';
        var a = document.createElement('a');
        a.className = 'search-hit-title';
        a.href = siteRoot + r.url;
        fill(a, r.titleSegments);
        var m = document.createElement('p');
        m.className = 'search-hit-meta';
        m.textContent = r.year ? r.township + ' · ' + r.year + '年度' : '本站页面';
        var p = document.createElement('p');
        p.className = 'search-hit-snippet';
        fill(p, r.snippet);
        li.appendChild(a);
        li.appendChild(m);
        li.appendChild(p);
        list.appendChild(li);
        if (i === firstNew) a.focus();
      });
      if (!res.results.length) {
        status.textContent = '没有找到包含“' + query + '”的报告。请换一个词，或减少筛选条件。';
      } else if (res.complete) {
        status.textContent = '共 ' + res.results.length + ' 条结果';
      } else {
        status.textContent = '约 ' + res.total + ' 条结果，已显示 ' + res.results.length + ' 条';
      }
      more.hidden = res.complete;
    }

    function run(firstNew) {
      var query = q.value.trim();
      var mine = ++seq;
      if (!query) {
        list.textContent = '';
        more.hidden = true;
        status.textContent = '请输入要搜索的词语，例如乡镇名称或“依申请公开”。';
        return;
      }
      status.textContent = '正在搜索…';
      S.search(query, { year: year.value, township: township.value }, want).then(function (res) {
        if (mine === seq) render(query, res, firstNew);
      }, function () {
        if (mine === seq) status.textContent = '搜索索引加载失败，请刷新页面后重试。';
      });
    }

    function remember() {
      var p = new URLSearchParams();
      if (q.value.trim()) p.set('q', q.value.trim());
      if (year.value) p.set('year', year.value);
      if (township.value) p.set('township', township.value);
      try { root.history.replaceState(null, '', '?' + p.toString()); } catch (e) { /* file:// */ }
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      want = PAGE;
      remember();
      run(-1);
    });
    [year, township].forEach(function (el) {
      el.addEventListener('change', function () { want = PAGE; remember(); run(-1); });
    });
    more.addEventListener('click', function () {
      var shown = list.children.length;
      want = shown + PAGE;
      run(shown);
    });

    /* The township list (all townships, tens of KB in a large county) is loaded when the filter
     * is used, not for every search. */
    var listed = null;
    function listTownships() {
      if (!listed) {
        listed = S.townships().then(function (list) {
          var chosen = township.value;
          list.forEach(function (t) { option(township, t[1], t[0]); });
          township.value = chosen;
        });
      }
      return listed;
    }
    ['focus', 'pointerdown'].forEach(function (e) { township.addEventListener(e, listTownships); });
    S.ready().then(function () {
      S.years().forEach(function (y) { option(year, String(y), y + '年度'); });
      year.value = params.get('year') || '';
      var wanted = params.get('township') || '';
      if (!wanted) return run(-1);
      return listTownships().then(function () {
        township.value = wanted;
        run(-1);
      });
    }).catch(function () {
      status.textContent = '搜索索引加载失败，请刷新页面后重试。';
    });
  }

  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', page);
    else page();
  }
})(typeof window !== 'undefined' ? window : this);
