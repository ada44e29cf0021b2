/* nianbao full-text search, in the browser, without a server.
 *
 * The index (built by src/search/mod.rs) is a set of scripts under search/ that call the
 * registration functions below; they are loaded with <script> tags, which also works for a site
 * opened from disk (file://), where fetch() is blocked. Normalisation (with the traditional →
 * simplified table of fold.js), the tokenizer and the shard hash must stay exactly those
 * of mod.rs (tests/search.rs checks both on shared vectors).
 *
 * Ranking. A hit's key is (a year of the query in its title, units covered, tier, weight, newest
 * year, a per-query order of townships — a hash of the query and the township's index, so that
 * among equals no township is always first):
 * - units covered: a term's best chain in one field (the title, a heading, one section of the
 *   body, the table labels, the weak parts) — verbatim, or its tokens in query order with at
 *   most SLACK extra characters between neighbours, or (a long term, see NEAR_UNITS) in query
 *   order within a short window, with the lowest tier — counts the CJK characters and Latin
 *   words it covers (a bigram covers two), so 存在的问题 finds 存在的主要问题; a report is a hit
 *   when it covers need() of the query;
 * - tier: where that chain stands — a passage, a reported figure (table labels of filled rows)
 *   or the title 4, a heading 2, only the weak parts 0 (the report's list of its own parts, a
 *   heading with nothing under it, a narrative table row with every figure blank), one more
 *   when verbatim; a thesaurus alternative (always verbatim) without that one;
 * - weight: each unit's best field in the index (title 3, body 2, heading 1, weak 0).
 * The index gives each report an upper bound of that key (covered from the postings of one
 * place — the title or one section, by the sections a rare token's postings name — weight from
 * the postings, the top tier); candidates are checked in the order of their bound, and a hit is shown once no
 * unchecked report can rank above it — so the first page is the top of the full ranking (where
 * the budget of text bytes lets the check get that far; otherwise a best guess that says so,
 * `sure`) and 显示更多结果 only appends (see verify() and S.search). Each hit links to the section (heading anchor) that
 * holds its best passage, with that section's snippet.
 *
 * Thesaurus (docs.js `syn`, from src/search/thesaurus.txt): each term also looks for its
 * alternatives (the term with a word of a group replaced; for a reader's word, `A ~ B C`, the
 * reports' words on their own), shown as 也找了; filters.syn = false turns it off. Question
 * words are dropped, figure words (几次, 数量) too, time questions (要多久) are searched as 时限
 * and questions how to apply (怎样提交…申请) as 申请方式;
 * a question comparing townships ranks, among equal coverage, the kind it names (哪个街道) and
 * passages stating a figure above 0 first (askPenalty()). A second, small index of non-report pages: the township pages (doc ids from
 * docs.js `nav` on, their names as postings) and the year pages (a year in the query). Questions
 * about figures (哪个乡镇…最多, 按时, 怎么申请) get an answer box pointing to the page that
 * answers them (docs.js `answers`).
 *
 * Page hooks (search.html): #search-app (data-root: the site root relative to the page,
 * data-index: the search/ folder), #search-form, #search-q, #search-year, #search-township,
 * #search-status (aria-live), #search-results (<ol>; each hit is li.search-hit with
 * a.search-hit-title, p.search-hit-meta and p.search-hit-snippet; matches in <mark>),
 * #search-more. The URL parameters q, year and township fill the form.
 *
 * Script API (window.nianbaoSearch): normalize(text) (folds traditional characters once the
 * folding table fold.js is loaded: readyFold()), tokenize(query), shardOf(token, bits),
 * search(query, {year, township, syn}, want) → Promise of {terms, total, complete, sure,
 * results, also, pages, answer}; years() (once ready()); townships() →
 * Promise of [name, slug] (loads towns.js, which a search without a township filter does not);
 * loader(path) → Promise can be replaced (tests load the files with node).
 *
 * Files a search loads: docs.js, the folding pairs of the blocks (f-<n>.js, 256 code points)
 * of the query's characters that fold (docs.js `foldable`; docs.js and each text bring the
 * pairs of their own characters that fold, `F`; fold.js, the whole table, is for readyFold()),
 * the shards of its tokens and its alternatives' (s-<n>.js), the
 * township chunks of the hits checked and of township pages the query names (w-<k>.js), the
 * first parts of the texts checked (t/<year>/<slug>.js) with their table format's labels
 * (l-<format>.js) and, only where that part cannot decide a hit as the whole text would, the
 * rest parts of the body that can still matter (r/<year>/<slug>/<k>.js, whole sections) — within a budget of text bytes (TEXT_BYTES), so that
 * a query downloads about 100 KB at most, its page included.
 */
