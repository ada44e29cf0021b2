//! Full-text search: the Rust index and `static/search.js` agree on normalisation (traditional
//! characters folded by one table) and the tokenizer; real Chinese queries — typed as citizens
//! type them, with traditional characters, a wrong character, a question — find the reports that
//! contain them (recall) within a download budget; hits rank by how much of the query they have,
//! then title > heading > body and verbatim over scattered, with no township always first among
//! equals; filters by year and township — all through the real search.js running in node against
//! the files a build wrote.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::{Fixture, repo_root, run_in};
use nianbao::search;
use serde_json::{Value, json};

/// `node`, or a failure saying how to get it: these tests must never pass by skipping.
fn node() -> &'static str {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let ok = Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "the search tests run static/search.js in node: install Node.js 18 or newer \
             (`apt-get install nodejs`) and make sure `node` is on PATH"
        );
    });
    "node"
}

/// Run the harness over a built site (`out` holds `search/`) with `requests`.
fn harness(out: &Path, requests: &Value) -> Value {
    harness_with(
        &repo_root().join("themes/default/static/search.js"),
        out,
        requests,
    )
}

/// [`harness`] with another copy of search.js.
fn harness_with(search_js: &Path, out: &Path, requests: &Value) -> Value {
    let root = repo_root();
    let mut child = Command::new(node())
        .arg(root.join("tests/js/search_harness.js"))
        .arg(search_js)
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(requests.to_string().as_bytes())
        .expect("write requests");
    let output = child.wait_with_output().expect("node runs");
    assert!(
        output.status.success(),
        "search harness failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("harness prints JSON")
}

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let (code, _, stderr) = run_in(root, "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "site must build: {stderr}");
    (tmp, out)
}

fn content_pack() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| build(&repo_root())).1
}

/// Run searches `(query, year, township)`; returns each search's answer.
fn searches(out: &Path, queries: &[(&str, &str, &str)]) -> Vec<Value> {
    let list: Vec<Value> = queries
        .iter()
        .map(|(q, y, t)| json!({"q": q, "year": y, "township": t}))
        .collect();
    let answer = harness(out, &json!({ "searches": list }));
    answer["searches"].as_array().expect("searches").clone()
}

fn urls(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["url"].as_str().expect("url").to_string())
        .collect()
}

#[test]
fn rust_and_javascript_tokenizers_agree() {
    let texts = [
        "政务公开",
        "镇",
        "北景港镇2018年度报告",
        "ＩＰｖ６　地址：Ｗｗｗ．ＨuaRong．gov．cn",
        "依申请公开（含）12件，0730-4500137",
        "〇一八年；𠀋𠀋字（扩展B区）",
        "，。、  ",
        "Mixed中文and English 字",
        "",
        "依申請公開",
        "政府資訊公開工作年度報告",
        "鄉鎮統計數據；行政機關辦理行政複議、行政訴訟",
        "《政府信息公開條例》規範性文件",
        "爲綫裡峯衆，ＮＩＡＮ報　２０１９年",
        "怎麼申請政府資訊公開？",
        // Every character of the folding table, traditional and simplified.
        FOLD_TABLE,
    ];
    let bits = [0u32, 3, 7, 10];
    let tokens: Vec<String> = texts.iter().flat_map(|t| search::query_tokens(t)).collect();
    let shard_requests: Vec<Value> = tokens
        .iter()
        .flat_map(|t| bits.iter().map(move |b| json!([t, b])))
        .collect();
    let answer = harness(
        content_pack(),
        &json!({"normalize": texts, "tokenize": texts, "shardOf": shard_requests}),
    );
    for (i, text) in texts.iter().enumerate() {
        assert_eq!(
            answer["normalize"][i],
            json!(search::normalize(text)),
            "normalize({text:?})"
        );
        assert_eq!(
            answer["tokenize"][i],
            json!(search::query_tokens(text)),
            "tokenize({text:?})"
        );
    }
    let rust_shards: Vec<u32> = tokens
        .iter()
        .flat_map(|t| bits.iter().map(move |b| search::shard_of(t, *b)))
        .collect();
    assert_eq!(answer["shardOf"], json!(rust_shards));
    assert!(
        tokens.iter().any(|t| t == "𠀋𠀋"),
        "astral CJK characters are tokens"
    );
    assert_eq!(search::normalize("依申請公開"), "依申请公开");
}

#[test]
fn docs_js_says_which_characters_fold_as_the_table_does() {
    // Every character of the folding table's range, one text each: search.js reads from
    // docs.js (gaps between the characters that fold) whether a text needs the table.
    let texts: Vec<String> = (0x3400u32..=0x9FFF)
        .filter_map(char::from_u32)
        .map(String::from)
        .collect();
    let answer = harness(content_pack(), &json!({ "mayFold": texts }));
    let says = answer["mayFold"].as_array().expect("mayFold answers");
    let mut folding = 0;
    for (text, may) in texts.iter().zip(says) {
        let folds = search::normalize(text) != *text;
        folding += usize::from(folds);
        assert_eq!(may, &json!(folds), "{text}");
    }
    assert!(folding > 2000, "{folding} characters fold");
}

/// The traditional → simplified table, as `src/search/mod.rs` includes it.
const FOLD_TABLE: &str = include_str!("../src/search/t2s.txt");

#[test]
fn real_queries_find_the_beijinggang_report_with_a_marked_snippet() {
    let queries = [
        "政务公开",
        "依申请",
        "北景港",
        "北景港镇",
        "镇",
        "设置公开查阅点8处",
        "全年未发生依申请公开事项",
        // More tokens than a query looks up: the rest is checked on the text.
        "全年没有发生因政府信息公开申请行政复议、提起行政诉讼和举报投诉的情况",
        "行政复议",
        "ＨＵＡＲＯＮＧ",
    ];
    let list: Vec<(&str, &str, &str)> = queries.iter().map(|q| (*q, "", "")).collect();
    for (q, answer) in queries.iter().zip(searches(content_pack(), &list)) {
        assert_eq!(
            urls(&answer),
            ["2018/beijinggang/index.html"],
            "{q}: {answer}"
        );
        let hit = &answer["results"][0];
        assert_eq!(hit["township"], "北景港镇");
        assert_eq!(hit["year"], 2018);
        assert_eq!(answer["complete"], true);
        let snippet = hit["snippet"].as_str().unwrap();
        let marked = search::normalize(q);
        assert!(
            search::normalize(snippet).contains(&format!("<mark>{marked}</mark>")),
            "{q}: the snippet marks the query: {snippet}"
        );
    }
}

#[test]
fn a_snippet_shows_every_word_of_the_query() {
    let answer = &searches(content_pack(), &[("华容县 依申请", "", "")])[0];
    let snippet = answer["results"][0]["snippet"].as_str().unwrap();
    // 华容县 opens the narrative, 依申请 is hundreds of characters later: two fragments.
    assert!(snippet.starts_with("<mark>华容县</mark>"), "{snippet}");
    assert!(snippet.contains("…"), "{snippet}");
    assert!(snippet.contains("<mark>依申请</mark>"), "{snippet}");
    assert!(
        snippet.chars().count() < 260,
        "a snippet is short: {snippet}"
    );
}

#[test]
fn absent_words_and_filters_find_nothing() {
    let answers = searches(
        content_pack(),
        &[
            ("高铁站", "", ""),
            ("政务公开", "2017", ""),
            ("政务公开", "", "nowhere"),
            ("政务公开", "2018", "beijinggang"),
            ("，。", "", ""),
        ],
    );
    assert!(urls(&answers[0]).is_empty());
    assert!(urls(&answers[1]).is_empty(), "year filter");
    assert!(urls(&answers[2]).is_empty(), "township filter");
    assert_eq!(urls(&answers[3]).len(), 1, "both filters match");
    assert!(urls(&answers[4]).is_empty());
    assert_eq!(answers[4]["total"], 0);
}

#[test]
fn a_query_downloads_only_its_shards_and_the_texts_of_its_hits() {
    let answer = &searches(content_pack(), &[("政务公开", "", "")])[0];
    let loaded: Vec<&str> = answer["loaded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap())
        .collect();
    let shard_count = 1 << search::shard_bits(1);
    let shards = loaded.iter().filter(|f| f.starts_with("s-")).count();
    assert!(
        (1..=3).contains(&shards) && shards < shard_count,
        "{loaded:?}"
    );
    assert!(loaded.contains(&"docs.js"));
    assert!(loaded.contains(&"t/2018/beijinggang.js"));
    assert!(
        !loaded.contains(&"fold.js"),
        "a query in simplified characters over simplified texts needs no folding table"
    );
    let traditional = &searches(content_pack(), &[("依申請公開", "", "")])[0];
    let loaded = traditional["loaded"].to_string();
    // 請 (U+8ACB) and 開 (U+958B): the folding pairs of their blocks, not the whole table.
    assert!(
        loaded.contains("\"f-138.js\"") && loaded.contains("\"f-149.js\""),
        "{loaded}"
    );
    assert!(!loaded.contains("\"fold.js\""), "{loaded}");
    assert_eq!(urls(traditional), ["2018/beijinggang/index.html"]);
}

/// Three reports: the query in a title, in a heading, in the body; plus one with every bigram
/// of it but not the phrase itself.
fn ranking_site() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/2018/beta/report.md",
        "---\ntitle: 乙乡依申请公开专项报告\npublished: 2019-02-01\n---\n正文。\n",
    );
    f.edit(
        "content/2018/alpha/report.md",
        "## 一、概述\n\n正文。",
        "## 一、依申请公开情况\n\n正文。",
    );
    f.edit(
        "content/2020/beta/report.md",
        "正文。",
        "全年收到依申请公开事项2件。\n\n另：申请人依法申请，申请公开；政务工作，任务公布，信息公开。",
    );
    f
}

