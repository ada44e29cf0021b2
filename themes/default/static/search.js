/* nianbao full-text search, in the browser, without a server.
 *
 * The index (built by src/search/mod.rs) is a set of scripts under search/ that call the
 * registration functions below; they are loaded with <script> tags, which also works for a site
 * opened from disk (file://), where fetch() is blocked. Normalisation (with the traditional →
 * simplified table that docs.js carries), the tokenizer and the shard hash must stay exactly those
 * of mod.rs (tests/search.rs checks both on shared vectors).
 *
 * Page hooks (search.html): #search-app (data-root: the site root relative to the page,
 * data-index: the search/ folder), #search-form, #search-q, #search-year, #search-township,
 * #search-status (aria-live), #search-results (<ol>; each hit is li.search-hit with
 * a.search-hit-title, p.search-hit-meta and p.search-hit-snippet; matches in <mark>),
 * #search-more. The URL parameters q, year and township fill the form.
 *
 * Script API (window.nianbaoSearch): normalize(text) (folds traditional characters once docs.js
 * is loaded: ready()), tokenize(query), shardOf(token, bits), search(query, {year, township},
 * want) → Promise of {total, complete, results}; loader(path) → Promise can be replaced (tests
 * load the files with node).
 */
(function (root) {
  'use strict';
  var S = root.nianbaoSearch || (root.nianbaoSearch = {});
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var TITLE = 3, HEADING = 2, BODY = 1;
  var PAGE = 10; /* hits verified (and texts loaded) at a time: about 10 KB each */
  var SNIPPET_BEFORE = 24, SNIPPET_LENGTH = 110;
  /* A pasted paragraph looks up this many of its tokens (spread over it), not every shard: the
   * substring check of each hit keeps the results exact. */
  var MAX_TOKENS = 12;
  var FOLD_FIRST = 0x3400, FOLD_LAST = 0x9FFF;

  var meta = null;
  var fold = null;
  var shards = {};
  var texts = {};
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
    meta = m;
  };
  S.shard = function (n, map) { shards[n] = map; };
  S.text = function (key, t) { texts[key] = t; };

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

  /* Query tokens: bigrams of CJK runs (the character of a one-character run), words. */
  function tokenize(query) {
    var out = [];
    var push = function (t) { if (out.indexOf(t) < 0) out.push(t); };
    var run = [];
    var kind = 0; /* 0 none, 1 CJK, 2 word */
    var flush = function () {
      if (kind === 2 || (kind === 1 && run.length === 1)) push(run.join(''));
      else if (kind === 1) for (var i = 1; i < run.length; i++) push(run[i - 1] + run[i]);
      run = [];
    };
    for (var ch of normalize(query)) {
      var cp = ch.codePointAt(0);
      var k = isCjk(cp) ? 1 : isWord(cp) ? 2 : 0;
      if (k !== kind) { flush(); kind = k; }
      if (k) run.push(ch);
    }
    flush();
    return out;
  }
  S.tokenize = tokenize;

  /* FNV-1a over code points, masked to the shard count. */
  function shardOf(token, bits) {
    var h = 0x811C9DC5;
    for (var ch of token) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193);
    return (h >>> 0) & ((1 << bits) - 1);
  }
  S.shardOf = shardOf;

  /* doc id → best field, from a posting string. */
  function decode(postings) {
    var out = new Map();
    var doc = 0, v = 0, scale = 1;
    for (var i = 0; i < postings.length; i++) {
      var d = ALPHABET.indexOf(postings.charAt(i));
      v += (d & 31) * scale;
      if (d & 32) { scale *= 32; continue; }
      doc += Math.floor(v / 4);
      out.set(doc, v % 4);
      v = 0;
      scale = 1;
    }
    return out;
  }

  function docInfo(id) {
    var t = meta.townships[meta.town[id]] || ['', ''];
    var year = meta.year[id];
    var own = Object.prototype.hasOwnProperty.call(meta.titles, String(id));
    return {
      id: id,
      township: t[0],
      slug: t[1],
      year: year,
      title: own ? meta.titles[id] : meta.region + t[0] + year + '年度政府信息公开工作年度报告',
      key: year + '/' + t[1]
    };
  }

  function postingsOf(token) {
    var map = shards[shardOf(token, meta.bits)];
    return map && Object.prototype.hasOwnProperty.call(map, token) ? decode(map[token]) : new Map();
  }

  /* Reports that have every token and pass the filters, best estimated field first. */
  function candidates(tokens, filters) {
    var lists = tokens.map(postingsOf).sort(function (a, b) { return a.size - b.size; });
    var year = filters.year ? Number(filters.year) : 0;
    var out = [];
    lists[0].forEach(function (field, doc) {
      var est = field;
      for (var i = 1; i < lists.length; i++) {
        var f = lists[i].get(doc);
        if (f === undefined) return;
        est = Math.min(est, f);
      }
      if (year && meta.year[doc] !== year) return;
      if (filters.township && (meta.townships[meta.town[doc]] || [])[1] !== filters.township) return;
      out.push({ doc: doc, est: est, year: meta.year[doc] });
    });
    return out.sort(function (a, b) { return b.est - a.est || b.year - a.year || a.doc - b.doc; });
  }

  function normalized(text) {
    if (!text.n) {
      text.n = { h: text.h.map(normalize), b: normalize(text.b), l: normalize(text.l) };
    }
    return text.n;
  }

  /* Ranges [start, end) of every occurrence of the terms in normalised text, merged. */
  function ranges(norm, terms, from, to) {
    var found = [];
    terms.forEach(function (term) {
      for (var i = norm.indexOf(term, from); i >= 0 && i < to; i = norm.indexOf(term, i + 1)) {
        found.push([i, Math.min(i + term.length, to)]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    found.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r);
    });
    return merged;
  }

  /* [[text, marked], …] of original[from, to) with the terms marked. */
  function segments(original, norm, terms, from, to) {
    var out = [];
    var at = from;
    ranges(norm, terms, from, to).forEach(function (r) {
      if (r[0] > at) out.push([original.slice(at, r[0]), false]);
      out.push([original.slice(r[0], r[1]), true]);
      at = r[1];
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

  /* The text around the first match, plus a shorter fragment for each term not in it (at most
   * three fragments), joined with "…". */
  function snippet(original, norm, terms) {
    var first = function (t) { return norm.indexOf(t); };
    var pos = terms.map(first).filter(function (i) { return i >= 0; });
    var wins = [span(norm, pos.length ? Math.min.apply(null, pos) : 0, SNIPPET_BEFORE, SNIPPET_LENGTH)];
    terms.forEach(function (t) {
      var i = first(t);
      var covered = wins.some(function (w) { return i >= w[0] && i + t.length <= w[1]; });
      if (i >= 0 && !covered && wins.length < 3) wins.push(span(norm, i, 12, 48));
    });
    wins.sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    var end = 0;
    wins.forEach(function (w) {
      var from = Math.max(w[0], end);
      if (from >= w[1]) return;
      if (from > end || (from > 0 && !out.length)) out.push(['…', false]);
      out = out.concat(segments(original, norm, terms, from, w[1]));
      end = w[1];
    });
    if (end < norm.length) out.push(['…', false]);
    return out;
  }

  /* The hit for one report, or null when a term is not really in its text. */
  function check(doc, terms) {
    var info = docInfo(doc);
    var text = texts[info.key];
    if (!text) return null;
    var n = normalized(text);
    var title = normalize(info.title + ' ' + info.township);
    var score = 0;
    var where = null;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var best = 0;
      if (title.indexOf(term) >= 0) best = TITLE;
      else if (n.h.some(function (h) { return h.indexOf(term) >= 0; })) best = HEADING;
      else if (n.b.indexOf(term) >= 0 || n.l.indexOf(term) >= 0) best = BODY;
      if (!best) return null;
      score += best;
    }
    if (terms.some(function (t) { return n.b.indexOf(t) >= 0; })) where = [text.b, n.b];
    else if (terms.some(function (t) { return n.l.indexOf(t) >= 0; })) where = [text.l, n.l];
    else {
      var h = n.h.findIndex(function (x) { return terms.some(function (t) { return x.indexOf(t) >= 0; }); });
      where = h >= 0 ? [text.h[h], n.h[h]] : [text.b, n.b];
    }
    var normTitle = normalize(info.title);
    return {
      doc: doc,
      url: info.key + '/index.html',
      title: info.title,
      titleSegments: segments(info.title, normTitle, terms, 0, normTitle.length),
      township: info.township,
      year: info.year,
      score: score,
      snippet: snippet(where[0], where[1], terms)
    };
  }

  /* Search: up to `want` verified hits (more are verified as asked for). `total` counts the
   * candidates; when `complete`, every candidate was verified and the hits are all of them. */
  S.search = function (query, filters, want) {
    filters = filters || {};
    want = want || PAGE;
    if (!tokenize(query).length) return Promise.resolve({ terms: [], total: 0, complete: true, results: [] });
    var terms, tokens;
    return load('docs.js').then(function () {
      /* Normalised once the folding table is there. */
      terms = normalize(query).split(/\s+/).filter(Boolean);
      tokens = tokenize(query);
      if (tokens.length > MAX_TOKENS) {
        var step = tokens.length / MAX_TOKENS;
        tokens = tokens.filter(function (t, i) { return Math.floor(i / step) !== Math.floor((i - 1) / step); });
      }
      var needed = [];
      tokens.forEach(function (t) {
        var n = shardOf(t, meta.bits);
        if (needed.indexOf(n) < 0) needed.push(n);
      });
      return Promise.all(needed.map(function (n) { return load('s-' + n + '.js'); }));
    }).then(function () {
      return verify(candidates(tokens, filters), terms, want);
    });
  };

  function verify(cands, terms, want) {
    var results = [];
    var next = 0;
    function step() {
      if (results.length >= want || next >= cands.length) {
        results.sort(function (a, b) { return b.score - a.score || b.year - a.year || a.doc - b.doc; });
        var complete = next >= cands.length;
        return { terms: terms, total: complete ? results.length : cands.length, complete: complete, results: results };
      }
      var batch = cands.slice(next, next + PAGE);
      next += batch.length;
      return Promise.all(batch.map(function (c) {
        return load('t/' + docInfo(c.doc).key + '.js');
      })).then(function () {
        batch.forEach(function (c) {
          var hit = check(c.doc, terms);
          if (hit) results.push(hit);
        });
        return step();
      });
    }
    return step();
  }

  S.years = function () {
    return meta.years.map(function (e) { return e[0]; }).sort(function (a, b) { return b - a; });
  };

  S.townships = function () {
    var used = {};
    meta.town.forEach(function (t) { used[t] = true; });
    return meta.townships.filter(function (t, i) { return used[i]; });
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
        m.textContent = r.township + ' · ' + r.year + '年度';
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

    S.ready().then(function () {
      S.years().forEach(function (y) { option(year, String(y), y + '年度'); });
      S.townships().forEach(function (t) { option(township, t[1], t[0]); });
      year.value = params.get('year') || '';
      township.value = params.get('township') || '';
      run(-1);
    }, function () {
      status.textContent = '搜索索引加载失败，请刷新页面后重试。';
    });
  }

  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', page);
    else page();
  }
})(typeof window !== 'undefined' ? window : this);