(function (root) {
  'use strict';
  var S = root.nianbaoSearch || (root.nianbaoSearch = {});
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var TITLE = 3, BODY = 2, HEADING = 1, WEAK = 0;
  /* The last slot bit of the postings' places (MAX_SLOT in mod.rs); ALL_SLOTS: every one. */
  var LAST_SLOT = 29, ALL_SLOTS = 0x3FFFFFFF;
  /* The title as a place of bound(): the bit after the slots. */
  var TITLE_BIT = 30, TITLE_PLACE = 1 << TITLE_BIT, ALL_PLACES = ALL_SLOTS | TITLE_PLACE;
  /* Tiers of where a term stands: its best chain in a passage, a reported figure or the title
   * 4, in a heading 2, only in the weak parts 0 (tierOf()), one more when the chain is the
   * term verbatim; an alternative from the thesaurus, always verbatim, without that one. */
  var TOP_TIER = 5;
  /* Alternatives from the thesaurus per term, at most. */
  var MAX_ALTS = 12;
  var PAGE = 10; /* hits verified (and texts loaded) at a time: about 5–10 KB each */
  /* Bytes of texts (first parts and rests, counted whether cached or not) checked for each PAGE
   * of hits wanted, the search's shards included, at most: a query then downloads at most about
   * 100 KB, the page included.
   * Where the index's bounds are loose (a long question whose words all occur in every report,
   * but never together), the hits known by then are shown as a best guess (see verify()). */
  var TEXT_BYTES = 26 * 1024;
  /* Bytes more, a file per hit still missing, when the budget is spent before
   * the page has `want` hits known (a page of 9 hits where 26 reports match would say too
   * little). 4 KB since the reader's words and questions made search.js and docs.js about 2 KB
   * heavier (6 KB before): the page and its search stay within 100 KB. */
  var FILL_BYTES = 4 * 1024;
  /* The shards a search loads count against the budget of its first page too (once), and its
   * thesaurus alternatives may add at most ALT_SHARD_BYTES of them. */
  var ALT_SHARD_BYTES = 8 * 1024;
  /* What a text's first part is taken to weigh before it is loaded (a full-length report's:
   * 600 characters of body, headings, anchors). */
  var FIRST_PART_BYTES = 2048;
  var SNIPPET_BEFORE = 24, SNIPPET_LENGTH = 110;
  /* A pasted paragraph looks up this many of its tokens (spread over it), not every shard: the
   * check of each hit's text looks at all of them. */
  var MAX_TOKENS = 12;
  /* Characters allowed between two neighbouring tokens of a term beyond those of the query (the
   * 主要 of 存在的主要问题 for 存在的问题). */
  var SLACK = 3;
  /* A term of NEAR_UNITS or more, or of a number or Latin word and Chinese (words however short),
   * whose chain falls short of need() may be found with its parts apart (下一步改进措施 → 下一步……改进……措施, 12345热线 → 12345政务服务热线): a chain of
   * tokens in query order that covers all of it within a window of NEAR_SPAN times its length
   * (at least NEAR_MIN characters) of one passage (a section of the body, the labels), which
   * counts its units with the lowest tier. */
  var NEAR_UNITS = 5, NEAR_SPAN = 6, NEAR_MIN = 40;
  /* Words of a question that no report contains (怎么申请政府信息公开 → 申请政府信息公开);
   * matched in normalised text. */
  var QUESTION = /为什么|怎么样|怎么办|怎么|怎样|如何|(?:什么|哪些)(?:地方|方面)|什么|哪些|哪里|哪儿|哪个|是否|能否|可否|有没有人|有没有|是不是|请问|我想|我要|想要|想问|多少|几[次件条个项场期]|数量|数目/g;
  /* Question words that ask for a time: the reports state it as a time limit (时限, and the
   * thesaurus' 法定期限 …), so the question word becomes that word (申请信息公开要多久 →
   * 申请信息公开 时限). Replaced before QUESTION drops the rest. */
  var ASK_TIME = /要?(多久|多长时间|多少天|几天|几个工作日|多少个?工作日)/g;
  /* A question how to apply (怎样提交信息公开申请): the reports describe it as the ways an
   * application is received, so the question words become 申请方式 (which the thesaurus
   * widens to 当面, 信函, 网络申请 …). */
  var ASK_HOW = /(怎么样|怎么|怎样|如何)(提交|递交|提出|进行)?(?=\S*申请)/g;
  var PARTICLES = /[吗呢吧啊呀]+(?=[\s?!.,]|$)/g;
  /* In a question comparing townships (ASK compare): the comparison, and the township as its
   * subject at either end of a word (乡镇收到的申请, 申请最多的乡镇). */
  var COMPARE = /(最多|最少|最高|最低|排名|排行)/g;
  /* The kinds of township a question may name (乡镇 before its own characters). */
  var KINDS = '乡镇|街道|苏木|镇|乡';
  var SUBJECT = new RegExp('(^|\\s)(各?' + KINDS + ')|的?(' + KINDS + ')(?=\\s|$)', 'g');
  /* The kind a comparison question asks about (哪个街道, 街道…最多): its second group. */
  var KIND_ASKED = new RegExp('(哪个|哪些|哪一个|哪几个|最多的?|最少的?|最高的?|最低的?)(' + KINDS + ')');
  var KIND_RANKED = new RegExp('(^|\\s)(' + KINDS + ')\\S*(最多|最少|最高|最低)');
  var FOLD_FIRST = 0x3400, FOLD_LAST = 0x9FFF;

  var meta = null;
  var fold = null;
  /* Folding pairs that loaded texts brought (`F`), while the whole table is not loaded. */
  var local = null;
  var foldable = null;
  var shards = {};
  var shardBytes = {};
  var texts = {};
  var labelLists = {};
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
    /* Which characters fold (fold.js has the table): the gaps between them as varints, into a
     * bit each. */
    foldable = new Uint8Array(((FOLD_LAST - FOLD_FIRST) >> 3) + 1);
    var gaps = m.foldable || '', at = 0, v = 0, scale = 1;
    for (var g = 0; g < gaps.length; g++) {
      var d = ALPHABET.indexOf(gaps.charAt(g));
      v += (d & 31) * scale;
      if (d & 32) { scale *= 32; continue; }
      at += v;
      if (at <= FOLD_LAST - FOLD_FIRST) foldable[at >> 3] |= 1 << (at & 7);
      at++;
      v = 0;
      scale = 1;
    }
    /* The folding pairs of the titles' and township names' characters. */
    if (m.F) S.foldPart(m.F);
    /* Pages added by plugins, [path, title], take the doc ids after the reports. */
    m.pages = m.pages || [];
    meta = m;
  };
  /* The folding table: each traditional character followed by its simplified form. */
  /* Some folding pairs (a block f-<n>.js for a query's characters, a text's or the titles' `F`):
   * enough to normalise the texts that brought them as the whole table would. */
  S.foldPart = function (pairs) {
    if (!local) local = new Uint16Array(FOLD_LAST - FOLD_FIRST + 1);
    for (var i = 0; i + 1 < pairs.length; i += 2) {
      var c = pairs.charCodeAt(i);
      if (c >= FOLD_FIRST && c <= FOLD_LAST) local[c - FOLD_FIRST] = pairs.charCodeAt(i + 1);
    }
  };
  S.fold = function (pairs) {
    var table = new Uint16Array(FOLD_LAST - FOLD_FIRST + 1);
    for (var i = 0; i + 1 < pairs.length; i += 2) {
      var c = pairs.charCodeAt(i);
      if (c >= FOLD_FIRST && c <= FOLD_LAST) table[c - FOLD_FIRST] = pairs.charCodeAt(i + 1);
    }
    fold = table;
  };
  /* A shard's postings, and about what its file weighs (for the alternatives' budget). */
  S.shard = function (n, map) {
    shards[n] = map;
    shardBytes[n] = utf8Bytes(JSON.stringify(map)) + 32;
  };
  /* A report's text: headings, table labels and the first part of the body; `r` when the rest
   * of the body is in r/<key>.js (loaded only when the first part cannot decide a hit). */
  S.text = function (key, t) {
    t.z = utf8Bytes(JSON.stringify(t));
    /* A body that goes on in rest parts: their places are blank until they are loaded, so that
     * positions are the whole body's (the sections' offsets `o`). */
    if (t.r) {
      t.b += new Array(t.u - t.b.length + 1).join(' ');
      t.pending = t.r.map(function (size, k) { return k; });
    }
    texts[key] = t;
    /* A text's own folding pairs: it is read as the index read it without fold.js. */
    if (t.F) S.foldPart(t.F);
  };
  /* A table format's row labels: a report's text names its format (`L`) and which of them its
   * table fills (`m`, a bitmask in base 64) instead of repeating them. */
  S.labels = function (id, list) { labelLists[id] = list; };
  /* Part k of the rest of a report's body (r/<key>/<k>.js): whole sections, from `p[k]` on. */
  S.rest = function (key, k, rest) {
    var t = texts[key];
    if (!t || !t.pending || t.pending.indexOf(k) < 0) return;
    t.b = t.b.slice(0, t.p[k]) + rest + t.b.slice(t.p[k] + rest.length);
    t.pending = t.pending.filter(function (j) { return j !== k; });
    t.n = null;
  };
  /* Townships [name, slug] from index `first` on: w-<k>.js a chunk, towns.js all. */
  S.towns = function (first, list) {
    list.forEach(function (t, i) { towns[first + i] = t; });
  };

  /* The UTF-8 length of a string: what a text file of it weighs. */
  function utf8Bytes(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xFC00) === 0xD800 ? 0 : 3;
      if ((c & 0xFC00) === 0xD800) { n += 4; i++; }
    }
    return n;
  }

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
    var table = fold || local;
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 0x3000) c = 0x20;
      else if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
      if (c >= 65 && c <= 90) c += 32;
      else if (table && c >= FOLD_FIRST && c <= FOLD_LAST && table[c - FOLD_FIRST]) c = table[c - FOLD_FIRST];
      out += String.fromCharCode(c);
    }
    return out;
  }
  S.normalize = normalize;

  /* Whether `text` has a character the folding table changes (docs.js `foldable`). */
  function mayFold(text) {
    if (!foldable) return false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i) - FOLD_FIRST;
      if (c >= 0 && c <= FOLD_LAST - FOLD_FIRST && (foldable[c >> 3] >> (c & 7)) & 1) return true;
    }
    return false;
  }

  /* The folding table, loaded when the site's titles, the query or a text need it. */
  S.mayFold = mayFold;
  function loadFold() { return fold ? Promise.resolve() : load('fold.js'); }
  /* The folding blocks (f-<n>.js, 256 code points each) of the characters of `text` that fold. */
  function loadFoldFor(text) {
    var blocks = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (mayFold(text.charAt(i)) && blocks.indexOf(c >> 8) < 0) blocks.push(c >> 8);
    }
    return Promise.all(blocks.map(function (b) { return fold ? null : load('f-' + b + '.js'); }));
  }

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
  /* Units a report may cover instead when they come from rare tokens (in at most half of the
   * reports): half of a query of four or more (保密审查 finds 保密, 政务公开 does not find every
   * 公开). Such hits cover less and so rank after those that cover need(). */
  function looseNeed(units) {
    return units >= 4 ? Math.ceil(units / 2) : units;
  }
  S.need = need;

  /* The query as the search reads it: its terms (separated by spaces, question words dropped,
   * trimmed to their first and last token) with their tokens, and — unless `syn` is false —
   * each term's alternatives from the thesaurus (the term with one of its words replaced). */
  function parse(query, syn) {
    var norm = normalize(query);
    var plain = norm.replace(ASK_TIME, ' 时限 ').replace(ASK_HOW, ' 申请方式 ').replace(QUESTION, ' ').replace(PARTICLES, ' ');
    /* A question comparing townships (哪个镇申请最多): which township and the comparison are
     * what the answer box's table answers, not words of a report; the rest (申请) is searched. */
    var ask = null;
    if (ASK[0][1].test(norm)) {
      ask = { kind: compareKind(norm) };
      plain = plain.replace(COMPARE, ' ').replace(SUBJECT, ' ');
    }
    if (tokensAt(plain).units) norm = plain;
    var terms = [];
    norm.split(/\s+/).forEach(function (word) {
      var found = tokensAt(word);
      if (!found.units) return;
      var first = found.tokens[0], last = found.tokens[found.tokens.length - 1];
      var end = last.q + last.t.length;
      var text = word.slice(first.q, end);
      found.tokens.forEach(function (t) { t.q -= first.q; });
      var term = { text: text, tokens: found.tokens, units: found.units, alts: [], ask: ask };
      var year = /^((?:19|20)\d\d)年?度?$/.exec(text);
      term.year = !!year && meta.years.some(function (e) { return String(e[0]) === year[1]; });
      if (syn !== false) {
        term.alts = expansions(text).map(function (alt) {
          var at = tokensAt(alt);
          return { text: alt, tokens: at.tokens, units: at.units, alt: true };
        }).filter(function (a) { return a.units; });
      }
      terms.push(term);
    });
    return terms;
  }

  /* The kind of township a question comparing townships asks about (哪个街道 → 街道), or ''
   * when it names none or all (哪个乡镇). */
  function compareKind(norm) {
    var m = KIND_ASKED.exec(norm) || KIND_RANKED.exec(norm);
    var kind = m ? m[2] : '';
    return kind === '乡镇' ? '' : kind;
  }

  /* A reported figure above 0 (a count of applications, items, cases), in a passage. */
  var FIGURE = /(^|[^\d.])[1-9]\d*\s*(件|条|个|起|宗|份|次|人次)/;

  /* How much a hit of a question comparing townships falls behind in tier: one when its
   * township is not of the kind asked about (哪个街道…: a 镇), one when its passage states no
   * figure above 0 from its first match on (未收到…申请 does not answer 最多). Lowering a hit's tier keeps the index's
   * bound an upper bound, so the first page stays the top of the full ranking. */
  function askPenalty(ask, township, snippet) {
    if (!ask) return 0;
    var kind = ask.kind && township.slice(-ask.kind.length) !== ask.kind ? 1 : 0;
    /* From the first match on: the figure of the sentence before it is another one's. */
    var first = snippet.findIndex(function (s) { return s[1]; });
    var text = snippet.slice(Math.max(first, 0)).map(function (s) { return s[0]; }).join('');
    return kind + (FIGURE.test(normalize(text)) ? 0 : 1);
  }

  /* The thesaurus' words for a term (docs.js `syn`, from src/search/thesaurus.txt): for each
   * group word in the term, the term with it replaced by each word the group pairs it with —
   * every other word of an `=` group; for `>` groups the covered words of the wider word, the
   * wider word of a covered one. An alternative that contains the term finds nothing more. */
  function expansions(text) {
    /* Two steps: an alternative's own alternatives too (政府資訊公開指南 → 政府信息公开指南 →
     * 信息公开指南, 公开指南), after the first ones. */
    var out = [];
    oneStep(text, text, out);
    out.slice().forEach(function (alt) { oneStep(alt, text, out); });
    return out.slice(0, MAX_ALTS);
  }

  /* A group of the thesaurus as docs.js carries it (SynonymGroup::compact in mod.rs): its kind
   * (= equivalents, > a wider word first, ~ a reader's word first) and its words, separated by
   * spaces. */
  function synGroup(compact) {
    var kind = compact.charAt(0);
    return { words: compact.slice(1).split(' '), wide: kind === '>', reader: kind === '~' };
  }

  /* The alternatives of `text` by one group of the thesaurus each, appended to `out` (not those
   * that contain `query`, nor twice). */
  function oneStep(text, query, out) {
    (meta.syn || []).forEach(function (compact) {
      var g = synGroup(compact);
      var words = g.words;
      words.forEach(function (w, i) {
        var at = text.indexOf(w);
        if (at < 0 || inLonger(text, w, at, words)) return;
        /* A reader's word (`A ~ B C`, first word): the report's words on their own — the
         * rest of the reader's phrase (工作中的短板) is not the reports' wording either. */
        if (g.reader && i > 0) return;
        var others = g.wide || g.reader ? (i === 0 ? words.slice(1) : [words[0]]) :
          words.filter(function (x, k) { return k !== i; });
        others.forEach(function (o) {
          var alt = g.reader ? o : text.slice(0, at) + o + text.slice(at + w.length);
          if (alt.indexOf(text) < 0 && alt.indexOf(query) < 0 && alt !== query &&
            out.indexOf(alt) < 0) out.push(alt);
        });
      });
    });
  }

  /* Whether the word of a group at `at` lies inside a longer word of the group there (微博 in
   * 政务微博): the longer one is replaced, not the word inside it (no 政务政务新媒体). */
  function inLonger(text, w, at, words) {
    return words.some(function (x) {
      if (x.length <= w.length) return false;
      for (var k = text.indexOf(x); k >= 0; k = text.indexOf(x, k + 1)) {
        if (k <= at && at + w.length <= k + x.length) return true;
      }
      return false;
    });
  }

  /* doc id → best field, from a posting string: varints `gap << 3 | run << 2 | field`, where a
   * run is followed by the count of further consecutive docs with the same field. */
  function decode(postings) {
    if (postings.charAt(0) === '~') return decodeSlotted(postings);
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

  /* A rare token's postings (`~`, see encode_slotted in mod.rs): per doc `gap << 3 | field`
   * and the slots it occurs in (bit 0 the table labels and weak parts, bit 1 + k section k of
   * the narrative, the last bit SLOTS the sections from there on), kept in `slots`. A list
   * without them (a common token) counts in every slot. */
  function decodeSlotted(postings) {
    var out = new Map();
    out.slots = new Map();
    var next = 0, v = 0, scale = 1, doc = -1;
    for (var i = 1; i < postings.length; i++) {
      var d = ALPHABET.indexOf(postings.charAt(i));
      v += (d & 31) * scale;
      if (d & 32) { scale *= 32; continue; }
      if (doc < 0) {
        doc = next + Math.floor(v / 8);
        out.set(doc, v % 4);
      } else {
        out.slots.set(doc, v);
        next = doc + 1;
        doc = -1;
      }
      v = 0;
      scale = 1;
    }
    return out;
  }

  /* The slot bit of section k of a text (0: before the first heading), as slot_of_section in
   * mod.rs; the labels and weak parts have bit 0. */
  function slotOf(k) { return Math.pow(2, Math.min(1 + k, LAST_SLOT)); }

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

  /* The distinct tokens the index is asked about: at most MAX_TOKENS of the terms, spread over
   * the query (each token of a term says whether it was looked up), and every token of the
   * alternatives. */
  function lookups(terms) {
    var own = [];
    terms.forEach(function (term) {
      term.tokens.forEach(function (t) { if (own.indexOf(t.t) < 0) own.push(t.t); });
    });
    if (own.length > MAX_TOKENS) {
      var step = own.length / MAX_TOKENS;
      own = own.filter(function (t, i) { return Math.floor(i / step) !== Math.floor((i - 1) / step); });
    }
    var out = own.slice();
    terms.forEach(function (term) {
      term.tokens.forEach(function (t) { t.looked = own.indexOf(t.t) >= 0; });
      term.alts.forEach(function (alt) {
        alt.tokens.forEach(function (t) {
          t.looked = true;
          if (out.indexOf(t.t) < 0) out.push(t.t);
        });
      });
    });
    return out;
  }

  /* A term's key in one report from the index: {covered, weight, tier, cov}. Its tokens count
   * where the postings say they are: the title, or the slots of a rare token's list (a common
   * token's list has none, so it counts in every slot); covered is the most units one place
   * has (a chain is in one field: the title, a heading, a section of the body, the labels or
   * the weak parts), `cov` those units per place (slot bits 0–29, TITLE_PLACE the title).
   * Each unit's weight is its best field in the whole report (a token not looked up counts as
   * a title everywhere); an alternative counts all of the term's units in a place that has all
   * of its tokens, each with the weakest field of its tokens. The tier (where the phrase
   * stands, see TOP_TIER) is the most the check of the text can find. The check (verified())
   * never gives more: the index key bounds the hit's key. */
  function bound(posting, doc, term) {
    var per = [], where = [];
    for (var u = 0; u < term.units; u++) per.push(-1);
    term.tokens.forEach(function (t) {
      var f = t.looked ? termField(posting, term, t.t, doc) : TITLE;
      for (var v = t.u0; v < t.u1; v++) per[v] = Math.max(per[v], f);
      where.push(t.looked ? placesOf(posting, t.t, doc, f, term.year) : ALL_PLACES);
    });
    var weight = 0;
    per.forEach(function (f) { if (f >= 0) weight += f; });
    var cov = [];
    for (var p = 0; p <= TITLE_BIT; p++) {
      var units = {}, n = 0;
      term.tokens.forEach(function (t, i) {
        if (!(where[i] & (1 << p))) return;
        for (var v = t.u0; v < t.u1; v++) if (!units[v]) { units[v] = true; n++; }
      });
      cov.push(n);
    }
    var covered = Math.max.apply(null, cov);
    var best = { covered: covered, weight: weight, tier: covered ? TOP_TIER : 0, cov: cov };
    term.alts.forEach(function (alt) {
      var m = altField(posting, doc, alt);
      if (m < 0) return;
      var all = ALL_PLACES;
      alt.tokens.forEach(function (t) { all &= placesOf(posting, t.t, doc, field(posting, t.t, doc), false); });
      if (!all) return;
      var c = { covered: term.units, weight: term.units * m, tier: TOP_TIER - 1 };
      for (var q = 0; q <= TITLE_BIT; q++) if (all & (1 << q)) cov[q] = term.units;
      if (better(c, best)) { c.cov = cov; best = c; }
    });
    return best;
  }

  /* The places of a report a token with best field `f` is in: TITLE_PLACE when f is the title,
   * the slots of a rare token's list, every slot for a common token; a year of the site only in
   * the title (see termField()). */
  function placesOf(posting, token, doc, f, year) {
    if (f < 0) return 0;
    var title = f === TITLE ? TITLE_PLACE : 0;
    if (year) return title;
    var slots = posting[token].slots;
    return title | (slots ? slots.get(doc) || 0 : ALL_SLOTS);
  }

  /* The tier of a term's phrase in a field of the given weight. */
  function tierOf(weight) {
    return weight >= BODY ? 4 : weight === HEADING ? 2 : 0;
  }

  /* Whether key a ranks above key b by {covered, tier, weight}. */
  function better(a, b) {
    return a.covered > b.covered || (a.covered === b.covered &&
      (a.tier > b.tier || (a.tier === b.tier && a.weight > b.weight)));
  }

  /* Units of a term a report covers with rare tokens of it (see looseNeed()). */
  function rareCovered(posting, doc, term, rare) {
    var units = {};
    term.tokens.forEach(function (t) {
      if (t.looked && rare[t.t] && termField(posting, term, t.t, doc) >= 0) {
        for (var v = t.u0; v < t.u1; v++) units[v] = true;
      }
    });
    return Object.keys(units).length;
  }

  /* The best field of a token in a report (-1: not in it). */
  function field(posting, token, doc) {
    var f = posting[token].get(doc);
    return f === undefined ? -1 : f;
  }

  /* The best field of a term's token in a report: a year of the site (2021, 2021年) counts only
   * in the title, which names the report's year — a report of another year that mentions it
   * (a document of 〔2021〕, last year's figures) is not that year's report. */
  function termField(posting, term, token, doc) {
    var f = field(posting, token, doc);
    return term.year && f !== TITLE ? -1 : f;
  }

  /* The weakest of the best fields of an alternative's tokens (-1: one is missing). */
  function altField(posting, doc, alt) {
    var m = TITLE;
    alt.tokens.forEach(function (t) { m = Math.min(m, field(posting, t.t, doc)); });
    return m;
  }

  /* Rank order of two keys {years, covered, tier, weight, year, order, doc}: better first. A
   * report of the year the query names comes before reports of other years (which come only
   * after, as where a township has no report of that year). */
  function byRank(a, b) {
    return (b.years || 0) - (a.years || 0) || b.covered - a.covered || b.tier - a.tier || b.weight - a.weight || b.year - a.year ||
      a.order - b.order || a.doc - b.doc;
  }

  /* Candidates from the postings: reports that pass the filters and whose index key covers
   * need() of the query's units, best first by that key (an upper bound of each one's hit);
   * and the township pages (the second index) whose name tokens are in the query. */
  function candidates(terms, posting, filters, order) {
    var docs = new Set();
    for (var tok in posting) posting[tok].forEach(function (f, doc) { docs.add(doc); });
    var units = 0;
    terms.forEach(function (t) { units += t.units; });
    var enough = need(units);
    /* A token in at most half of the reports is rare: a partial match must come from those. */
    var rare = {};
    for (var t in posting) rare[t] = 2 * posting[t].size <= meta.year.length;
    /* The rare words of each term alone, for the fallback of looseNeed() in check(). */
    terms.forEach(function (term) {
      term.rare = term.tokens.filter(function (tok) { return tok.looked && rare[tok.t]; });
    });
    var year = filters.year ? Number(filters.year) : 0;
    var nav = meta.nav === undefined ? Infinity : meta.nav;
    var out = [], towns = [];
    docs.forEach(function (doc) {
      if (doc >= nav) { towns.push(doc - nav); return; }
      if (year && meta.year[doc] !== year) return;
      if (filters.township && meta.town[doc] !== filters.town) return;
      var covered = 0, weight = 0, tier = 0, rareUnits = 0, years = 0, bounds = [];
      terms.forEach(function (term) {
        var b = bound(posting, doc, term);
        if (term.year && b.covered) years++;
        covered += b.covered;
        weight += b.weight;
        tier += b.tier;
        bounds.push(b);
        rareUnits += rareCovered(posting, doc, term, rare);
      });
      /* The fallback to the rare words is decided on the rare words alone, not on the bound:
       * a common word (信息, 申请) counts in every section of every report, so the bound may
       * say need() is covered where the text has only the rare word (扶贫 of 扶贫信息). */
      var loose = rareUnits >= looseNeed(units);
      if ((covered < enough && !loose) || !covered) return;
      out.push({ doc: doc, years: years, covered: covered, weight: weight, tier: tier, year: meta.year[doc] || 0, order: order(meta.town[doc]), state: 0, loose: loose, bounds: bounds });
    });
    out.sort(byRank);
    return { cands: out, towns: towns.sort(function (a, b) { return a - b; }) };
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
  function match(norm, term, passage) {
    var verbatim = occurrences(norm, term.text);
    if (verbatim.length) {
      return { verbatim: verbatim.length, units: term.units, ranges: verbatim.map(function (p) { return [p, p + term.text.length]; }) };
    }
    var occ = [];
    term.tokens.forEach(function (t) {
      occurrences(norm, t.t).forEach(function (p) { occ.push({ p: p, t: t }); });
    });
    occ.sort(function (a, b) { return a.p - b.p || a.t.q - b.t.q; });
    var chain = chainOf(occ, SLACK, term.text.length + SLACK, Infinity);
    if (!passage || chain.units >= need(term.units) || (term.units < NEAR_UNITS && !mixed(term))) return chain;
    var span = Math.max(NEAR_MIN, NEAR_SPAN * term.text.length);
    var near = chainOf(occ, span, span, span);
    if (near.units < term.units) return chain;
    near.near = true;
    return near;
  }

  /* Whether a term has a Latin word or number and Chinese characters (12345热线). */
  function mixed(term) {
    var latin = term.tokens.filter(function (t) { return isWordCode(t.t.charCodeAt(0)); }).length;
    return latin > 0 && latin < term.tokens.length;
  }

  /* The best chain of occurrences (sorted by position): tokens in query order, each at most
   * `slack` characters further on than in the query and `reach` after the one before, the
   * whole at most `span` long; {verbatim: 0, units, ranges}. */
  function chainOf(occ, slack, reach, span) {
    var top = -1;
    occ.forEach(function (o, j) {
      o.units = o.t.u1 - o.t.u0;
      o.from = null;
      o.start = o.p;
      for (var k = j - 1; k >= 0 && o.p - occ[k].p <= reach; k--) {
        var before = occ[k];
        var dq = o.t.q - before.t.q, dp = o.p - before.p;
        if (dq <= 0 || dp <= 0 || dp > dq + slack || o.p + o.t.t.length - before.start > span) continue;
        var units = before.units + o.t.u1 - Math.max(o.t.u0, before.t.u1);
        if (units > o.units) { o.units = units; o.from = before; o.start = before.start; }
      }
      if (top < 0 || o.units > occ[top].units) top = j;
    });
    var ranges = [];
    for (var o = top < 0 ? null : occ[top]; o; o = o.from) ranges.unshift([o.p, o.p + o.t.t.length]);
    return { verbatim: 0, units: top < 0 ? 0 : occ[top].units, ranges: ranges };
  }

  /* The ranges of `found` (one match per term) to mark: verbatim terms everywhere, otherwise a
   * chain that covers looseNeed() of its term. */
  function marks(found, terms) {
    var out = [];
    found.forEach(function (m, j) {
      if (m.verbatim || (m.units && m.units >= looseNeed(terms[j].units))) out = out.concat(m.ranges);
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

  /* The text around the first mark (or `focus`, the best section's first mark), plus a shorter fragment for the first mark of each term not
   * in it (at most three fragments), joined with "…". `found`: one match per term. */
  function snippet(original, norm, found, terms, focus, gaps) {
    var firsts = found.map(function (m, j) {
      return marks([m], [terms[j]]).map(function (r) { return r[0]; })[0];
    }).filter(function (p) { return p !== undefined; });
    var all = marks(found, terms);
    var first = focus !== undefined ? focus : all.length ? all[0][0] : 0;
    var wins = [span(norm, first, SNIPPET_BEFORE, SNIPPET_LENGTH)];
    firsts.forEach(function (i) {
      var covered = wins.some(function (w) { return i >= w[0] && i < w[1]; });
      if (!covered && wins.length < 3) wins.push(span(norm, i, 12, 48));
    });
    wins.sort(function (a, b) { return a[0] - b[0]; });
    /* A window stops where a part of the body not loaded yet begins: its place is blank. */
    (gaps || []).forEach(function (g) {
      wins.forEach(function (w) { if (g[0] >= w[0] && g[0] < w[1]) w[1] = g[0]; });
    });
    var out = [];
    var end = 0;
    wins.forEach(function (w) {
      var from = Math.max(w[0], end);
      if (from >= w[1]) return;
      if (from > end || (from > 0 && !out.length)) out.push(['…', false]);
      out = out.concat(segments(original, all, from, w[1]));
      end = w[1];
    });
    if (end < norm.length && out.length) out.push(['…', false]);
    out.reach = end;
    return out;
  }

  /* The places [from, to) of the body's rest parts not loaded yet (blank in `b`). */
  function pendingGaps(text) {
    return (text.pending || []).map(function (k) {
      return [text.p[k], k + 1 < text.p.length ? text.p[k + 1] : text.b.length];
    });
  }

  /* The labels of a text's filled table rows (`l`), from its format's list and its mask. */
  function labelsOf(text) {
    if (!text || text.l !== undefined) return;
    var list = labelLists[text.L] || [];
    var bits = atob(text.m || '');
    text.l = list.filter(function (label, i) {
      return (bits.charCodeAt(i >> 3) >> (i & 7)) & 1;
    }).join('；');
  }

  function normalized(text) {
    if (!text.n) {
      text.n = { h: text.h.map(normalize), b: normalize(text.b), l: normalize(text.l), w: normalize(text.w || '') };
    }
    return text.n;
  }

  /* A term's key in one report from its text, and the variant (the term or an alternative)
   * that gives it: the units of the term's best chain in one field, the index's weight of the
   * units (as in bound()), and the tier of the best field that has such a chain (tierOf()); an alternative counts when it is verbatim somewhere, a tier lower. */
  function verified(posting, doc, term, fields) {
    var per = [];
    for (var u = 0; u < term.units; u++) per.push(-1);
    term.tokens.forEach(function (t) {
      var f = t.looked ? termField(posting, term, t.t, doc) : -1;
      for (var v = t.u0; v < t.u1; v++) per[v] = Math.max(per[v], f);
    });
    var weight = 0;
    per.forEach(function (f) { if (f > 0) weight += f; });
    var units = 0, tier = -1;
    /* A year of the site counts in the title only (see termField()); it is still marked
     * where the text has it. */
    var found = fields.map(function (f) { return match(f[0], term, f[1] === BODY); });
    var counted = found.map(function (m, i) {
      return term.year && i > 0 ? { verbatim: 0, units: 0, ranges: [] } : m;
    });
    counted.forEach(function (m) { units = Math.max(units, m.units); });
    counted.forEach(function (m, i) {
      if (m.units && m.units === units) tier = Math.max(tier, m.near ? 0 : tierOf(fields[i][1]) + (m.verbatim ? 1 : 0));
    });
    var best = { covered: units, weight: weight, tier: Math.max(tier, 0), variant: term, found: found };
    term.alts.forEach(function (alt) {
      var af = -1;
      var afound = fields.map(function (f) {
        var m = match(f[0], alt);
        if (m.verbatim) af = Math.max(af, tierOf(f[1]));
        return m.verbatim ? m : { verbatim: 0, units: 0, ranges: [] };
      });
      if (af < 0) return;
      var c = { covered: term.units, weight: term.units * altField(posting, doc, alt), tier: af, variant: alt, found: afound };
      /* Among equal alternatives, the longest: it marks the most of what matched. */
      var longer = best.variant.alt && !better(best, c) && alt.text.length > best.variant.text.length;
      if (better(c, best) || longer) best = c;
    });
    return best;
  }

  /* The sections of a text's body: [from, to, anchor, k] (UTF-16 positions of the body loaded
   * so far), section 0 the text before the first heading (no anchor), section 1 + i the text
   * under heading i — as body_sections in mod.rs, whose slots the postings name. */
  function bodySections(text, length) {
    var out = [];
    var o = text.o || [];
    var at = 0;
    o.forEach(function (start, i) {
      out.push([Math.min(at, length), Math.min(start, length), i ? text.a[i - 1] : '', i]);
      at = start;
    });
    out.push([Math.min(at, length), length, o.length ? text.a[o.length - 1] : '', o.length]);
    return out;
  }

  /* The fields of a text as the index has them, each a place a term's chain must be within:
   * {norm, weight, kind, anchor, i} — the title, each heading, each section of the body, the
   * table labels, the weak parts. */
  function fieldsOf(info, text, n) {
    var empty = text.e || [];
    var out = [{ norm: normalize(info.title + ' ' + info.township), weight: TITLE, kind: 'title', anchor: '' }];
    n.h.forEach(function (h, i) {
      out.push({ norm: h, weight: empty.indexOf(i) >= 0 ? WEAK : HEADING, kind: 'heading', anchor: text.a[i], i: i });
    });
    bodySections(text, n.b.length).forEach(function (sec) {
      out.push({ norm: n.b.slice(sec[0], sec[1]), weight: BODY, kind: 'body', anchor: sec[2], from: sec[0], to: sec[1] });
    });
    out.push({ norm: n.l, weight: BODY, kind: 'labels', anchor: 'stats-title' });
    out.push({ norm: n.w, weight: WEAK, kind: 'weak', anchor: '' });
    return out;
  }

  /* A report's key from its text, term by term ({per, hit}): `hit` the hit, or null when the
   * text does not have enough of the query. The hit links to the section that holds its best
   * passage, with that section's snippet. */
  function check(posting, doc, terms, order, loose) {
    var info = docInfo(doc);
    var text = texts[info.key];
    if (!text) return { per: null, hit: null };
    var n = normalized(text);
    var fields = fieldsOf(info, text, n);
    var pairs = fields.map(function (f) { return [f.norm, f.weight]; });
    var units = 0;
    terms.forEach(function (term) { units += term.units; });
    /* Each term verified as `of` gives it, and the sums over the terms. */
    function tally(of) {
      var sum = { covered: 0, weight: 0, tier: 0, years: 0 };
      sum.best = terms.map(function (term) {
        var v = verified(posting, doc, of(term), pairs);
        if (term.year && v.covered) sum.years++;
        sum.covered += v.covered;
        sum.weight += v.weight;
        sum.tier += v.tier;
        return v;
      });
      return sum;
    }
    var sum = tally(function (term) { return term; });
    var enough = need(units);
    if (loose && sum.covered < enough) {
      /* Not enough of the query: the rare words alone (looseNeed()), so that a chain of its
       * common words (信息) does not count as a match of 扶贫信息. */
      sum = tally(rareOnly);
      enough = looseNeed(units);
    }
    var best = sum.best, covered = sum.covered;
    if (!covered || covered < enough) return { per: best, hit: null };
    var variants = best.map(function (v) { return v.variant; });
    var where = place(text, n, fields, best, variants);
    var normTitle = normalize(info.title);
    var titleFound = variants.map(function (v) { return match(normTitle, v); });
    return { per: best, hit: {
      doc: doc,
      url: info.url,
      anchor: where.anchor,
      title: info.title,
      titleSegments: segments(info.title, marks(titleFound, variants), 0, normTitle.length),
      township: info.township,
      year: info.year,
      years: sum.years,
      covered: covered,
      units: units,
      weight: sum.weight,
      tier: sum.tier - askPenalty(terms[0].ask, info.township, where.snippet),
      order: order(meta.town[doc]),
      snippet: where.snippet,
      also: variants.filter(function (v) { return v.alt; }).map(function (v) { return v.text; })
    } };
  }

  /* A term reduced to its rare words (candidates() sets term.rare), without alternatives: what
   * a report that has only them matches of it. */
  function rareOnly(term) {
    return { text: term.text, tokens: term.rare || [], units: term.units, alts: [], ask: term.ask, year: term.year };
  }

  /* Where a hit's best passage is: the field (a section of the body, a heading, the table
   * labels, the weak parts) that has the best chain of the most terms, the stronger one first
   * among equals (a section of the body or the labels, a heading, the weak parts), then the
   * one with the most marks. Its anchor and snippet. */
  function place(text, n, fields, best, variants) {
    var prio = { body: TOP_TIER, labels: TOP_TIER - 1, heading: 2, weak: 0 };
    var top = -1, topValue = -1;
    fields.forEach(function (f, i) {
      if (f.kind === 'title') return;
      var full = 0, count = 0;
      best.forEach(function (v, j) {
        var most = 0;
        v.found.forEach(function (m) { most = Math.max(most, m.units); });
        if (most && v.found[i].units === most) {
          full++;
          count += marks([v.found[i]], [variants[j]]).length;
        }
      });
      var p = f.kind === 'heading' ? tierOf(f.weight) : prio[f.kind];
      var value = full * 1000 + p * 10 + Math.min(count, 5);
      if (full && value > topValue) { top = i; topValue = value; }
    });
    var none = variants.map(function () { return { verbatim: 0, units: 0, ranges: [] }; });
    if (top < 0) return { anchor: '', snippet: snippet(text.b, n.b, none, variants, undefined, pendingGaps(text)) };
    var f = fields[top];
    var found = best.map(function (v) { return v.found[top]; });
    if (f.kind === 'body') {
      /* The section's passage first, and a fragment for each term found only in other sections
       * (ranges moved to body positions). */
      var inBody = best.map(function (v, j) {
        var at = top;
        fields.forEach(function (g, i) {
          if (g.kind === 'body' && v.found[i].units > v.found[at].units) at = i;
        });
        var m = v.found[at];
        return { verbatim: m.verbatim, units: m.units, ranges: m.ranges.map(function (r) {
          return [r[0] + fields[at].from, r[1] + fields[at].from];
        }) };
      });
      var focus = marks(found, variants)[0];
      return { anchor: f.anchor, snippet: snippet(text.b, n.b, inBody, variants, focus ? focus[0] + f.from : f.from, pendingGaps(text)) };
    }
    if (f.kind === 'labels') return { anchor: f.anchor, snippet: snippet(text.l, n.l, found, variants) };
    if (f.kind === 'weak') return { anchor: '', snippet: snippet(text.w || '', n.w, found, variants) };
    var start = (text.o || [])[f.i] || 0;
    var under = text.b.slice(start, Math.min(start + 60, text.b.length));
    var segs = segments(text.h[f.i], marks(found, variants), 0, n.h[f.i].length);
    if (under) segs = segs.concat([['：' + under + (start + 60 < text.b.length ? '…' : ''), false]]);
    return { anchor: f.anchor, snippet: segs };
  }

  /* The rest parts of a text not loaded yet. */
  function pendingParts(text) { return (text && text.pending) || []; }

  /* The rest parts a report checked so far (`per`, term by term; `hit` or null) still needs:
   * those with a section whose slots in the postings (`c.bounds`) can give more than the text
   * loaded did — a term keeps what it has unless such a section has more of it by the index, and
   * then counts that with the top tier and the index's weight. {key: the best such part's key,
   * parts}. */
  function restKey(c, text, per, hit, enough) {
    var o = text.o || [], starts = text.p, out = { key: null, parts: [] };
    pendingParts(text).forEach(function (k) {
      var from = starts[k], to = k + 1 < starts.length ? starts[k + 1] : text.u;
      var slots = 0;
      for (var s = 0; s <= o.length; s++) {
        var a = s ? o[s - 1] : 0, b = s < o.length ? o[s] : text.u;
        if (a < to && b > from) slots |= slotOf(s);
      }
      var key = { years: c.years, covered: 0, tier: 0, weight: 0, year: c.year, order: c.order, doc: c.doc };
      c.bounds.forEach(function (bd, j) {
        var rest = 0;
        for (var q = 0; q < TITLE_BIT; q++) if (slots & (1 << q)) rest = Math.max(rest, bd.cov[q]);
        var v = per[j];
        var up = rest && rest >= v.covered;
        key.covered += up ? rest : v.covered;
        key.tier += up ? TOP_TIER : v.tier;
        key.weight += up ? bd.weight : v.weight;
      });
      if (hit ? byRank(key, hit) < 0 : key.covered >= enough) {
        out.parts.push(k);
        if (!out.key || byRank(key, out.key) < 0) out.key = key;
      }
    });
    return out;
  }

  /* Search: the first `want` hits of the full ranking ({terms, total, complete, results, also,
   * pages, answer}). Hits are ranked by their key from the text (see check()); since the index
   * key of a report bounds its hit's key, a hit is emitted once no report still unchecked can
   * rank above it — so the first page is the top of the full ranking, within the budget of
   * text bytes (`sure`: how many of the first hits are certain); pages are made one after the
   * other, so asking for more only appends. `complete`: every candidate was checked and `total`
   * is exact; otherwise `total` counts the hits known so far (the page says 至少). */
  S.search = function (query, filters, want) {
    filters = filters || {};
    want = want || PAGE;
    var empty = { terms: [], total: 0, complete: true, results: [], also: [], pages: [], answer: null };
    if (!tokensAt(normalize(query)).units) return Promise.resolve(empty);
    var terms, towns0 = [];
    return load('docs.js').then(function () {
      return loadFoldFor(query);
    }).then(function () {
      /* A township filter names a slug: the list of townships says which index it is. */
      return filters.township ? load('towns.js') : null;
    }).then(function () {
      if (filters.township) {
        filters = { year: filters.year, township: filters.township, town: -1, syn: filters.syn };
        towns.forEach(function (t, i) { if (t[1] === filters.township) filters.town = i; });
      }
      /* Parsed once the folding table is there. */
      terms = parse(query, filters.syn);
      /* Page by page, each page among the hits not on the pages before: asking for more
       * appends to what a smaller `want` gave, also where a page is a best guess. */
      var all = { terms: [], total: 0, complete: true, sure: 0, results: [], also: [], towns: [] };
      var shown = {}, pages = 0, ctx = { shards: {}, charged: 0, admitted: null };
      function next() {
        pages++;
        return searchPage(terms, filters, shown, ctx).then(function (res) {
          var before = all.results.length;
          res.results.forEach(function (r) { shown[r.doc] = true; });
          all.results = all.results.concat(res.results);
          if (all.sure === before) all.sure = before + res.sure;
          all.total = before + res.total;
          all.complete = res.complete;
          all.terms = res.terms;
          all.also = res.also;
          all.towns = res.towns;
          /* A page per PAGE wanted: a page cut short by its budget (not complete) counts as
           * one, so that 显示更多 after it asks for the next. */
          var more = all.results.length < want && pages * PAGE < want && res.results.length > 0 &&
            (res.results.length === PAGE || !res.complete);
          return more ? next() : all;
        });
      }
      return next().then(function (res) {
        res.results = res.results.slice(0, want);
        res.sure = Math.min(res.sure, want);
        return res;
      });
    }).then(function (res) {
      towns0 = res.towns;
      return navPages(query, towns0, filters).then(function (pages) {
        delete res.towns;
        res.pages = pages;
        res.answer = answer(query);
        return res;
      });
    });
  };

  /* One page of hits (PAGE) among the reports not in `shown`, with its own budget of text bytes
   * (whether it runs once or twice). First without the thesaurus: when the page's hits are
   * certain and each has every term verbatim in a passage (the top tier), no alternative can
   * rank among them (an alternative's tier is one lower), and their shards need not be loaded.
   * `ctx`: what the search's pages share (the shards loaded, their bytes charged, the
   * alternatives admitted). */
  function searchPage(terms, filters, shown, ctx) {
    var budget = { used: 0, seen: {} };
    var alts = terms.map(function (t) { return t.alts; });
    if (!alts.some(function (a) { return a.length; })) return run(terms, filters, PAGE, budget, shown, ctx);
    var plain = terms.map(function (t) { return Object.assign({}, t, { alts: [] }); });
    /* The run without them leaves room for the alternatives' shards (and does not fill). */
    budget.reserve = ctx.admitted ? 0 : ALT_SHARD_BYTES;
    return run(plain, filters, PAGE, budget, shown, ctx).then(function (res) {
      budget.reserve = 0;
      var top = TOP_TIER * terms.length;
      var settled = res.sure >= PAGE && res.results.slice(0, PAGE).every(function (r) {
        return r.covered === r.units && r.tier === top;
      });
      if (settled) return res;
      if (!ctx.admitted) ctx.admitted = admit(terms, ctx, Math.min(ALT_SHARD_BYTES, TEXT_BYTES - budget.used));
      return run(ctx.admitted, filters, PAGE, budget, shown, ctx);
    });
  }

  /* The terms with the alternatives whose shards fit: the cheapest first, while the shards
   * the alternatives add to those of the search (at the average size of those loaded) stay
   * within ALT_SHARD_BYTES. A term with many alternatives (微信公众号:
   * 政务微信, 官方微信 …) would otherwise load a dozen shards more; the alternatives left out
   * are not shown as looked for. */
  function admit(terms, ctx, room) {
    var planned = {}, total = 0, count = 0, extra = 0;
    Object.keys(ctx.shards).forEach(function (n) { planned[n] = true; total += shardBytes[n] || 0; count++; });
    var avg = count ? total / count : 2048;
    var fresh = function (alt) {
      var out = [];
      alt.tokens.forEach(function (t) {
        var n = shardOf(t.t, meta.bits);
        if (!planned[n] && out.indexOf(n) < 0) out.push(n);
      });
      return out;
    };
    return terms.map(function (term) {
      /* Those that need the fewest more shards first (微博 for 政务微博 needs none), in the
       * thesaurus' order among equals; shown in that order. */
      var order = term.alts.map(function (alt, k) { return [fresh(alt).length, k]; });
      order.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      var kept = {};
      order.forEach(function (e) {
        var more = fresh(term.alts[e[1]]);
        if (extra + more.length * avg > room) return;
        more.forEach(function (n) { planned[n] = true; });
        extra += more.length * avg;
        kept[e[1]] = true;
      });
      return Object.assign({}, term, { alts: term.alts.filter(function (a, k) { return kept[k]; }) });
    });
  }

  /* One search of parsed terms: their shards, candidates, the checked hits. The shards' bytes
   * count against the budget of text bytes (once per search). */
  function run(terms, filters, want, budget, shown, ctx) {
    var posting = {};
    var looked = lookups(terms);
    var needed = [];
    looked.forEach(function (t) {
      var n = shardOf(t, meta.bits);
      if (needed.indexOf(n) < 0) needed.push(n);
    });
    return Promise.all(needed.map(function (n) { return load('s-' + n + '.js'); })).then(function () {
      var total = 0;
      needed.forEach(function (n) { ctx.shards[n] = true; });
      Object.keys(ctx.shards).forEach(function (n) { total += shardBytes[n] || 0; });
      var charge = total - ctx.charged;
      ctx.charged += charge;
      budget.used += charge;
      looked.forEach(function (t) { posting[t] = postingsOf(t); });
      var key = terms.map(function (t) { return t.text; }).join(' ');
      var orders = [];
      var order = function (town) {
        if (town === undefined) return 0;
        if (orders[town] === undefined) orders[town] = hash(key + '\n' + town);
        return orders[town];
      };
      var found = candidates(terms, posting, filters, order);
      found.cands = found.cands.filter(function (c) { return !shown[c.doc]; });
      return Promise.resolve(verify(found.cands, terms, posting, order, want, budget)).then(function (res) {
        res.towns = found.towns;
        return res;
      });
    });
  }

  /* Texts are loaded for the unresolved reports that rank highest by their bound, PAGE at a
   * time (the rest of a body only when the first part leaves a hit below its bound), until
   * `want` hits are certain or TEXT_BYTES per PAGE wanted were checked. In the second case the hits
   * known so far follow the certain ones in the order of their keys (`sure` counts the certain
   * ones): a report not yet checked could still rank among them. */
  /* The files a candidate's next check loads, [path, bytes]: the first part of its text, or
   * the rest parts it needs (`c.need`). */
  function filesOf(c) {
    var key = docInfo(c.doc).key;
    if (c.state === 0) return [['t/' + key, FIRST_PART_BYTES]];
    return c.need.map(function (k) { return ['r/' + key + '/' + k, texts[key].r[k]]; });
  }

  function verify(cands, terms, posting, order, want, budget) {
    var limit = TEXT_BYTES * Math.ceil(want / PAGE) - (budget.reserve || 0);
    var units = 0;
    terms.forEach(function (t) { units += t.units; });
    function keyOf(c) { return c.state === 2 ? c.hit : c; }
    function step() {
      var live = cands.filter(function (c) { return c.state !== 3; });
      live.sort(function (a, b) { return byRank(keyOf(a), keyOf(b)); });
      var results = [];
      var i = 0;
      while (i < live.length && live[i].state === 2 && results.length < want) results.push(live[i++].hit);
      var sure = results.length;
      var open = live.filter(function (c) { return c.state < 2; }).length;
      var known = live.filter(function (c) { return c.hit; });
      /* The next files to check, within the budget: a text already loaded in this search costs
       * nothing, a rest part its size (which the first part gives, `r`), a first part about
       * FIRST_PART_BYTES. */
      var room = limit - budget.used, most = PAGE, filling = false;
      if (room < FIRST_PART_BYTES && known.length < want && !budget.reserve) {
        room = limit + FILL_BYTES - budget.used;
        most = want - known.length;
        filling = true;
      }
      var batch = [];
      /* Filling looks for new hits, not for a better key of a known one: the first parts of
       * reports not yet read first (cheaper), then rests. */
      (filling ? [0, 1] : [-1]).forEach(function (only) {
        live.slice(i).some(function (c) {
          if (c.state >= 2 || (filling && (c.hit || c.state !== only))) return false;
          if (batch.length >= most) return true;
          var size = 0;
          filesOf(c).forEach(function (f) { if (!budget.seen[f[0]]) size += f[1]; });
          if (!size || size <= room) { room -= size; batch.push(c); }
          return batch.length >= most;
        });
      });
      if (results.length >= want || i >= live.length || !batch.length) {
        if (results.length < want) {
          known.filter(function (c) { return results.indexOf(c.hit) < 0; })
            .sort(function (a, b) { return byRank(a.hit, b.hit); })
            .slice(0, want - results.length)
            .forEach(function (c) { results.push(c.hit); });
        }
        var also = [];
        terms.forEach(function (t) { t.alts.forEach(function (a) { also.push(a.text); }); });
        return {
          terms: terms.map(function (t) { return t.text; }),
          total: known.length,
          complete: !open,
          sure: sure,
          results: results,
          also: also
        };
      }
      var files = [];
      var chunks = [];
      batch.forEach(function (c) {
        var k = Math.floor(meta.town[c.doc] / meta.chunk);
        if (c.doc < meta.year.length && chunks.indexOf(k) < 0) chunks.push(k);
      });
      return Promise.all(chunks.map(function (k) { return load('w-' + k + '.js'); })).then(function () {
        /* The files' names need the townships' slugs (w-<k>.js). */
        files = batch.map(filesOf);
        var all = [];
        files.forEach(function (list) { list.forEach(function (f) { all.push(load(f[0] + '.js')); }); });
        return Promise.all(all);
      }).then(function () {
        /* Texts that name their table format's labels need that list (once per format). */
        var formats = [];
        batch.forEach(function (c) {
          var t = texts[docInfo(c.doc).key];
          if (t && t.L && !labelLists[t.L] && formats.indexOf(t.L) < 0) formats.push(t.L);
        });
        return Promise.all(formats.map(function (id) { return load('l-' + id + '.js'); }));
      }).then(function () {
        batch.forEach(function (c) { labelsOf(texts[docInfo(c.doc).key]); });
        batch.forEach(function (c, b) {
          var text = texts[docInfo(c.doc).key];
          /* Each file counts once per search (a second run finds it loaded). */
          files[b].forEach(function (f) {
            if (!text || budget.seen[f[0]]) return;
            budget.seen[f[0]] = 1;
            budget.used += f[0].charAt(0) === 't' ? text.z : f[1];
          });
          var res = check(posting, c.doc, terms, order, c.loose);
          var hit = res.hit;
          c.hit = hit;
          if (!text) {
            c.state = 3;
            return;
          }
          /* A rest part is loaded only when a section in it can still give more than the text
           * loaded did (its slots in the postings). */
          var rest = restKey(c, text, res.per, hit, c.loose ? looseNeed(units) : need(units));
          if (rest.key && byRank(rest.key, c) < 0) rest.key = c;
          if (!rest.parts.length) {
            c.state = hit ? 2 : 3;
            return;
          }
          c.state = 1;
          c.need = rest.parts;
          c.covered = rest.key.covered;
          c.tier = rest.key.tier;
          c.weight = rest.key.weight;
        });
        return step();
      });
    }
    return step();
  }

  /* The second index: pages that are not reports. A township whose name (or its name without
   * 镇/乡/街道) is in the query finds its page; a year of the site in the query finds the year's
   * page. [{title, url, kind}] */
  function navPages(query, candidatesTowns, filters) {
    var norm = normalize(query);
    var out = [];
    meta.years.forEach(function (e) {
      var y = String(e[0]);
      if (occurrences(norm, y).length || occurrences(norm, y + '年').length) {
        out.push({ title: y + '年度政府信息公开工作年度报告', url: y + '/index.html', kind: 'year' });
      }
    });
    var chunks = [];
    candidatesTowns.forEach(function (t) {
      var k = Math.floor(t / meta.chunk);
      if (chunks.indexOf(k) < 0) chunks.push(k);
    });
    return Promise.all(chunks.map(function (k) { return load('w-' + k + '.js'); })).then(function () {
      /* A full name in the query (太平镇) shows that township only, not 太平乡 as well. */
      var full = [], cores = [];
      candidatesTowns.forEach(function (t) {
        var town = towns[t];
        if (!town) return;
        var name = normalize(town[0]);
        var core = name.replace(/(民族乡|街道办事处|街道|镇|乡)$/, '');
        var page = { title: town[0] + '（历年报告与数据对比）', url: 'townships/' + town[1] + '/index.html', kind: 'township' };
        if (norm.indexOf(name) >= 0) full.push(page);
        else if (core.length >= 2 && norm.indexOf(core) >= 0) cores.push(page);
      });
      return out.concat(full.length ? full : cores);
    });
  }

  /* The status line of a search's answer with `shown` hits on the page: the count, exact
   * when the search is complete, 至少 N otherwise — and never 至少 0: a search that has found
   * nothing within its budget says that it has not finished. */
  function statusText(query, res, shown) {
    if (!res.results.length && res.complete) return '没有找到包含“' + query + '”的报告。请换一个词，或减少筛选条件。';
    if (!res.results.length && !res.total) return '还没有找到包含“' + query + '”的报告，只查了一部分报告；请点“显示更多结果”继续查找。';
    if (!res.results.length) return '至少 ' + res.total + ' 条结果，请点“显示更多结果”继续查找。';
    if (res.complete) return '共 ' + res.total + ' 条结果' + (shown < res.total ? '，已显示 ' + shown + ' 条' : '');
    return '至少 ' + res.total + ' 条结果，已显示 ' + shown + ' 条';
  }
  S.statusText = statusText;

  /* Questions about figures, and the page that answers them (docs.js `answers`). */
  var ASK = [
    ['compare', new RegExp('(哪个|哪些|哪一个|哪几个)(' + KINDS + ')|(最多|最少|最高|最低)的?(' + KINDS + ')|(' + KINDS + ').*(最多|最少|最高|最低|排名|排行)|申请.*最多|最多.*申请|排名|排行')],
    ['audit', /按时|按期|逾期|超期|是否.*发布|有没有.*发布|没有发布|未发布|督查/],
    ['guide', /(怎么|怎样|如何|去哪|哪里|在哪).*申请|申请.*(流程|渠道|方式|途径|手续)/]
  ];

  function answer(query) {
    var norm = normalize(query);
    var a = meta.answers || {};
    for (var i = 0; i < ASK.length; i++) {
      if (!ASK[i][1].test(norm)) continue;
      var kind = ASK[i][0];
      if (kind === 'compare' && a.compare) {
        return { kind: kind, text: '各乡镇收到的申请数、主动公开数等主要指标并排列在年度页的“各乡镇主要指标对比”表中，点列名可以排序；各年合计见全县汇总。',
          links: [[a.compare.split('/')[0] + '年度各乡镇主要指标对比', a.compare], ['全县各年度汇总', a.county]] };
      }
      if (kind === 'audit' && a.audit) {
        return { kind: kind, text: '各乡镇每年的年度报告是否发布、是否按时发布，列在督查页中。',
          links: [['各乡镇年报公开情况（督查）', a.audit]] };
      }
      if (kind === 'guide') {
        var links = a.guide ? [[a.guide[1], a.guide[0]]] : [];
        links.push(['搜索“政府信息公开指南”', 'search/index.html?q=' + encodeURIComponent('政府信息公开指南')]);
        return { kind: kind, text: '申请政府信息公开的方式、受理机构和地址写在政府信息公开指南中；各报告的“收到和处理政府信息公开申请情况”部分列出当年收到的申请和办理结果。',
          links: links };
      }
    }
    return null;
  }
  S.answer = function (query) { return load('docs.js').then(function () { return answer(query); }); };

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
  /* docs.js and the folding table: normalize() then folds as the index did. */
  S.readyFold = function () { return load('docs.js').then(loadFold); };

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
    var syn = byId('search-syn'), also = byId('search-also');
    var answerBox = byId('search-answer'), pagesBox = byId('search-pages');
    var params = new URLSearchParams(root.location.search);
    q.value = params.get('q') || '';
    if (syn) syn.checked = params.get('syn') !== '0';
    var want = PAGE;
    var seq = 0;

    function hit(r) {
      var li = document.createElement('li');
      li.className = 'search-hit';
      var a = document.createElement('a');
      a.className = 'search-hit-title';
      a.href = siteRoot + r.url + (r.anchor ? '#' + r.anchor : '');
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
      return li;
    }

    function link(text, url) {
      var a = document.createElement('a');
      a.href = siteRoot + url;
      a.textContent = text;
      return a;
    }

    function side(res) {
      if (answerBox) {
        answerBox.textContent = '';
        answerBox.hidden = !res.answer;
        if (res.answer) {
          var h = document.createElement('h2');
          h.textContent = '可能回答您问题的页面';
          var p = document.createElement('p');
          p.textContent = res.answer.text;
          var ul = document.createElement('ul');
          res.answer.links.forEach(function (l) {
            var li = document.createElement('li');
            li.appendChild(link(l[0], l[1]));
            ul.appendChild(li);
          });
          answerBox.appendChild(h);
          answerBox.appendChild(p);
          answerBox.appendChild(ul);
        }
      }
      if (pagesBox) {
        pagesBox.textContent = '';
        pagesBox.hidden = !res.pages.length;
        res.pages.forEach(function (pg) {
          var li = document.createElement('li');
          li.appendChild(link(pg.title, pg.url));
          pagesBox.appendChild(li);
        });
      }
      if (also) {
        also.textContent = '';
        also.hidden = !res.also.length;
        if (res.also.length) {
          also.appendChild(document.createTextNode('也找了：' + res.also.join('、') + '（同义词，可在上方关闭）'));
        }
      }
    }

    /* A new search renders its hits; more (firstNew ≥ 0) appends those after the ones shown,
     * which stay as they are: the first hits of a longer list are the same. */
    var shown = {};
    function render(query, res, firstNew) {
      if (firstNew < 0) {
        list.textContent = '';
        shown = {};
      }
      side(res);
      var focused = false;
      res.results.forEach(function (r) {
        if (shown[r.doc]) return;
        shown[r.doc] = true;
        var li = hit(r);
        list.appendChild(li);
        if (firstNew >= 0 && !focused) { li.firstChild.focus(); focused = true; }
      });
      status.textContent = statusText(query, res, list.children.length);
      more.hidden = res.complete && list.children.length >= res.total;
    }

    function run(firstNew) {
      var query = q.value.trim();
      var mine = ++seq;
      if (!query) {
        list.textContent = '';
        more.hidden = true;
        side({ answer: null, pages: [], also: [] });
        status.textContent = '请输入要搜索的词语，例如乡镇名称或“依申请公开”。';
        return;
      }
      status.textContent = '正在搜索…';
      var filters = { year: year.value, township: township.value, syn: !syn || syn.checked };
      S.search(query, filters, want).then(function (res) {
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
      if (syn && !syn.checked) p.set('syn', '0');
      try { root.history.replaceState(null, '', '?' + p.toString()); } catch (e) { /* file:// */ }
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      want = PAGE;
      remember();
      run(-1);
    });
    [year, township, syn].forEach(function (el) {
      if (el) el.addEventListener('change', function () { want = PAGE; remember(); run(-1); });
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