/// Each hit's `(weight, tier)`: the index's weight of the units it covers, and where the phrase
/// stands (4 a passage, a figure or the title; 2 a heading; 0 only the weak parts).
fn scores(answer: &Value) -> Vec<(i64, i64)> {
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().expect(k);
            (n("weight"), n("tier"))
        })
        .collect()
}

#[test]
fn hits_rank_by_coverage_then_title_heading_body_and_scattered_bigrams_are_no_hit() {
    let f = ranking_site();
    let (_tmp, out) = build(f.root());
    // Doc ids 0, 1, 2 = 2020 乙乡, 2018 甲镇, 2018 乙乡; only the last title is not the default.
    let docs = std::fs::read_to_string(out.join("search/docs.js")).unwrap();
    let json = docs
        .strip_prefix("nianbaoSearch.docs(")
        .and_then(|d| d.strip_suffix(");\n"))
        .expect("docs.js registers its data");
    let mut meta: Value = serde_json::from_str(json).expect("docs.js is JSON");
    let fold_js = std::fs::read_to_string(out.join("search/fold.js")).unwrap();
    let fold: Value = serde_json::from_str(
        fold_js
            .strip_prefix("nianbaoSearch.fold(")
            .and_then(|d| d.strip_suffix(");\n"))
            .expect("fold.js registers the folding table"),
    )
    .unwrap();
    let foldable = meta.as_object_mut().and_then(|m| m.remove("foldable"));
    assert!(
        foldable
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|b| b.len() > 2000),
        "docs.js says which characters fold"
    );
    let syn = meta.as_object_mut().and_then(|m| m.remove("syn"));
    let groups = syn
        .as_ref()
        .and_then(Value::as_array)
        .expect("the thesaurus");
    assert!(
        groups.iter().any(|g| g
            .as_str()
            .is_some_and(|g| g.starts_with(">政务新媒体 微信 "))),
        "{groups:?}"
    );
    let answers = meta.as_object_mut().and_then(|m| m.remove("answers"));
    assert_eq!(
        answers,
        Some(
            json!({"audit": "audit/index.html", "compare": "2020/index.html#year-compare-title",
                    "county": "county/index.html", "guide": null})
        )
    );
    let entries: String = FOLD_TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect();
    assert_eq!(fold, json!(entries), "the table of t2s.txt, in file order");
    assert_eq!(
        meta,
        json!({"bits":4,"chunk":16,"nav":3,"region":"测试县","titles":{"2":"乙乡依申请公开专项报告"},
               "towns":2,"years":[[2020,[1,1]],[2018,[0,1]]]})
    );
    let towns = r#"nianbaoSearch.towns(0,[["甲镇","alpha"],["乙乡","beta"]]);"#;
    assert_eq!(
        std::fs::read_to_string(out.join("search/towns.js")).unwrap(),
        format!("{towns}\n")
    );
    assert_eq!(
        std::fs::read_to_string(out.join("search/w-0.js")).unwrap(),
        format!("{towns}\n"),
        "one chunk of townships"
    );
    let answers = searches(
        &out,
        &[
            ("依申请公开", "", ""),
            ("依申请公开", "2018", ""),
            ("依申请公开", "", "beta"),
            ("政务公开", "", ""),
            ("依申请公开 2", "", ""),
            ("依申請公開", "", ""),
        ],
    );
    assert_eq!(
        urls(&answers[0]),
        [
            "2018/beta/index.html",
            "2020/beta/index.html",
            "2018/alpha/index.html"
        ],
        "title > body > heading: {}",
        answers[0]
    );
    // Five units, each weighted by its best field (title 3, body 2, heading 1: 公开 is in every
    // title); the phrase verbatim in a title or passage is tier 5, in a heading 3.
    assert_eq!(scores(&answers[0]), [(15, 5), (12, 5), (9, 3)]);
    assert_eq!(
        answers[0]["results"][2]["anchor"], "sec-1",
        "the heading's section"
    );
    assert_eq!(answers[0]["results"][0]["township"], "乙乡");
    assert_eq!(
        answers[0]["results"][0]["title_marked"],
        "乙乡<mark>依申请公开</mark>专项报告"
    );
    assert_eq!(
        urls(&answers[1]),
        ["2018/beta/index.html", "2018/alpha/index.html"]
    );
    assert_eq!(answers[0]["complete"], true);
    assert_eq!(answers[0]["total"], 3, "an exact count");
    assert_eq!(
        urls(&answers[2]),
        ["2018/beta/index.html", "2020/beta/index.html"]
    );
    // 政务, 务公 and 公开 are all in the 2020 report, far apart or out of order: the index finds
    // them, the check of the text does not count them as the phrase. What is left is the rare
    // word alone (政务, in one report of three: looseNeed()), a partial hit of 2 of the 4 units
    // with only that word marked.
    let partial = answers[3]["results"].as_array().expect("results");
    assert_eq!(partial.len(), 1, "{}", answers[3]);
    assert_eq!(partial[0]["covered"], 2, "{}", answers[3]);
    let marked = partial[0]["snippet"].as_str().unwrap();
    assert_eq!(marked.matches("<mark>").count(), 1, "{marked}");
    assert!(marked.contains("<mark>政务</mark>"), "{marked}");
    assert_eq!(answers[3]["complete"], true);
    // Every word of the query first (only the 2020 report has a 2), then those that miss one.
    assert_eq!(
        urls(&answers[4]),
        [
            "2020/beta/index.html",
            "2018/beta/index.html",
            "2018/alpha/index.html"
        ]
    );
    assert_eq!(
        answers[4]["results"][0]["anchor"], "",
        "the body before any heading"
    );
    assert_eq!(answers[4]["results"][0]["covered"], 6);
    assert_eq!(answers[4]["results"][1]["covered"], 5);
    assert_eq!(
        answers[4]["results"][0]["snippet"],
        "全年收到<mark>依申请公开</mark>事项<mark>2</mark>件。 另：申请人依法申请，申请公开；政务工作，任务公布，信息公开。"
    );
    // Traditional characters find the same reports, in the same order, the same marks.
    assert_eq!(answers[5]["results"], answers[0]["results"]);
}

/// Six townships whose 2020 reports say the same: every query ties them all.
fn twins_site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", common::SITE_TOML);
    let names = ["甲镇", "乙乡", "丙镇", "丁乡", "戊镇", "己乡"];
    let mut townships = String::new();
    for (i, name) in names.iter().enumerate() {
        let slug = format!("t{i}");
        townships.push_str(&format!(
            "- slug: {slug}\n  name: {name}\n  kind: {}\n  order: {i}\n",
            name.chars().last().unwrap()
        ));
        f.write(
            &format!("content/2020/{slug}/report.md"),
            "---\npublished: 2021-01-20\n---\n本年度政务公开工作正常开展，主动公开政府信息，规范办理依申请公开。\n",
        );
    }
    f.write("content/townships.yaml", &townships);
    f
}

#[test]
fn among_equal_hits_no_township_is_always_first_and_the_order_is_stable() {
    let f = twins_site();
    let (_tmp, out) = build(f.root());
    let queries = [
        "政务公开",
        "主动公开",
        "依申请公开",
        "政府信息",
        "年度报告",
        "规范办理",
        "工作正常",
        "公开工作",
    ];
    let list: Vec<(&str, &str, &str)> = queries.iter().map(|q| (*q, "", "")).collect();
    let first = searches(&out, &list);
    let again = searches(&out, &list);
    let mut tops = std::collections::BTreeSet::new();
    for ((q, a), b) in queries.iter().zip(&first).zip(&again) {
        assert_eq!(urls(a).len(), 6, "{q}: every twin is a hit");
        assert_eq!(urls(a), urls(b), "{q}: the same query, the same order");
        let scores = scores(a);
        assert!(scores.iter().all(|s| *s == scores[0]), "{q}: a tie");
        tops.insert(urls(a)[0].clone());
    }
    assert!(
        tops.len() >= 3,
        "ties are broken per query, not always for one township: {tops:?}"
    );
}

fn demo_site() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| build(&repo_root().join("examples/demo")))
        .1
}

/// What a citizen's query should find.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// This report (`<year>/<slug>`) first.
    Top(&'static str),
    /// The first `n` hits are all of this year.
    Year(u16, usize),
    /// The first `n` hits are all of this township (slug).
    Township(&'static str, usize),
    /// The first hit has this phrase, hits that have it rank above those that do not, at least
    /// three in four of the hits shown have it, and as many are shown as reports have it, up to a
    /// page. (The page is chosen from the index, which cannot tell a phrase from its bigrams
    /// close together: 公开指南 may also show 公开办事指南, after the reports that say it.)
    Phrase(&'static str),
    /// One of the hits shown has this phrase.
    Some(&'static str),
    /// Nothing.
    Nothing,
}

/// Queries as citizens type them, on the demo site (31 reports of 4 townships, 2016–2023).
const DEMO_QUERIES: &[(&str, Expect)] = &[
    ("依申请公开", Expect::Phrase("依申请公开")),
    ("存在的问题", Expect::Phrase("存在的主要问题")),
    ("行政复议", Expect::Phrase("行政复议")),
    ("行政诉讼", Expect::Phrase("行政诉讼")),
    ("政府信息公开工作年度报告 2019", Expect::Year(2019, 4)),
    ("年度报告 2023", Expect::Year(2023, 4)),
    ("2016年度", Expect::Year(2016, 4)),
    ("依申请公开 2018", Expect::Year(2018, 4)),
    ("青山镇 2021", Expect::Top("2021/qingshan")),
    ("柳林镇2019年", Expect::Top("2019/liulin")),
    ("2022年 东湖街道", Expect::Top("2022/donghu")),
    ("白沙乡", Expect::Township("baisha", 8)),
    // 东湖街道 published no 2020 report: its other years, not another township's 2020.
    ("東湖街道 2020", Expect::Township("donghu", 7)),
    ("青山鎮", Expect::Township("qingshan", 8)),
    ("依申請公開", Expect::Phrase("依申请公开")),
    ("行政複議", Expect::Phrase("行政复议")),
    ("規範性文件", Expect::Phrase("规范性文件")),
    ("政府資訊公開", Expect::Some("政府信息公开")),
    ("政府信息工开", Expect::Phrase("政府信息公开")),
    ("依申请工开", Expect::Phrase("依申请")),
    ("怎么申请政府信息公开", Expect::Some("依申请公开")),
    ("如何查阅政府信息？", Expect::Phrase("查阅和获取政府信息")),
    ("收费", Expect::Phrase("收费")),
    ("主动公开", Expect::Phrase("主动公开")),
    ("规范性文件", Expect::Phrase("规范性文件")),
    ("政务公开", Expect::Phrase("政务公开")),
    ("政务新媒体", Expect::Phrase("政务新媒体")),
    ("保密审查", Expect::Phrase("保密审查")),
    ("财政预决算", Expect::Phrase("财政预决算")),
    ("村务公开", Expect::Phrase("村务公开")),
    ("办事指南", Expect::Phrase("办事指南")),
    ("举报投诉", Expect::Phrase("举报投诉")),
    ("不予公开", Expect::Phrase("不予公开")),
    ("政策解读", Expect::Phrase("政策解读")),
    ("惠民惠农资金", Expect::Phrase("惠民惠农资金")),
    ("公开指南", Expect::Phrase("公开指南")),
    ("微信公众号", Expect::Phrase("微信公众号")),
    (
        "收到和处理政府信息公开申请情况",
        Expect::Phrase("收到和处理政府信息公开申请情况"),
    ),
    ("高铁站", Expect::Nothing),
    ("量子计算机", Expect::Nothing),
];

/// The same on the content pack (one real report, 北景港镇 2018).
const PACK_QUERIES: &[(&str, Expect)] = &[
    ("北景港鎮 依申請", Expect::Top("2018/beijinggang")),
    ("存在的问题", Expect::Top("2018/beijinggang")),
    ("政务公开 2018", Expect::Top("2018/beijinggang")),
    ("主动公开规范性文件", Expect::Top("2018/beijinggang")),
    ("怎样查阅政府信息", Expect::Top("2018/beijinggang")),
    ("政务公开工做", Expect::Top("2018/beijinggang")),
    ("華容縣人民政府門戶網", Expect::Top("2018/beijinggang")),
    ("收费", Expect::Nothing),
    // No 2019 report: the township's report of another year.
    ("北景港 2019", Expect::Top("2018/beijinggang")),
    ("高铁站 建设", Expect::Nothing),
];

/// Per query, the search page included (its HTML, style sheet and scripts) and every index file
/// the query loads (docs.js, shards, township chunks, label lists, texts): the issue's bound.
/// search.js checks texts within a budget of bytes (`TEXT_BYTES`) to keep to it.
const MAX_QUERY_BYTES: u64 = 100 * 1024;

/// Bytes of the search page as a reader's browser loads it: `search/index.html` and the style
/// sheets and scripts it links under `static/`.
fn page_bytes(out: &Path) -> u64 {
    let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    let mut bytes = page.len() as u64;
    let mut linked = Vec::new();
    for attr in ["src=\"../static/", "href=\"../static/"] {
        for part in page.split(attr).skip(1) {
            let name = part.split('"').next().unwrap();
            if !linked.contains(&name) {
                linked.push(name);
                bytes += std::fs::metadata(out.join("static").join(name))
                    .unwrap()
                    .len();
            }
        }
    }
    assert!(
        linked.contains(&"search.js") && linked.contains(&"style.css"),
        "{linked:?}"
    );
    bytes
}

/// The bytes of one query's answer (the files it loaded) with the page's.
fn query_bytes(out: &Path, answer: &Value) -> u64 {
    let files: u64 = (answer["loaded"].as_array().unwrap().iter())
        .map(|f| f[1].as_u64().unwrap())
        .sum();
    files + page_bytes(out)
}

/// The labels of a report text's filled table rows: from its format's list
/// (`search/l-<format>.js`) by its mask, or its own `l`.
fn labels_of(out: &Path, text: &Value) -> String {
    use base64::Engine;
    let Some(format) = text["L"].as_str() else {
        return text["l"].as_str().unwrap_or("").to_string();
    };
    let js = std::fs::read_to_string(out.join(format!("search/l-{format}.js"))).unwrap();
    let args = js
        .strip_prefix("nianbaoSearch.labels(")
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap();
    let [_, list]: [Value; 2] = serde_json::from_str(&format!("[{args}]")).unwrap();
    let mask = base64::engine::general_purpose::STANDARD
        .decode(text["m"].as_str().unwrap())
        .unwrap();
    (list.as_array().unwrap().iter().enumerate())
        .filter(|(i, _)| mask.get(i / 8).is_some_and(|b| b >> (i % 8) & 1 == 1))
        .map(|(_, l)| l.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("；")
}

/// `<year>/<slug>` → the normalised text of a report as search sees it (title, township,
/// headings, body, labels), read from the files a build wrote.
fn report_texts(out: &Path) -> std::collections::BTreeMap<String, String> {
    let docs = std::fs::read_to_string(out.join("search/docs.js")).unwrap();
    let meta: Value = serde_json::from_str(
        docs.strip_prefix("nianbaoSearch.docs(")
            .and_then(|d| d.strip_suffix(");\n"))
            .unwrap(),
    )
    .unwrap();
    let region = meta["region"].as_str().unwrap();
    let towns = std::fs::read_to_string(out.join("search/towns.js")).unwrap();
    let towns: Value = serde_json::from_str(
        towns
            .strip_prefix("nianbaoSearch.towns(0,")
            .and_then(|d| d.strip_suffix(");\n"))
            .unwrap(),
    )
    .unwrap();
    let names: std::collections::HashMap<&str, &str> = towns
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t[1].as_str().unwrap(), t[0].as_str().unwrap()))
        .collect();
    let mut texts = std::collections::BTreeMap::new();
    for year in std::fs::read_dir(out.join("search/t")).unwrap() {
        for file in std::fs::read_dir(year.unwrap().path()).unwrap() {
            let js = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let args = js
                .strip_prefix("nianbaoSearch.text(")
                .and_then(|t| t.strip_suffix(");\n"))
                .unwrap();
            let [key, text]: [Value; 2] = serde_json::from_str(&format!("[{args}]")).unwrap();
            let key = key.as_str().unwrap().to_string();
            let (year, slug) = key.split_once('/').unwrap();
            let mut all = format!("{region}{}{year}年度政府信息公开工作年度报告 ", names[slug]);
            for h in text["h"].as_array().unwrap() {
                all.push_str(h.as_str().unwrap());
                all.push(' ');
            }
            all.push_str(text["b"].as_str().unwrap());
            // The rest parts, in order, each from its place in the body.
            let parts = text["r"].as_array().map_or(0, Vec::len);
            for k in 0..parts {
                let rest =
                    std::fs::read_to_string(out.join(format!("search/r/{key}/{k}.js"))).unwrap();
                let [_, part, rest]: [Value; 3] = serde_json::from_str(&format!(
                    "[{}]",
                    rest.strip_prefix("nianbaoSearch.rest(")
                        .and_then(|t| t.strip_suffix(");\n"))
                        .unwrap()
                ))
                .unwrap();
                assert_eq!(part, k, "{key}");
                all.push_str(rest.as_str().unwrap());
            }
            all.push(' ');
            all.push_str(&labels_of(out, &text));
            texts.insert(key, search::normalize(&all));
        }
    }
    texts
}

/// Check `queries` on the site `out`; returns each query's first hit and the largest download.
fn check_queries(out: &Path, queries: &[(&str, Expect)]) -> (Vec<Option<String>>, u64) {
    let texts = report_texts(out);
    let list: Vec<(&str, &str, &str)> = queries.iter().map(|(q, _)| (*q, "", "")).collect();
    let answers = searches(out, &list);
    let mut tops = Vec::new();
    let mut max_bytes = 0;
    for ((q, expect), answer) in queries.iter().zip(&answers) {
        let hits: Vec<String> = urls(answer)
            .iter()
            .map(|u| u.trim_end_matches("/index.html").to_string())
            .collect();
        max_bytes = max_bytes.max(query_bytes(out, answer));
        let year_of = |h: &String| h.split('/').next().unwrap().parse::<u16>().unwrap();
        let has = |h: &String, phrase: &str| texts[h].contains(&search::normalize(phrase));
        match *expect {
            Expect::Top(key) => {
                assert_eq!(hits.first().map(String::as_str), Some(key), "{q}: {hits:?}")
            }
            Expect::Year(year, n) => {
                assert!(hits.len() >= n, "{q}: {hits:?}");
                assert!(
                    hits[..n].iter().all(|h| year_of(h) == year),
                    "{q}: {hits:?}"
                );
            }
            Expect::Township(slug, n) => {
                assert!(hits.len() >= n, "{q}: {hits:?}");
                assert!(
                    hits[..n].iter().all(|h| h.ends_with(&format!("/{slug}"))),
                    "{q}: {hits:?}"
                );
            }
            Expect::Phrase(phrase) => {
                let relevant = texts.keys().filter(|k| has(k, phrase)).count();
                assert!(relevant > 0, "{q}: the site has {phrase}");
                // A full page; or, where the budget of bytes ran out first (the search says it
                // is not complete: 至少 N and 显示更多), at most one hit short.
                let full = relevant.min(10);
                assert!(
                    hits.len() == full || (hits.len() + 1 == full && answer["complete"] == false),
                    "{q}: {relevant} reports have {phrase}: {hits:?}"
                );
                let with: Vec<bool> = hits.iter().map(|h| has(h, phrase)).collect();
                assert!(with[0], "{q}: the first hit has {phrase}: {hits:?}");
                assert!(
                    with.windows(2).all(|w| w[0] || !w[1]),
                    "{q}: {phrase} first: {hits:?}"
                );
                let count = with.iter().filter(|w| **w).count();
                assert!(
                    4 * count >= 3 * hits.len(),
                    "{q}: {count} of {hits:?} have {phrase}"
                );
            }
            Expect::Some(phrase) => {
                assert!(
                    hits.iter().any(|h| has(h, phrase)),
                    "{q}: none has {phrase}: {hits:?}"
                );
            }
            Expect::Nothing => assert!(hits.is_empty(), "{q}: {hits:?}"),
        }
        if !hits.is_empty() {
            let snippet = answer["results"][0]["snippet"].as_str().unwrap();
            assert!(
                snippet.contains("<mark>"),
                "{q}: the first hit marks what matched: {snippet}"
            );
        }
        tops.push(hits.first().cloned());
    }
    (tops, max_bytes)
}

#[test]
fn citizen_queries_find_their_reports_on_the_demo_within_the_download_budget() {
    assert!(DEMO_QUERIES.len() + PACK_QUERIES.len() >= 30);
    let (tops, max_bytes) = check_queries(demo_site(), DEMO_QUERIES);
    println!("largest download of a query on the demo site, page included: {max_bytes} bytes");
    assert!(
        max_bytes <= MAX_QUERY_BYTES,
        "a query downloads at most {MAX_QUERY_BYTES} bytes: {max_bytes}"
    );
    // General queries (a topic, no township) do not all open with the same township.
    let townships: std::collections::BTreeSet<&str> = DEMO_QUERIES
        .iter()
        .zip(&tops)
        .filter(|((_, e), _)| matches!(e, Expect::Phrase(_)))
        .filter_map(|(_, top)| top.as_deref())
        .filter_map(|top| top.split('/').nth(1))
        .collect();
    assert!(townships.len() >= 3, "{townships:?}");
}

#[test]
fn citizen_queries_find_the_content_pack_report() {
    check_queries(content_pack(), PACK_QUERIES);
}

/// The search page loads its files relatively (it works from disk and under a sub-path); a report
/// page's header box is a link that leaves the year, so it searches the live site under
/// `base_url`: the same bytes then work in the year's offline archive, which has no search.
#[test]
fn the_search_page_links_relatively_and_a_report_page_searches_the_live_site() {
    let out = content_pack();
    let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(page.contains(r#"<script src="../static/search.js"></script>"#));
    assert!(page.contains(r#"data-index="../search/""#));
    assert!(page.contains(r#"<label for="search-q">"#));
    assert!(page.contains(r#"aria-live="polite""#));
    let report = std::fs::read_to_string(out.join("2018/beijinggang/index.html")).unwrap();
    assert!(
        report.contains(r#"action="https://www.huarong.gov.cn/nianbao/search/index.html""#),
        "a report page's search box must search the live site"
    );
    let year = std::fs::read_to_string(out.join("2018/index.html")).unwrap();
    assert!(year.contains(r#"action="../search/index.html""#));
    assert!(out.join("static/search.js").is_file());
}

/// A generated county of 40 townships × 10 years (400 reports), built once.
fn generated_county() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let corpus = tmp.path().join("corpus");
        let status = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--example", "gen_corpus", "--"])
            .args(["--townships", "40", "--years", "10", "--out"])
            .arg(&corpus)
            .current_dir(repo_root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "gen_corpus failed");
        let out = tmp.path().join("out");
        let (code, _, err) = run_in(&corpus, "build", &["--output", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        (tmp, out)
    })
    .1
}

#[test]
fn every_query_shape_of_the_benchmark_stays_within_the_download_bound_on_full_length_reports() {
    let out = generated_county();
    // Full-length reports: most bodies go on past the first part (a rest file).
    let texts: Vec<PathBuf> = walkdir::WalkDir::new(out.join("search/t"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let long = (texts.iter())
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("\"r\":"))
        .count();
    assert!(
        texts.len() >= 400 && 10 * long >= 9 * texts.len(),
        "{long} of {}",
        texts.len()
    );
    // A common word, a topic, a word of the thesaurus, a phrase with a word between its parts,
    // a long question, a phrase whose words stand apart, a long phrase.
    let queries = [
        "信息公开",
        "行政复议",
        "政务新媒体",
        "存在的问题",
        "怎么申请政府信息公开",
        "未收到申请",
        "依申请公开",
        "政府信息公开申请",
    ];
    let list: Vec<(&str, &str, &str)> = queries.iter().map(|q| (*q, "", "")).collect();
    let mut largest = (0, "");
    for (q, answer) in queries.iter().zip(searches(out, &list)) {
        let bytes = query_bytes(out, &answer);
        largest = largest.max((bytes, *q));
        assert_eq!(urls(&answer).len(), 10, "{q}: a full first page");
        assert!(
            bytes <= MAX_QUERY_BYTES,
            "{q}: {bytes} bytes, page included"
        );
    }
    println!("largest query on 400 full-length reports, page included: {largest:?}");
}

/// Common words: in the title, the headings or the table labels of every generated report.
const COMMON: [&str; 3] = ["信息公开", "政府信息公开", "申请"];

#[test]
fn a_token_in_every_report_has_a_posting_of_a_few_characters() {
    let out = generated_county();
    let bits = search::shard_bits(400);
    for token in ["信息", "公开", "报告"] {
        let shard = search::shard_of(token, bits);
        let js = std::fs::read_to_string(out.join(format!("search/s-{shard}.js"))).unwrap();
        let posting = js
            .split(&format!("\"{token}\":\""))
            .nth(1)
            .and_then(|p| p.split('"').next())
            .unwrap_or_else(|| panic!("{token} is in shard {shard}"));
        // One character per report before runs: 400.
        assert!(posting.len() <= 40, "{token}: {} characters", posting.len());
    }
    // And the search finds all of them from those postings: a first page says it knows at
    // least its hits; asked for all, the count is exact.
    let requests = json!({"searches": [{"q": "信息公开"}, {"q": "信息公开", "want": 400}]});
    let answers = harness(out, &requests)["searches"].clone();
    let first = &answers[0];
    assert_eq!(first["complete"], false);
    assert!(first["total"].as_u64().unwrap() >= 10, "{first}");
    assert!(first["total"].as_u64().unwrap() < 400, "{first}");
    assert_eq!(answers[1]["complete"], true);
    assert_eq!(answers[1]["total"], 400);
    assert_eq!(urls(&answers[1]).len(), 400);
    assert_eq!(
        urls(first),
        urls(&answers[1])[..10],
        "the first page is the top of the full ranking"
    );
}

#[test]
fn a_common_word_downloads_little_and_the_first_part_of_a_text_decides_as_the_whole_would() {
    let out = generated_county();
    let list: Vec<Value> = COMMON
        .iter()
        .chain(&["依申请公开 2020", "存在的主要问题", "镇", "行政复议"])
        .map(|q| json!({"q": q, "want": 10}))
        .collect();
    let requests = json!({ "searches": list });
    let answers = harness(out, &requests)["searches"]
        .as_array()
        .unwrap()
        .clone();
    for answer in &answers[..COMMON.len()] {
        let files = answer["loaded"].as_array().unwrap();
        let bytes: u64 = files.iter().map(|f| f[1].as_u64().unwrap()).sum();
        assert_eq!(urls(answer).len(), 10, "{answer}");
        // Before: 13 KB of folding table, every township, and ten whole texts (~11 KB each),
        // 127 KB; the target at 20,000 reports is 100 KB.
        assert!(
            bytes <= 100_000,
            "{}: {bytes} bytes: {files:?}",
            answer["q"]
        );
        assert!(
            !files.iter().any(|f| f[0] == "towns.js"),
            "no list of all townships without a township filter: {files:?}"
        );
    }
    // Without a budget of bytes (which makes pages it cuts short a best guess), the same
    // search.js and one made to load every report's whole body before checking it.
    let search_js =
        std::fs::read_to_string(repo_root().join("themes/default/static/search.js")).unwrap();
    let budget = "var TEXT_BYTES = 26 * 1024;";
    assert_eq!(search_js.matches(budget).count(), 1);
    let search_js = search_js.replace(budget, "var TEXT_BYTES = 1e9;");
    // The rest is skipped where the sections that go on in it cannot give more (restKey()):
    // made to load every rest instead.
    let sure = "if (rest.key && byRank(rest.key, c) < 0) rest.key = c;";
    assert_eq!(search_js.matches(sure).count(), 1);
    let tmp = tempfile::tempdir().unwrap();
    let (unbounded, whole) = (tmp.path().join("a.js"), tmp.path().join("b.js"));
    std::fs::write(&unbounded, &search_js).unwrap();
    std::fs::write(
        &whole,
        search_js.replace(
            sure,
            "rest = { key: { years: 1e9, covered: 1e9, tier: 0, weight: 0 }, parts: pendingParts(text) };",
        ),
    )
    .unwrap();
    let answers = harness_with(&unbounded, out, &requests)["searches"]
        .as_array()
        .unwrap()
        .clone();
    let wholes = harness_with(&whole, out, &requests)["searches"]
        .as_array()
        .unwrap()
        .clone();
    let mut rests = 0;
    let keys = |a: &Value| -> Vec<(String, i64, i64, i64)> {
        (a["results"].as_array().unwrap().iter())
            .map(|r| {
                let n = |k: &str| r[k].as_i64().unwrap();
                (r["url"].to_string(), n("covered"), n("weight"), n("tier"))
            })
            .collect()
    };
    for (answer, whole) in answers.iter().zip(&wholes) {
        assert_eq!(keys(answer), keys(whole), "{}", answer["q"]);
        let loaded = |a: &Value| a["loaded"].as_array().unwrap().len();
        rests += loaded(whole) - loaded(answer);
    }
    assert!(rests >= 20, "the common words skip most rests: {rests}");
}

#[test]
fn a_township_filter_loads_the_township_list_and_keeps_to_it() {
    let out = generated_county();
    let towns = std::fs::read_to_string(out.join("search/w-1.js")).unwrap();
    let slug = towns
        .split("\",\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let answer = &searches(out, &[("信息公开", "", slug)])[0];
    assert_eq!(answer["total"], 10, "ten years of one township: {answer}");
    assert!(
        urls(answer)
            .iter()
            .all(|u| u.contains(&format!("/{slug}/"))),
        "{answer}"
    );
    let files = answer["loaded"].as_array().unwrap();
    assert!(files.iter().any(|f| f[0] == "towns.js"), "{files:?}");
}

/// Five townships' 2020 reports that name 政府信息公开申请 in different places.
fn evidence_site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", common::SITE_TOML);
    let towns = [
        ("a", "甲镇"),
        ("b", "乙乡"),
        ("c", "丙镇"),
        ("d", "丁乡"),
        ("e", "戊镇"),
    ];
    let registry: String = towns
        .iter()
        .map(|(slug, name)| format!("- slug: {slug}\n  name: {name}\n  kind: 镇\n"))
        .collect();
    f.write("content/townships.yaml", &registry);
    let bodies = [
        // The report's list of its parts.
        "## 一、总体情况\n\n本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、\
         行政复议行政诉讼情况等四部分组成。\n\n全年工作正常。\n",
        // A heading with nothing under it.
        "## 一、总体情况\n\n全年工作正常。\n\n## 三、收到和处理政府信息公开申请情况\n\n## 四、其他\n\n无。\n",
        // A table row whose figure is not filled in.
        "全年工作正常。\n\n| 项目 | 数量 |\n|---|---|\n| 收到政府信息公开申请 | 未填报 |\n",
        // A passage that says it, in the second section.
        "## 一、总体情况\n\n全年工作正常。\n\n## 二、依申请公开\n\n本年度未收到政府信息公开申请。\n",
        // A heading with something under it.
        "## 三、收到和处理政府信息公开申请情况\n\n本年度无。\n",
    ];
    for ((slug, _), body) in towns.iter().zip(bodies) {
        f.write(
            &format!("content/2020/{slug}/report.md"),
            &format!("---\npublished: 2021-01-20\n---\n{body}"),
        );
    }
    f
}

#[test]
fn a_passage_outranks_a_heading_and_a_heading_outranks_a_list_of_parts_an_empty_section_or_a_blank_row()
 {
    let f = evidence_site();
    let (_tmp, out) = build(f.root());
    let answer = &searches(&out, &[("政府信息公开申请", "", "")])[0];
    let hits = urls(answer);
    assert_eq!(hits.len(), 5, "{answer}");
    assert_eq!(answer["total"], 5);
    assert_eq!(answer["complete"], true);
    assert_eq!(hits[0], "2020/d/index.html", "the passage first: {hits:?}");
    assert_eq!(hits[1], "2020/e/index.html", "then the heading: {hits:?}");
    let weak: std::collections::BTreeSet<&str> = hits[2..].iter().map(String::as_str).collect();
    assert_eq!(
        weak,
        [
            "2020/a/index.html",
            "2020/b/index.html",
            "2020/c/index.html"
        ]
        .into(),
        "the weak evidence last"
    );
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results[0]["anchor"], "sec-2", "the section of the passage");
    assert!(
        (results[0]["snippet"].as_str().unwrap()).contains("未收到<mark>政府信息公开申请</mark>"),
        "{}",
        results[0]
    );
    assert_eq!(results[1]["anchor"], "sec-1", "the heading's section");
    let tiers: Vec<i64> = scores(answer).iter().map(|s| s.1).collect();
    assert_eq!(tiers, [5, 3, 1, 1, 1], "passage, heading, weak parts");
    // The anchors are the report page's own.
    let page = std::fs::read_to_string(out.join("2020/d/index.html")).unwrap();
    assert!(page.contains("id=\"sec-2\""), "the page has the anchor");
}

/// Reports in other words than the query's: the thesaurus, township and year pages, questions.
fn wording_site() -> Fixture {
    let f = Fixture::new();
    f.edit(
        "content/2020/beta/report.md",
        "正文。",
        "通过官方微信公众号发布信息12条。",
    );
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "本机关政务新媒体运行正常，全年政府資訊公開工作有序。",
    );
    f
}

#[test]
fn the_thesaurus_finds_the_reports_own_words_and_can_be_switched_off() {
    let f = wording_site();
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [
        {"q": "政务新媒体"},
        {"q": "政务新媒体", "syn": false},
        {"q": "微信"},
        {"q": "資訊公開"},
        {"q": "资讯公开", "syn": false},
    ]});
    let answers = harness(&out, &requests)["searches"].clone();
    assert_eq!(
        urls(&answers[0]),
        ["2018/alpha/index.html", "2020/beta/index.html"],
        "the exact word first, then 微信公众号: {}",
        answers[0]
    );
    assert!(
        (answers[0]["also"].as_array().unwrap()).contains(&json!("微信")),
        "the page names the words it also looked for: {}",
        answers[0]["also"]
    );
    assert_eq!(answers[0]["results"][1]["also"], json!(["微信公众号"]));
    assert!(
        (answers[0]["results"][1]["snippet"].as_str().unwrap()).contains("<mark>微信公众号</mark>")
    );
    assert_eq!(urls(&answers[1]), ["2018/alpha/index.html"], "switched off");
    assert_eq!(answers[1]["also"], json!([]));
    // A covered word finds the wider one (not the other covered words).
    assert_eq!(
        urls(&answers[2]),
        ["2020/beta/index.html", "2018/alpha/index.html"]
    );
    // 資訊 folds to 资讯, which the thesaurus pairs with 信息: the traditional report first,
    // then the other report, whose title says 信息公开.
    let hits = urls(&answers[3]);
    assert_eq!(
        hits,
        ["2018/alpha/index.html", "2020/beta/index.html"],
        "{}",
        answers[3]
    );
    assert_eq!(answers[3]["results"][0]["also"], json!([]));
    assert_eq!(answers[3]["results"][1]["also"], json!(["信息公开"]));
    assert_eq!(urls(&answers[4]), ["2018/alpha/index.html"]);
    // A simplified query over a text in traditional characters: the text brings the folding
    // pairs of its own characters (`F`), the whole table (fold.js) is not loaded.
    let loaded = answers[4]["loaded"].to_string();
    assert!(!loaded.contains("\"fold.js\""), "{loaded}");
    let snippet = answers[4]["results"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>資訊公開</mark>"), "{snippet}");
}

#[test]
fn the_thesaurus_goes_two_steps_from_taiwan_wording_to_the_reports_own_words() {
    let f = Fixture::new();
    f.edit(
        "content/2020/beta/report.md",
        "正文。",
        "及时更新信息公开指南，方便群众查阅。",
    );
    let (_tmp, out) = build(f.root());
    // 資訊 → 信息 (政府信息公开指南), then 政府信息公开指南 → 信息公开指南.
    let answer = &searches(&out, &[("政府資訊公開指南", "", "")])[0];
    assert_eq!(urls(answer), ["2020/beta/index.html"], "{answer}");
    assert_eq!(answer["results"][0]["also"], json!(["信息公开指南"]));
    let also = answer["also"].as_array().unwrap();
    assert!(also.contains(&json!("政府信息公开指南")), "{also:?}");
}

#[test]
fn a_year_in_the_query_means_the_report_s_year_not_a_mention_of_it() {
    let f = Fixture::new();
    // The 2020 report has the words verbatim and names 2018; the 2018 report has one of them.
    f.edit(
        "content/2020/beta/report.md",
        "正文。",
        "对照2018年的情况，本年度继续发布工作动态。",
    );
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "本年度在网站发布工作信息。",
    );
    let (_tmp, out) = build(f.root());
    let answers = searches(
        &out,
        &[
            ("工作动态 2018", "", ""),
            ("工作动态 2016", "", ""),
            ("工作动态", "", ""),
        ],
    );
    // The 2018 report first (its title names 2018), then the one that only mentions 2018.
    assert_eq!(
        urls(&answers[0]),
        ["2018/alpha/index.html", "2020/beta/index.html"],
        "{}",
        answers[0]
    );
    assert!(
        (answers[0]["results"][1]["snippet"].as_str().unwrap()).contains("<mark>2018</mark>"),
        "the mention is still marked: {}",
        answers[0]["results"][1]
    );
    // A year the site does not have is a word like any other; without a year, the words decide.
    assert_eq!(urls(&answers[1])[0], "2020/beta/index.html");
    assert_eq!(urls(&answers[2])[0], "2020/beta/index.html");
}

#[test]
fn a_township_or_year_finds_its_page_and_a_question_points_to_the_page_that_answers_it() {
    let f = wording_site();
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [
        {"q": "甲镇"},
        {"q": "乙乡 2020年"},
        {"q": "哪个乡镇收到的申请最多"},
        {"q": "申请最多的乡镇"},
        {"q": "有没有按时发布年报"},
        {"q": "怎么申请政府信息公开"},
        {"q": "政务公开"},
    ]});
    let answers = harness(&out, &requests)["searches"].clone();
    let pages = |a: &Value| -> Vec<String> {
        (a["pages"].as_array().unwrap().iter())
            .map(|p| p["url"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(pages(&answers[0]), ["townships/alpha/index.html"]);
    assert_eq!(urls(&answers[0])[0], "2018/alpha/index.html");
    assert_eq!(
        pages(&answers[1]),
        ["2020/index.html", "townships/beta/index.html"]
    );
    for page in pages(&answers[0]).iter().chain(&pages(&answers[1])) {
        assert!(out.join(page).is_file(), "{page} exists");
    }
    let kind = |a: &Value| a["answer"]["kind"].as_str().map(str::to_string);
    assert_eq!(kind(&answers[2]).as_deref(), Some("compare"));
    assert_eq!(kind(&answers[3]).as_deref(), Some("compare"));
    assert_eq!(kind(&answers[4]).as_deref(), Some("audit"));
    assert_eq!(kind(&answers[5]).as_deref(), Some("guide"));
    assert_eq!(answers[6]["answer"], Value::Null, "not a question");
    assert_eq!(answers[0]["answer"], Value::Null);
    // A question comparing townships searches its topic, not the township or the comparison
    // (which the answer box's table answers).
    assert_eq!(answers[2]["terms"], json!(["收到的申请"]));
    assert_eq!(answers[3]["terms"], json!(["申请"]));
    assert_eq!(answers[6]["terms"], json!(["政务公开"]));
    let compare = answers[2]["answer"]["links"][0][1].as_str().unwrap();
    assert_eq!(compare, "2020/index.html#year-compare-title");
    let year = std::fs::read_to_string(out.join("2020/index.html")).unwrap();
    assert!(
        year.contains("id=\"year-compare-title\""),
        "the anchor exists"
    );
    let audit = answers[4]["answer"]["links"][0][1].as_str().unwrap();
    assert!(out.join(audit).is_file(), "{audit}");
}

#[test]
fn more_results_extend_the_first_page_without_reordering_it() {
    let out = generated_county();
    let queries = ["信息公开", "依申请公开", "存在的主要问题", "行政复议", "镇"];
    let list: Vec<Value> = (queries.iter())
        .flat_map(|q| [10, 20, 30].map(|want| json!({"q": q, "want": want})))
        .collect();
    let answers = harness(out, &json!({ "searches": list }))["searches"].clone();
    for chunk in answers.as_array().unwrap().chunks(3) {
        let (ten, twenty, thirty) = (urls(&chunk[0]), urls(&chunk[1]), urls(&chunk[2]));
        assert_eq!(ten.len(), 10, "{}", chunk[0]["q"]);
        assert_eq!(ten[..], twenty[..10], "{}", chunk[0]["q"]);
        assert_eq!(twenty[..], thirty[..twenty.len()], "{}", chunk[0]["q"]);
        // The count never says more than is known.
        for a in chunk {
            let total = a["total"].as_u64().unwrap();
            assert!(total >= urls(a).len() as u64, "{a}");
        }
    }
}

#[test]
fn the_published_search_script_is_the_source_minified_and_answers_the_same() {
    let f = wording_site();
    let (_tmp, out) = build(f.root());
    let source = repo_root().join("themes/default/static/search.js");
    let published = out.join("static/search.js");
    let (a, b) = (
        std::fs::metadata(&source).unwrap().len(),
        std::fs::metadata(&published).unwrap().len(),
    );
    assert!(b * 10 < a * 6, "published {b} bytes of {a}");
    let requests = json!({"searches": [
        {"q": "政务新媒体"}, {"q": "资讯公开"}, {"q": "甲镇"}, {"q": "哪个乡镇收到的申请最多"},
        {"q": "依申請公開"}, {"q": "正文"}
    ]});
    let answers = harness_with(&source, &out, &requests);
    assert_eq!(harness_with(&published, &out, &requests), answers);
    assert!(!urls(&answers["searches"][0]).is_empty());
}

#[test]
fn a_full_township_name_shows_that_township_s_page_only() {
    let f = Fixture::empty();
    f.write("site.toml", common::SITE_TOML);
    f.write(
        "content/townships.yaml",
        "- slug: tz\n  name: 太平镇\n  kind: 镇\n- slug: tx\n  name: 太平乡\n  kind: 乡\n",
    );
    for slug in ["tz", "tx"] {
        f.write(
            &format!("content/2020/{slug}/report.md"),
            "---\npublished: 2021-01-20\n---\n全年工作正常。\n",
        );
    }
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [{"q": "太平镇"}, {"q": "太平"}]});
    let answers = harness(&out, &requests)["searches"].clone();
    let pages = |a: &Value| -> Vec<String> {
        (a["pages"].as_array().unwrap().iter())
            .map(|p| p["url"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(pages(&answers[0]), ["townships/tz/index.html"]);
    assert_eq!(
        pages(&answers[1]),
        ["townships/tz/index.html", "townships/tx/index.html"]
    );
}

/// Five townships' 2020 reports with the words of 下一步改进措施 in different places.
fn sections_site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", common::SITE_TOML);
    let towns = ["a", "b", "c", "d", "e"];
    let registry: String = (towns.iter().zip(["甲镇", "乙乡", "丙镇", "丁乡", "戊镇"]))
        .map(|(slug, name)| format!("- slug: {slug}\n  name: {name}\n  kind: 镇\n"))
        .collect();
    f.write("content/townships.yaml", &registry);
    let filler =
        "全镇各村的公开栏按月更新，群众来访登记在册，档案分类整理归档，工作人员定期参加培训。";
    let bodies = [
        // The parts apart (further than a chain's slack), near each other, in one section.
        "## 一、总体情况\n\n全年工作正常。\n\n## 二、今后打算\n\n下一步，我镇将着力改进公开方式，完善相关措施。\n"
            .to_string(),
        // Each part in a section of its own.
        "## 一、下一步\n\n另行安排。\n\n## 二、改进\n\n已经落实。\n\n## 三、措施\n\n见附件。\n"
            .to_string(),
        // The phrase itself.
        "## 一、总体情况\n\n本节列出下一步改进措施。\n".to_string(),
        // The parts in one section, but far apart.
        format!("## 一、总体情况\n\n下一步安排已定。{filler}{filler}改进公开方式，完善相关措施。\n"),
        // None of it; a number and a word apart.
        "## 一、总体情况\n\n全年工作正常，办理12345政务服务热线工单3件。\n".to_string(),
    ];
    for (slug, body) in towns.iter().zip(bodies) {
        f.write(
            &format!("content/2020/{slug}/report.md"),
            &format!("---\npublished: 2021-01-20\n---\n{body}"),
        );
    }
    f
}

#[test]
fn a_long_query_finds_its_parts_near_each_other_in_one_section_below_the_phrase() {
    let f = sections_site();
    let (_tmp, out) = build(f.root());
    let answer = &searches(&out, &[("下一步改进措施", "", "")])[0];
    assert_eq!(
        urls(answer),
        ["2020/c/index.html", "2020/a/index.html"],
        "the phrase, then its parts near each other in one section: {answer}"
    );
    assert_eq!(answer["complete"], true);
    let tiers: Vec<i64> = scores(answer).iter().map(|s| s.1).collect();
    assert_eq!(tiers, [5, 0], "the parts apart rank below any phrase");
    let near = &answer["results"][1];
    assert_eq!(near["anchor"], "sec-2", "the section that has the parts");
    let snippet = near["snippet"].as_str().unwrap();
    for part in [
        "<mark>下一步</mark>",
        "<mark>改进</mark>",
        "<mark>措施</mark>",
    ] {
        assert!(snippet.contains(part), "{part}: {snippet}");
    }
    // The index knows the parts of b are in three sections: its text is not even loaded.
    let loaded = answer["loaded"].to_string();
    assert!(!loaded.contains("t/2020/b.js"), "{loaded}");
    assert!(!loaded.contains("t/2020/e.js"), "{loaded}");
    assert!(
        loaded.contains("t/2020/d.js"),
        "d has them in one section: {loaded}"
    );
    // A number and a Chinese word are two words however short the term: found apart too.
    let answer = &searches(&out, &[("12345热线", "", "")])[0];
    assert_eq!(urls(answer), ["2020/e/index.html"], "{answer}");
}

#[test]
fn a_report_s_bound_is_the_best_of_one_section() {
    let f = sections_site();
    let (_tmp, out) = build(f.root());
    // 改进 and 措施 each: every report that has the word, in whatever section.
    let answers = searches(&out, &[("改进", "", ""), ("改进 措施", "", "")]);
    assert_eq!(urls(&answers[0]).len(), 4, "{}", answers[0]);
    // Two terms may be in two sections (each term's chain is within one).
    assert_eq!(urls(&answers[1]).len(), 4, "{}", answers[1]);
    // The postings of a rare token carry its sections (`~`, then per report its field and
    // slots): 措施 is in the third section of b (slot bit 1 + 3) and the body of the others.
    let docs = std::fs::read_to_string(out.join("search/docs.js")).unwrap();
    let bits: u32 = docs.split("\"bits\":").nth(1).unwrap()[..2]
        .trim_end_matches(',')
        .parse()
        .unwrap();
    let answer = harness(&out, &json!({ "shardOf": [["措施", bits]] }));
    let shard = answer["shardOf"][0].as_u64().unwrap();
    let js = std::fs::read_to_string(out.join(format!("search/s-{shard}.js"))).unwrap();
    let posting = js
        .split("\"措施\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(posting.starts_with('~'), "{posting}");
}

#[test]
fn a_check_loads_only_the_rest_part_whose_sections_can_hold_the_match() {
    // One long report: twelve sections of filler, a rare phrase in the tenth only.
    let f = Fixture::empty();
    f.write("site.toml", common::SITE_TOML);
    f.write(
        "content/townships.yaml",
        "- slug: a\n  name: 甲镇\n  kind: 镇\n- slug: b\n  name: 乙乡\n  kind: 镇\n",
    );
    let filler = "本镇按照条例要求做好政府信息公开工作，及时更新公开栏和网站栏目，群众满意度较高。";
    let mut body = String::new();
    for n in 1..=12 {
        body.push_str(&format!("## 第{n}部分\n\n"));
        for _ in 0..12 {
            body.push_str(filler);
        }
        if n == 10 {
            body.push_str("全年办理行政处罚案件公开事项三件。");
        }
        body.push_str("\n\n");
    }
    f.write(
        "content/2020/a/report.md",
        &format!("---\npublished: 2021-01-20\n---\n{body}"),
    );
    f.write(
        "content/2020/b/report.md",
        "---\npublished: 2021-01-20\n---\n## 一、总体情况\n\n全年工作正常。\n",
    );
    let (_tmp, out) = build(f.root());
    let parts = std::fs::read_dir(out.join("search/r/2020/a"))
        .unwrap()
        .count();
    assert!(parts >= 3, "a long body is cut into parts: {parts}");
    let answer = &searches(&out, &[("行政处罚案件", "", "")])[0];
    assert_eq!(urls(answer), ["2020/a/index.html"], "{answer}");
    assert_eq!(answer["complete"], true);
    assert!(
        answer["results"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>行政处罚案件</mark>"),
        "{answer}"
    );
    assert_eq!(answer["results"][0]["anchor"], "sec-10");
    let rests: Vec<(&str, u64)> = (answer["loaded"].as_array().unwrap().iter())
        .filter_map(|f| {
            Some((
                f[0].as_str().filter(|p| p.starts_with("r/"))?,
                f[1].as_u64()?,
            ))
        })
        .collect();
    assert_eq!(
        rests.len(),
        1,
        "only the part with the tenth section: {rests:?}"
    );
    let whole: u64 = (std::fs::read_dir(out.join("search/r/2020/a")).unwrap())
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert!(
        rests[0].1 * 2 < whole,
        "less than half of the rest: {rests:?} of {whole} bytes"
    );
}

/// Reports that say in their own words what readers ask in theirs, and a street office.
fn readers_site() -> Fixture {
    let f = Fixture::new();
    f.edit(
        "content/townships.yaml",
        "  order: 2\n",
        "  order: 2\n- slug: gamma\n  name: 丙街道\n  kind: 街道\n  order: 3\n",
    );
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "公开工作与群众需求还存在差距。全年未收到依申请公开申请。群众可当面或以信函提出申请。",
    );
    f.edit(
        "content/2020/beta/report.md",
        "正文。",
        "工作人员参加政务公开业务培训。依申请公开均在法定期限内答复。全年收到依申请公开申请2件。",
    );
    f.edit(
        "content/2020/beta/stats.yaml",
        "values:\n",
        "values:\n  art20_6.penalty.decisions: 0\n",
    );
    f.write(
        "content/2020/gamma/report.md",
        "---\npublished: 2021-01-20\n---\n全年收到依申请公开申请3件。\n",
    );
    f
}

#[test]
fn a_reader_s_word_finds_the_reports_words_and_question_words_ask_for_the_figure() {
    let f = readers_site();
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [
        {"q": "工作中的短板"},
        {"q": "工作中的短板", "syn": false},
        {"q": "组织培训 几次"},
        {"q": "申请信息公开要多久"},
        {"q": "行政处罚决定数量"},
        {"q": "行政处罚决定数量", "syn": false},
        {"q": "怎样提交信息公开申请"},
    ]});
    let answers = harness(&out, &requests)["searches"].clone();
    // 短板 ~ 不足 差距: the reports' word on its own, the rest of the reader's phrase dropped.
    assert_eq!(
        urls(&answers[0]),
        ["2018/alpha/index.html"],
        "{}",
        answers[0]
    );
    assert_eq!(answers[0]["results"][0]["also"], json!(["差距"]));
    assert!(
        (answers[0]["also"].as_array().unwrap()).contains(&json!("不足")),
        "shown to the reader: {}",
        answers[0]["also"]
    );
    assert_eq!(urls(&answers[1]), Vec::<String>::new(), "switched off");
    // 几次 asks for a count that the report gives in its figures: dropped, like 多少.
    assert_eq!(answers[2]["terms"], json!(["组织培训"]));
    assert_eq!(
        urls(&answers[2]),
        ["2020/beta/index.html"],
        "{}",
        answers[2]
    );
    assert_eq!(answers[2]["results"][0]["also"], json!(["培训"]));
    // 要多久 asks for a time limit: searched as 时限 (and the thesaurus' 法定期限).
    assert_eq!(answers[3]["terms"], json!(["申请信息公开", "时限"]));
    assert_eq!(
        urls(&answers[3])[0],
        "2020/beta/index.html",
        "{}",
        answers[3]
    );
    assert!(
        (answers[3]["results"][0]["snippet"].as_str().unwrap()).contains("<mark>法定期限</mark>"),
        "{}",
        answers[3]["results"][0]
    );
    // 数量 names the figure: the row's label finds the report whose table reports it (0
    // counts; the others leave the row blank), with or without the thesaurus.
    for a in [&answers[4], &answers[5]] {
        assert_eq!(a["terms"], json!(["行政处罚决定"]));
        assert_eq!(urls(a), ["2020/beta/index.html"], "{a}");
        assert_eq!(a["results"][0]["anchor"], "stats-title", "{a}");
    }
    // 怎样 asks for the ways to apply: searched as 申请方式, which covers 当面, 信函 ….
    assert_eq!(answers[6]["terms"], json!(["申请方式", "信息公开申请"]));
    assert_eq!(
        urls(&answers[6])[0],
        "2018/alpha/index.html",
        "{}",
        answers[6]
    );
    let also = answers[6]["results"][0]["also"].to_string();
    assert!(also.contains("当面") || also.contains("信函"), "{also}");
}

#[test]
fn a_question_comparing_townships_ranks_its_kind_and_stated_figures_first() {
    let f = readers_site();
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [
        {"q": "哪个街道收到的申请最多"},
        {"q": "哪个乡镇收到的申请最多"},
        {"q": "收到的申请"},
    ]});
    let answers = harness(&out, &requests)["searches"].clone();
    let tier = |a: &Value, url: &str| -> i64 {
        (a["results"].as_array().unwrap().iter())
            .find(|r| r["url"] == url)
            .and_then(|r| r["tier"].as_i64())
            .unwrap_or_else(|| panic!("{url} in {a}"))
    };
    let (street, township, village) = (
        "2020/gamma/index.html",
        "2020/beta/index.html",
        "2018/alpha/index.html",
    );
    // 哪个街道: the street office with a figure, then the 乡 with one, then the 镇 with none.
    assert_eq!(
        urls(&answers[0]),
        [street, township, village],
        "{}",
        answers[0]
    );
    assert!(tier(&answers[0], street) > tier(&answers[0], township));
    assert!(tier(&answers[0], township) > tier(&answers[0], village));
    // 哪个乡镇 names every kind: only the stated figure counts.
    assert_eq!(tier(&answers[1], street), tier(&answers[1], township));
    assert!(tier(&answers[1], township) > tier(&answers[1], village));
    assert_eq!(urls(&answers[1])[2], village);
    // Not a question: no such order.
    assert_eq!(tier(&answers[2], street), tier(&answers[2], village));
}

#[test]
fn a_search_that_found_nothing_yet_does_not_say_at_least_zero() {
    let f = wording_site();
    let (_tmp, out) = build(f.root());
    let requests = json!({"statusText": [
        ["公开", {"results": [], "total": 0, "complete": false}, 0],
        ["公开", {"results": [], "total": 0, "complete": true}, 0],
        ["公开", {"results": [{}], "total": 12, "complete": false}, 10],
        ["公开", {"results": [{}], "total": 12, "complete": true}, 10],
    ]});
    let lines = harness(&out, &requests)["statusText"].clone();
    let line = |i: usize| lines[i].as_str().unwrap().to_string();
    assert!(!line(0).contains("至少 0"), "{}", line(0));
    assert!(line(0).contains("显示更多结果"), "{}", line(0));
    assert!(line(1).starts_with("没有找到"), "{}", line(1));
    assert!(line(2).starts_with("至少 12 条结果"), "{}", line(2));
    assert!(line(3).starts_with("共 12 条结果"), "{}", line(3));
}

#[test]
fn a_snippet_stops_where_a_part_not_loaded_yet_begins() {
    let f = Fixture::empty();
    f.write("site.toml", common::SITE_TOML);
    f.write(
        "content/townships.yaml",
        "- slug: a\n  name: 甲镇\n  kind: 镇\n",
    );
    let filler = "本镇按照条例要求做好政府信息公开工作，及时更新公开栏和网站栏目，群众满意度较高。";
    let mut body = String::from("## 一、概述\n\n");
    for _ in 0..9 {
        body.push_str(filler);
    }
    body.push_str("全年受理行政处罚案件公开事项。\n\n");
    for n in 2..=6 {
        body.push_str(&format!("## 第{n}部分\n\n"));
        for _ in 0..12 {
            body.push_str(filler);
        }
        body.push_str("\n\n");
    }
    f.write(
        "content/2020/a/report.md",
        &format!("---\npublished: 2021-01-20\n---\n{body}"),
    );
    let (_tmp, out) = build(f.root());
    let answer = &searches(&out, &[("行政处罚案件", "", "")])[0];
    assert_eq!(urls(answer), ["2020/a/index.html"], "{answer}");
    let loaded = answer["loaded"].to_string();
    assert!(!loaded.contains("\"r/"), "the first part decides: {loaded}");
    let snippet = answer["results"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>行政处罚案件</mark>"), "{snippet}");
    assert!(!snippet.contains("  "), "no blank place: {snippet:?}");
    assert!(snippet.ends_with('…'), "{snippet:?}");
}

#[test]
fn a_compound_word_falls_back_to_its_rare_word_when_its_common_word_is_everywhere() {
    // 信息 is in every report (the titles say 政府信息公开, the texts too); 扶贫 only in
    // alpha's text, far from its 信息. The index's bound counts the common 信息 in every section, so it says a
    // section covers 扶贫信息; the text has only 扶贫: the report must still be a hit, by its
    // rare word alone (looseNeed()), and the common word alone must not make one.
    let f = Fixture::new();
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "全年公开扶贫政策和项目资金，群众可到镇便民服务中心查阅，本镇政务信息按时更新。",
    );
    f.edit(
        "content/2020/beta/report.md",
        "正文。",
        "全年公开信息十条。",
    );
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [{"q": "扶贫信息"}, {"q": "扶贫信息", "syn": false}]});
    let answers = harness(&out, &requests)["searches"].clone();
    for a in [&answers[0], &answers[1]] {
        assert_eq!(urls(a), ["2018/alpha/index.html"], "{a}");
        let snippet = a["results"][0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>扶贫</mark>"), "{snippet}");
        assert!(!snippet.contains("<mark>信息</mark>"), "{snippet}");
    }
}

#[test]
fn question_words_drop_their_subject_and_a_sumu_is_a_kind_of_township_to_compare() {
    let f = readers_site();
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [
        {"q": "哪个苏木公开信息最多"},
        {"q": "有没有人起诉镇政府"},
        {"q": "哪些地方没做好"},
        {"q": "什么方面存在差距"},
    ]});
    let answers = harness(&out, &requests)["searches"].clone();
    // 苏木 is a township kind like 镇 and 街道: the comparison and the kind are what the answer
    // box's table answers, the rest is searched.
    assert_eq!(answers[0]["terms"], json!(["公开信息"]), "{}", answers[0]);
    assert_eq!(answers[0]["answer"]["kind"], "compare", "{}", answers[0]);
    // 有没有人 asks whether anyone did: 人 is the question's, not the reports' word.
    assert_eq!(answers[1]["terms"], json!(["起诉镇政府"]), "{}", answers[1]);
    // 哪些地方 / 什么方面 ask where: no report writes them.
    assert_eq!(answers[2]["terms"], json!(["没做好"]), "{}", answers[2]);
    assert_eq!(answers[3]["terms"], json!(["存在差距"]), "{}", answers[3]);
    assert_eq!(
        urls(&answers[3]),
        ["2018/alpha/index.html"],
        "{}",
        answers[3]
    );
}

#[test]
fn the_thesaurus_names_the_reports_channels_outcomes_and_review_in_the_reader_s_words() {
    let f = Fixture::new();
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "全年收到申请2件，其中不予公开1件。通过村村响广播公开惠民政策。",
    );
    f.edit(
        "content/2020/beta/report.md",
        "正文。",
        "严格执行保密审查，全年未发生涉密信息上网。",
    );
    let (_tmp, out) = build(f.root());
    let requests = json!({"searches": [
        {"q": "申请被拒"},
        {"q": "大喇叭"},
        {"q": "有没有泄密"},
        {"q": "申请被拒", "syn": false},
        {"q": "大喇叭", "syn": false},
        {"q": "有没有泄密", "syn": false},
    ]});
    let answers = harness(&out, &requests)["searches"]
        .as_array()
        .expect("searches")
        .clone();
    // The outcome of an application in the official table's words (不予公开), the channels
    // of disclosure (村村响, 广播), the review before publishing (保密审查, 涉密): each found
    // by the reader's word, shown to the reader, and nothing with the thesaurus off.
    let expected = [
        ("2018/alpha/index.html", "不予公开"),
        ("2018/alpha/index.html", "广播"),
        ("2020/beta/index.html", "保密审查"),
    ];
    for (a, (url, word)) in answers.iter().zip(expected) {
        assert_eq!(urls(a), [url], "{a}");
        assert!(
            (a["also"].as_array().unwrap()).contains(&json!(word)),
            "shown to the reader: {a}"
        );
        let snippet = a["results"][0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{snippet}");
    }
    for a in &answers[3..] {
        assert_eq!(urls(a), Vec::<String>::new(), "switched off: {a}");
    }
}
