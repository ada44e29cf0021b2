//! `nianbao import` on the shapes of real published pages (tests/fixtures/import-real/).
//!
//! Every fixture is text written for the tests (invented townships, narrative and figures) that
//! reproduces the SHAPE of one real township page: page furniture, metadata layout, table shape,
//! title and date forms. Its `.expect.toml` names the real page in a `# shape of:` comment and
//! says what a right import gives. Each fixture is imported ALONE, with no flags, into a fresh
//! site whose township registry is `tests/fixtures/import-real/site/townships.yaml`; then:
//!
//! 1. the outcome: imported where it should be (township, year, format, dates, title, figures,
//!    narrative), or refused naming every flag that resolves it (`needs`);
//! 2. NOTHING LOST: every non-blank source line is accounted for (rule below);
//! 3. the site builds (`--allow-draft`: imports carry a to-be-checked marker) and no page shows an
//!    escape character (`\1.`, `\*`, `\#` …).
//!
//! The test collects every failure of every fixture and prints one table (fixture, expected
//! outcome, what went wrong) before failing, so the importer can be worked from it.
//!
//! # The nothing-lost rule
//!
//! Lines are compared after `norm`: full-width ASCII folded to ASCII (（）：→ ():), every
//! whitespace character and `|` removed; in report.md also Markdown markers (leading `#`, list and
//! quote markers, backslash escapes, `&amp;` `&lt;` `&gt;`). A non-blank source line N (for HTML:
//! each non-blank line of the visible text of `<body>` — a line per block element, a table row as one
//! line with its cells joined by ` | `, scripts and styles left out) is accounted for as
//! - NARRATIVE: its normalised text occurs in the normalised body of report.md, joined (lines of
//!   fewer than 12 characters must equal a whole body line, so a lone `0` or `政府信息公开` is not
//!   found inside a sentence by chance);
//!   a line that begins with the title counts when the rest is in the body;
//! - FRONT MATTER: the line is short (≤ 80 characters after `norm`, so layout pipes do not count;
//!   no `。`) and contains a front-matter value
//!   (title, index_no, publisher, scope, channel, published, generated; a date also in its
//!   `2021年1月19日` / `2021/01/19` forms), or it is a lone label (`• 成文日期:`, ≤ 10 characters
//!   ending in `:`, or a date's label of ≤ 6 characters without its colon: `撰写时间`) whose next
//!   non-blank line holds such a value;
//! - TABLE: stats.yaml was written and the import report (stdout) lists the line as a row of the
//!   statistics table — an entry `第 A–B 行「cell | cell」→ stats.yaml …` (or `：表头和标签…`,
//!   `：其中的数值未导入…`, `：不是表格的单元格…`) whose lines hold N and whose quoted cells hold
//!   every cell printed on line N; for HTML (and Word), a line inside a `<table>` whose cells are
//!   all quoted by one `第 T 个表格第 R 行「…」` entry. A line inside a table's range
//!   (`统计表取自第 A–B 行`) is NOT accounted for by the range alone;
//! - FURNITURE: the import report has a line naming `第 N 行` (HTML: quoting the line, or its first
//!   four or more characters, in 「」) with
//!   one of 未导入 / 页头 / 页脚 / 页面附属;
//! - exempt: a line made only of `|`, `-`, `+`, `—`, `•`, `·` and spaces (layout).
//!
//! A NARRATIVE line must not also be TABLE or FURNITURE, and a line equal to the title must not
//! also stand in the narrative (no double counting).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::office::{chromium_pdf, python_docx_report, venv_python_with_docx, writer_convert};
use common::{Fixture, SITE_TOML, repo_root, run};
use serde::Deserialize;

/// What a fixture's import must give (`<fixture>.expect.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Expect {
    /// `imported` or `refused`.
    outcome: String,
    township: Option<String>,
    year: Option<i64>,
    /// `gov-2014` / `gov-2019` / `gov-2021`; absent: no stats.yaml may be written.
    format: Option<String>,
    /// `YYYY-MM-DD`; absent: the page prints no publication date and `published` must be `~`.
    published: Option<String>,
    /// The label the publication date was taken from; the import report must name it.
    published_from: Option<String>,
    /// `YYYY-MM-DD` when the page prints a document date; absent: not checked.
    generated: Option<String>,
    title: Option<String>,
    index_no: Option<String>,
    /// Indicator id → value exactly as printed (`~` for a blank cell).
    figures: BTreeMap<String, String>,
    narrative_contains: Vec<String>,
    /// Furniture the import report must list as dropped (and report.md must not hold).
    furniture_dropped: Vec<String>,
    /// For refusals: every flag the message must name.
    needs: Vec<String>,
    /// Strings the import report (stdout and stderr) must contain / must not contain.
    report_mentions: Vec<String>,
    report_not_mentions: Vec<String>,
}

fn fixtures_dir() -> PathBuf {
    repo_root().join("tests/fixtures/import-real")
}

/// Every fixture (`NN-name.txt` / `.html`), sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/import-real")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "html")))
        .collect();
    all.sort();
    all
}

fn expect_of(fixture: &Path) -> Expect {
    let path = fixture.with_extension("expect.toml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: every fixture needs its .expect.toml: {e}",
            path.display()
        )
    });
    assert!(
        text.starts_with("# shape of: http"),
        "{}: must begin with `# shape of: <URL>`",
        path.display()
    );
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Folds full-width ASCII, drops whitespace and `|`.
fn norm(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c as u32 {
                0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            (!c.is_whitespace() && c != '|').then_some(c)
        })
        .collect()
}

/// A report.md body line as text: Markdown markers and escapes removed, then `norm`.
fn norm_markdown(line: &str) -> String {
    let mut s = line.trim_start();
    s = s.trim_start_matches('#');
    for marker in ["- ", "* ", "> ", "+ "] {
        if let Some(rest) = s.trim_start().strip_prefix(marker) {
            s = rest;
        }
    }
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_punctuation() || n.is_ascii_digit())
        {
            continue;
        }
        out.push(c);
    }
    norm(
        &out.replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}

/// A metadata label standing alone (`• 成文日期:`, or a date's label without its colon:
/// `撰写时间`), its value on a later line.
fn is_label_only(normalised: &str) -> bool {
    let s = normalised.trim_start_matches(['•', '·']);
    (s.ends_with(':') && s.chars().count() <= 10)
        || (s.chars().count() <= 6 && (s.ends_with("日期") || s.ends_with("时间")))
}

fn is_layout(line: &str) -> bool {
    line.chars()
        .all(|c| matches!(c, '|' | '-' | '+' | '—' | '•' | '·') || c.is_whitespace())
}

/// The source's non-blank lines as (1-based line number, text, inside a table) — for HTML the
/// lines of the visible text nodes of `<body>`.
fn source_lines(path: &Path) -> Vec<(usize, String, bool)> {
    let text = fs::read_to_string(path).expect("fixtures are UTF-8");
    if path.extension().and_then(|e| e.to_str()) != Some("html") {
        return text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, l.to_string(), false))
            .collect();
    }
    let doc = scraper::Html::parse_document(&text);
    let mut lines = HtmlLines::default();
    for node in doc.tree.root().children() {
        lines.walk(node, false);
    }
    lines.flush();
    lines.out.into_iter().map(|(l, t)| (0, l, t)).collect()
}

/// The visible text of a page as a reader sees its lines: a line per block element (a table row
/// is one line, its cells joined by ` | `), whitespace collapsed as a browser does.
#[derive(Default)]
struct HtmlLines {
    current: String,
    current_in_table: bool,
    out: Vec<(String, bool)>,
}

impl HtmlLines {
    fn walk(&mut self, node: ego_tree::NodeRef<'_, scraper::Node>, in_table: bool) {
        match node.value() {
            scraper::Node::Text(t) => {
                let collapsed = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !collapsed.is_empty() {
                    if t.starts_with(char::is_whitespace) && !self.current.is_empty() {
                        self.current.push(' ');
                    }
                    self.current.push_str(&collapsed);
                    self.current_in_table |= in_table;
                }
            }
            scraper::Node::Element(el) => {
                let name = el.name();
                if matches!(name, "script" | "style" | "head" | "title" | "template") {
                    return;
                }
                let block = matches!(
                    name,
                    "p" | "div"
                        | "tr"
                        | "li"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "table"
                        | "ul"
                        | "ol"
                        | "br"
                        | "section"
                        | "header"
                        | "footer"
                        | "caption"
                        | "dt"
                        | "dd"
                        | "article"
                        | "nav"
                        | "thead"
                        | "tbody"
                        | "body"
                        | "pre"
                        | "blockquote"
                );
                if block {
                    self.flush();
                }
                if matches!(name, "td" | "th") && !self.current.trim().is_empty() {
                    self.current.push_str(" | ");
                }
                let in_table = in_table || name == "table";
                for child in node.children() {
                    self.walk(child, in_table);
                }
                if block {
                    self.flush();
                }
            }
            _ => {
                for child in node.children() {
                    self.walk(child, in_table);
                }
            }
        }
    }

    fn flush(&mut self) {
        let line = self.current.trim();
        if !line.is_empty() {
            self.out.push((line.to_string(), self.current_in_table));
        }
        self.current.clear();
        self.current_in_table = false;
    }
}

/// report.md as (front matter, body).
fn report_parts(path: &Path) -> Option<(serde_yaml::Value, String)> {
    let text = fs::read_to_string(path).ok()?;
    let rest = text.strip_prefix("---\n")?;
    let (yaml, body) = rest.split_once("\n---\n")?;
    Some((serde_yaml::from_str(yaml).ok()?, body.to_string()))
}

fn front_str(front: &serde_yaml::Value, key: &str) -> Option<String> {
    match front.get(key)? {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A `YYYY-MM-DD` date in the forms pages print it.
fn date_forms(date: &str) -> Vec<String> {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return vec![date.to_string()];
    };
    let (m1, d1) = (m.trim_start_matches('0'), d.trim_start_matches('0'));
    vec![
        date.to_string(),
        format!("{y}年{m}月{d}日"),
        format!("{y}年{m1}月{d1}日"),
        format!("{y}/{m}/{d}"),
        format!("{y}-{m1}-{d1}"),
    ]
}

/// id → value as written in stats.yaml (`~` kept as `~`).
fn stats_values(path: &Path) -> BTreeMap<String, String> {
    let Ok(text) = fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    // `format:` is a top-level key; the values are indented under `values:`.
    text.lines()
        .filter_map(|l| {
            l.strip_prefix("  ")
                .or(l.starts_with("format:").then_some(l))
        })
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(id, rest)| {
            let v = rest.split('#').next().unwrap_or_default().trim();
            (id.trim().to_string(), v.trim_matches('"').to_string())
        })
        .collect()
}

const FURNITURE_WORDS: [&str; 4] = ["未导入", "页头", "页脚", "页面附属"];

/// The import report's entries for the printed rows of a statistics table
/// (`第 48 行「规章 | 0 | 0 | 0」→ stats.yaml …`, `第 17–29 行「…」：表头和标签（无数值）`,
/// `第 2 个表格第 5 行「…」→ …`): the source lines an entry names (`None` for a table cell of
/// an HTML page or a Word document) and its quoted cells, normalised.
fn table_entries(report: &str) -> Vec<(Option<(usize, usize)>, String)> {
    const FATES: [&str; 4] = [
        "」→ stats.yaml",
        "」：表头和标签",
        "」：其中的数值未导入",
        "」：不是表格的单元格",
    ];
    let mut out = Vec::new();
    for line in report.lines().map(str::trim_start) {
        let Some(rest) = line.strip_prefix("第 ") else {
            continue;
        };
        let Some(end) = FATES.iter().filter_map(|f| line.find(f)).min() else {
            continue;
        };
        let Some(open) = line.find('「').filter(|o| *o < end) else {
            continue;
        };
        let quoted = &line[open + '「'.len_utf8()..end];
        let spec = &rest[..rest.find(" 行").unwrap_or(0)];
        let lines = if spec.contains("表格") {
            None
        } else {
            let nums: Vec<usize> = spec
                .split(['–', '-'])
                .filter_map(|n| n.trim().parse().ok())
                .collect();
            match nums.as_slice() {
                [a] => Some((*a, *a)),
                [a, b] => Some((*a, *b)),
                _ => continue,
            }
        };
        out.push((lines, norm(quoted)));
    }
    out
}

/// Whether the report lists source line `n` (0: an HTML table row, found by its cells) as a
/// row of the statistics table, quoting every cell printed on it.
fn listed_as_table_row(entries: &[(Option<(usize, usize)>, String)], n: usize, line: &str) -> bool {
    let cells: Vec<String> = line
        .split('|')
        .map(norm)
        .filter(|c| !c.is_empty())
        .collect();
    !cells.is_empty()
        && entries.iter().any(|(lines, quoted)| {
            let here = match lines {
                Some((a, b)) => n > 0 && (*a..=*b).contains(&n),
                None => n == 0,
            };
            here && cells.iter().all(|c| quoted.contains(c.as_str()))
        })
}

/// Does the import report list source line `n` (or, for HTML, the text) as dropped furniture?
fn listed_as_furniture(report: &str, n: usize, text: &str) -> bool {
    report.lines().any(|l| {
        FURNITURE_WORDS.iter().any(|w| l.contains(w))
            && if n > 0 {
                l.contains(&format!("第 {n} 行")) || l.contains(&format!("第{n}行"))
            } else {
                quotes(l).iter().any(|q| {
                    let (q, t) = (norm(q.trim_end_matches('…')), norm(text));
                    q == t || (q.chars().count() >= 4 && t.starts_with(&q))
                })
            }
    })
}

/// The texts quoted in 「」 on a report line.
fn quotes(line: &str) -> Vec<&str> {
    line.split('「')
        .skip(1)
        .filter_map(|part| part.split_once('」').map(|(q, _)| q))
        .collect()
}

/// The six sections of the national report template (国办公开办函〔2021〕30号): their
/// numbered headings are the report's own text, never a cell of a statistics table.
const SECTIONS: [&str; 6] = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
];

/// A section heading of a report (`三、收到和处理政府信息公开申请情况`, after `norm`).
fn is_numbered_heading(normalised: &str) -> bool {
    let rest = normalised.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c));
    rest.len() < normalised.len()
        && rest
            .strip_prefix('、')
            .is_some_and(|r| SECTIONS.iter().any(|t| norm(t) == r))
}

/// Every unaccounted or doubly counted source line, as short notes.
fn nothing_lost(
    source: &Path,
    front: &serde_yaml::Value,
    body: &str,
    report: &str,
    stats_written: bool,
) -> Vec<String> {
    let body_lines: Vec<String> = body
        .lines()
        .map(norm_markdown)
        .filter(|l| !l.is_empty())
        .collect();
    let joined: String = body_lines.concat();
    let title = front_str(front, "title")
        .map(|t| norm(&t))
        .unwrap_or_default();
    let mut values: Vec<String> = Vec::new();
    for key in ["title", "index_no", "publisher", "scope", "channel"] {
        values.extend(front_str(front, key).map(|v| norm(&v)));
    }
    for key in ["published", "generated"] {
        if let Some(d) = front_str(front, key) {
            values.extend(date_forms(&d).iter().map(|f| norm(f)));
        }
    }
    // The statistics table's footer (填报单位, 单位负责人, … 填报日期) is front matter too.
    if let Some(form) = front.get("form") {
        for key in ["fill_unit", "unit_head", "reviewer", "filler", "phone"] {
            values.extend(front_str(form, key).map(|v| norm(&v)));
        }
        if let Some(d) = front_str(form, "filled") {
            values.extend(date_forms(&d).iter().map(|f| norm(f)));
        }
    }
    values.retain(|v| v.chars().count() >= 2);
    let entries = table_entries(report);
    let has_value = |s: &str| values.iter().any(|v| s.contains(v.as_str()));
    let lines = source_lines(source);
    let title_lines = title_over_lines(&lines, &title);
    let mut problems = Vec::new();
    for (i, (n, line, in_table)) in lines.iter().enumerate() {
        let (n, in_table) = (*n, *in_table);
        if is_layout(line) {
            continue;
        }
        let s = norm(line);
        // `• 成文日期:` with its value on the next non-blank line.
        let label_of_next = is_label_only(&s)
            && lines[i + 1..]
                .iter()
                .find(|(_, l, _)| !is_layout(l))
                .is_some_and(|(_, l, _)| has_value(&norm(l)));
        // A short line must be a whole line of the body (a Word list item's body line starts
        // with the number Word printed, which is not in the paragraph's own text).
        let in_body = |t: &str| {
            if t.chars().count() < 12 {
                body_lines.iter().any(|b| b == t || without_number(b) == t)
            } else {
                joined.contains(t)
            }
        };
        let narrative = in_body(&s)
            || (!title.is_empty()
                && s.starts_with(&title)
                && s.len() > title.len()
                && in_body(&s[title.len()..]));
        let front_matter = label_of_next
            || title_lines.contains(&i)
            || (s.chars().count() <= 80 && !line.contains('。') && has_value(&s));
        // A section heading (`三、收到和处理政府信息公开申请情况`) inside a table's range was
        // swallowed by it: the report's own heading must stand in report.md.
        let swallowed_heading = is_numbered_heading(&s);
        let table = stats_written
            && !swallowed_heading
            && (n > 0 || in_table)
            && listed_as_table_row(&entries, n, line);
        let furniture = listed_as_furniture(report, n, line);
        let at = if n > 0 {
            format!("l.{n}")
        } else {
            "html".into()
        };
        let short: String = line.trim().chars().take(24).collect();
        if !(narrative || front_matter || table || furniture) {
            problems.push(format!("LOST {at} 「{short}」"));
        } else if narrative && (table || furniture) && body_lines.contains(&s) {
            // Listed, and a whole line of the body as well (a listed caption that a sentence of
            // the body also names is not counted twice).
            problems.push(format!("TWICE {at} 「{short}」"));
        } else if narrative && !title.is_empty() && s == title && body_lines.contains(&s) {
            problems.push(format!("TITLE-IN-NARRATIVE {at}"));
        }
    }
    problems
}

/// The indexes of consecutive lines that together print the title (`…2018年度政府` /
/// `信息公开工作年度报告`): the title in the front matter accounts for each of them.
fn title_over_lines(lines: &[(usize, String, bool)], title: &str) -> Vec<usize> {
    if title.is_empty() {
        return Vec::new();
    }
    for start in 0..lines.len() {
        let mut joined = String::new();
        for (end, (_, line, _)) in lines.iter().enumerate().skip(start).take(4) {
            joined.push_str(&norm(line));
            if joined == title && end > start {
                return (start..=end).collect();
            }
            if !title.starts_with(&joined) {
                break;
            }
        }
    }
    Vec::new()
}

/// A body line without a leading list number (`1.`, `1、`, `1)`).
fn without_number(line: &str) -> &str {
    let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == line.len() {
        return line;
    }
    rest.strip_prefix(['.', '、', ')']).unwrap_or(line)
}

/// A backslash escape a reader would see: `\` before ASCII punctuation or a digit, in the text
/// of a page (scripts and styles removed).
fn visible_escapes(html: &str) -> Vec<String> {
    let text = without_element(&without_element(html, "script"), "style");
    let chars: Vec<char> = text.chars().collect();
    let mut hits = Vec::new();
    let mut in_tag = false;
    for (i, c) in chars.iter().enumerate() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '\\' if !in_tag => {
                if let Some(n) = chars.get(i + 1)
                    && (n.is_ascii_punctuation() || n.is_ascii_digit())
                {
                    let from = i.saturating_sub(6);
                    let hit: String = chars[from..(i + 8).min(chars.len())].iter().collect();
                    hits.push(hit.replace(['\n', '\r'], " "));
                }
            }
            _ => {}
        }
    }
    hits
}

/// `html` without the `<tag …>…</tag>` elements.
fn without_element(html: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut kept = String::new();
    let mut rest = html;
    while let Some(a) = rest.find(&open) {
        kept.push_str(&rest[..a]);
        rest = match rest[a..].find(&close) {
            Some(b) => &rest[a + b + close.len()..],
            None => "",
        };
    }
    kept.push_str(rest);
    kept
}

/// A fresh site with the fixtures' township registry.
fn site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", SITE_TOML);
    let registry =
        fs::read_to_string(fixtures_dir().join("site/townships.yaml")).expect("registry");
    f.write("content/townships.yaml", &registry);
    f
}

/// The report.md files an import wrote under `root`'s content folder.
fn reports_written(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "report.md")
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// Runs one fixture; returns (what happened, failures).
fn check_fixture(fixture: &Path) -> (String, Vec<String>) {
    let exp = expect_of(fixture);
    let f = site();
    let root = f.root().to_str().expect("utf-8").to_string();
    let src = fixture.to_str().expect("utf-8").to_string();
    let (code, stdout, stderr) = run(&["import", "--root", &root, &src]);
    let report = format!("{stdout}\n{stderr}");
    let mut fails = Vec::new();
    for m in &exp.report_mentions {
        if !report.contains(m.as_str()) {
            fails.push(format!("MENTION missing 「{m}」"));
        }
    }
    for m in &exp.report_not_mentions {
        if report.contains(m.as_str()) {
            fails.push(format!("MENTION unwanted 「{m}」"));
        }
    }
    let written = reports_written(f.root());
    if exp.outcome == "refused" {
        if code == 0 {
            fails.push("IMPORTED but should be refused".into());
        }
        if !written.is_empty() {
            fails.push("WROTE a report although refused".into());
        }
        for flag in &exp.needs {
            if !report.contains(flag.as_str()) {
                fails.push(format!("NEEDS {flag} not named"));
            }
        }
        let got = if code == 0 { "imported" } else { "refused" };
        return (got.into(), fails);
    }
    assert_eq!(exp.outcome, "imported", "{}: outcome", fixture.display());
    let [report_md] = written.as_slice() else {
        let why = report
            .lines()
            .map(str::trim)
            .find(|l| !l.starts_with("==") && (l.contains("无法") || l.contains("错误")))
            .unwrap_or("");
        let why = why.split_once('：').map_or(why, |(_, r)| r);
        let why: String = why.chars().take(40).collect();
        fails.push(format!(
            "REFUSED/NOT WRITTEN ({} reports): {why}",
            written.len()
        ));
        return ("refused".into(), fails);
    };
    let dir = report_md.parent().expect("report dir");
    let rel = dir
        .strip_prefix(f.root().join("content"))
        .expect("under content");
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(y) = exp.year
        && parts.first() != Some(&y.to_string())
    {
        fails.push(format!("YEAR got {:?} want {y}", parts.first()));
    }
    if let Some(t) = &exp.township
        && parts.get(1) != Some(t)
    {
        fails.push(format!("TOWNSHIP got {:?} want {t}", parts.get(1)));
    }
    let Some((front, body)) = report_parts(report_md) else {
        fails.push("REPORT.MD unreadable".into());
        return ("imported".into(), fails);
    };
    check_front(&exp, &front, &report, &mut fails);
    let stats = dir.join("stats.yaml");
    let values = stats_values(&stats);
    match (&exp.format, stats.is_file()) {
        (Some(want), true) => {
            let text = fs::read_to_string(&stats).unwrap_or_default();
            let got = text
                .lines()
                .find_map(|l| l.strip_prefix("format:"))
                .map(|v| v.split('#').next().unwrap_or_default().trim().to_string())
                .unwrap_or_default();
            if &got != want {
                fails.push(format!("FORMAT got {got} want {want}"));
            }
        }
        (Some(want), false) => fails.push(format!("TABLE LOST (no stats.yaml, want {want})")),
        (None, true) => fails.push("STATS.YAML written for a page without a table".into()),
        (None, false) => {}
    }
    for (id, want) in &exp.figures {
        match values.get(id.as_str()) {
            Some(got) if got == want => {}
            got => fails.push(format!("FIG {id} got {got:?} want {want}")),
        }
    }
    let norm_body: String = body.lines().map(norm_markdown).collect();
    for s in &exp.narrative_contains {
        if !norm_body.contains(&norm(s)) {
            fails.push(format!(
                "NARR missing 「{}」",
                s.chars().take(20).collect::<String>()
            ));
        }
    }
    for s in &exp.furniture_dropped {
        if norm_body.contains(&norm(s)) {
            fails.push(format!("FURN in narrative 「{s}」"));
        }
        let listed = report
            .lines()
            .any(|l| norm(l).contains(&norm(s)) && FURNITURE_WORDS.iter().any(|w| l.contains(w)));
        if !listed {
            fails.push(format!("FURN not listed 「{s}」"));
        }
    }
    fails.extend(nothing_lost(
        fixture,
        &front,
        &body,
        &report,
        stats.is_file(),
    ));
    fails.extend(build_and_scan(&f));
    ("imported".into(), fails)
}

fn check_front(exp: &Expect, front: &serde_yaml::Value, report: &str, fails: &mut Vec<String>) {
    let published = front_str(front, "published");
    if published != exp.published {
        fails.push(format!(
            "PUBLISHED got {published:?} want {:?}",
            exp.published
        ));
    }
    if let Some(from) = &exp.published_from {
        let named = report.lines().any(|l| {
            l.contains(from.as_str()) && (l.contains("公开日期") || l.contains("published"))
        });
        if !named {
            fails.push(format!(
                "FROM: report does not say the date came from {from}"
            ));
        }
    }
    if let Some(want) = &exp.generated {
        let got = front_str(front, "generated");
        if got.as_ref() != Some(want) {
            fails.push(format!("GENERATED got {got:?} want {want}"));
        }
    }
    let title = front_str(front, "title").unwrap_or_default();
    if let Some(want) = &exp.title
        && &title != want
    {
        fails.push(format!("TITLE got 「{title}」"));
    }
    if title.contains(':') || title.contains('：') || title.contains('|') {
        fails.push(format!("TITLE keeps a label 「{title}」"));
    }
    if title.contains('。') || title.chars().count() > 60 {
        let short: String = title.chars().take(20).collect();
        fails.push(format!("TITLE is a sentence 「{short}…」"));
    }
    if let Some(want) = &exp.index_no {
        let got = front_str(front, "index_no");
        if got.as_ref() != Some(want) {
            fails.push(format!("INDEX_NO got {got:?}"));
        }
    }
}

/// Builds the site; every page's visible escapes.
fn build_and_scan(f: &Fixture) -> Vec<String> {
    let root = f.root().to_str().expect("utf-8").to_string();
    let out = f.root().join("public");
    let (code, stdout, stderr) = run(&[
        "build",
        "--root",
        &root,
        "--allow-draft",
        "--quiet",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    if code != 0 {
        let first = format!("{stdout}{stderr}")
            .lines()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        return vec![format!(
            "BUILD failed: {}",
            first.chars().take(80).collect::<String>()
        )];
    }
    let mut fails = Vec::new();
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().and_then(|x| x.to_str()) != Some("html") {
            continue;
        }
        let html = fs::read_to_string(e.path()).unwrap_or_default();
        if let Some(hit) = visible_escapes(&html).first() {
            let page = e.path().strip_prefix(&out).unwrap_or(e.path()).display();
            fails.push(format!("ESCAPE on {page}: 「{hit}」"));
        }
    }
    fails
}

#[test]
fn real_page_shapes_import_right_first_time_and_lose_nothing() {
    let all = fixtures();
    assert!(!all.is_empty(), "no fixtures in tests/fixtures/import-real");
    let results: Vec<(String, String, String, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = all
            .chunks(all.len().div_ceil(3))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|p| {
                            let name = p.file_name().expect("name").to_string_lossy().into_owned();
                            let want = expect_of(p).outcome;
                            let (got, fails) = check_fixture(p);
                            (name, want, got, fails)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("fixture thread"))
            .collect()
    });
    let failed = results.iter().filter(|r| !r.3.is_empty()).count();
    let mut table = format!(
        "\n{failed} of {} fixtures fail\n| fixture | want | got | failures |\n|---|---|---|---|\n",
        results.len()
    );
    for (name, want, got, fails) in &results {
        let cell = if fails.is_empty() {
            "ok".to_string()
        } else {
            fails.join("<br>")
        };
        table.push_str(&format!("| {name} | {want} | {got} | {cell} |\n"));
    }
    assert_eq!(failed, 0, "{table}");
    assert!(
        results.len() >= 40,
        "the corpus has {} fixtures, want ≥ 40",
        results.len()
    );
}

#[test]
fn the_nothing_lost_rule_catches_a_lost_line_and_a_double_count() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = dir.path().join("p.txt");
    fs::write(
        &src,
        "甲镇2020年报告\n发布日期:2021-01-02\n正文第一句。\n来源:甲镇网站\n0\n",
    )
    .expect("write");
    let front: serde_yaml::Value =
        serde_yaml::from_str("title: 甲镇2020年报告\npublished: 2021-01-02\n").expect("yaml");
    // The source line 4 is neither in the body nor listed: lost; line 5 (`0`) likewise.
    let problems = nothing_lost(&src, &front, "正文第一句。\n", "", false);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("LOST l.4"), "{problems:?}");
    // Listed as furniture AND kept in the body: counted twice.
    let report = "  - p.txt 第 4 行：页面附属文字「来源:甲镇网站」未导入";
    let problems = nothing_lost(
        &src,
        &front,
        "正文第一句。\n来源:甲镇网站\n0\n",
        report,
        false,
    );
    assert_eq!(problems, vec!["TWICE l.4 「来源:甲镇网站」".to_string()]);
    // A table's line range does not account for a line: only an entry listing the row.
    let with_range = format!("{report}\n  统计表取自第 5–5 行（数值写入 stats.yaml）");
    let problems = nothing_lost(&src, &front, "正文第一句。\n", &with_range, true);
    assert_eq!(problems, vec!["LOST l.5 「0」".to_string()]);
    // An entry naming line 5 with its cell accounts for it once stats.yaml is written…
    let listed = format!("{report}\n    第 5 行「0」→ stats.yaml art20_1.rules.made");
    assert!(nothing_lost(&src, &front, "正文第一句。\n", &listed, true).is_empty());
    assert_eq!(
        nothing_lost(&src, &front, "正文第一句。\n", &listed, false).len(),
        1
    );
    // …but not an entry naming the line with other text, nor one naming other lines.
    for other in [
        "    第 5 行「1」→ stats.yaml art20_1.rules.made",
        "    第 3–4 行「0」：表头和标签（无数值）",
    ] {
        let report = format!("{report}\n{other}");
        let problems = nothing_lost(&src, &front, "正文第一句。\n", &report, true);
        assert_eq!(problems, vec!["LOST l.5 「0」".to_string()], "{other}");
    }
    // A section heading listed as a table cell is lost: the table swallowed it.
    fs::write(
        &src,
        "甲镇2020年报告\n发布日期:2021-01-02\n1 |\n三、收到和处理政府信息公开申请情况\n",
    )
    .expect("write");
    let report = "    第 3–4 行「1 | 三、收到和处理政府信息公开申请情况」：其中的数值未导入（原因见“需人工处理”）";
    let problems = nothing_lost(&src, &front, "", report, true);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("LOST l.4"), "{problems:?}");
}

#[test]
fn a_visible_escape_is_found_and_a_script_is_not_read() {
    assert_eq!(visible_escapes("<p>\\1.组织领导</p>").len(), 1);
    assert_eq!(visible_escapes("<p>1.组织领导 C:\\文件</p>").len(), 0);
    assert!(visible_escapes("<script>var a = '\\n\\'';</script><p>正文</p>").is_empty());
    assert_eq!(visible_escapes("<p class=\"a\\b\">\\*强调\\*</p>").len(), 2);
}

/// Imports `source` alone into a fresh site with `registry` and applies the nothing-lost rule
/// to the lines of `lines_of` (the source itself, or an HTML page of the same text when the
/// source is a Word document or a PDF); returns the problems, prefixed with the source's name.
fn lost_in(source: &Path, lines_of: &Path, registry: &str) -> Vec<String> {
    let f = Fixture::empty();
    f.write("site.toml", SITE_TOML);
    f.write("content/townships.yaml", registry);
    let root = f.root().to_str().expect("utf-8");
    let (code, stdout, stderr) = run(&["import", "--root", root, source.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{}: {stdout}{stderr}", source.display());
    let written = reports_written(f.root());
    let [report_md] = written.as_slice() else {
        panic!("{}: {} reports written", source.display(), written.len());
    };
    let (front, body) = report_parts(report_md).expect("report.md");
    let stats = report_md.with_file_name("stats.yaml").is_file();
    let name = source.file_name().expect("name").to_string_lossy();
    nothing_lost(
        lines_of,
        &front,
        &body,
        &format!("{stdout}\n{stderr}"),
        stats,
    )
    .into_iter()
    .map(|p| format!("{name}: {p}"))
    .collect()
}

/// A Word document's text as python-docx reads it (a paragraph a `<p>`, a table as `<table>`
/// rows), in document order: the lines the nothing-lost rule checks, read by another program
/// than the importer.
fn docx_as_html(python: &Path, docx: &Path, html: &Path) {
    const SCRIPT: &str = r#"
import html, sys
import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
d = docx.Document(sys.argv[1])
out = ["<html><body>"]
for el in d.element.body.iterchildren():
    tag = el.tag.split("}")[1]
    if tag == "p":
        out.append("<p>" + html.escape(Paragraph(el, d).text) + "</p>")
    elif tag == "tbl":
        out.append("<table>")
        for row in Table(el, d).rows:
            out.append("<tr>" + "".join("<td>" + html.escape(c.text) + "</td>" for c in row.cells) + "</tr>")
        out.append("</table>")
out.append("</body></html>")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out))
"#;
    let status = Command::new(python)
        .args(["-c", SCRIPT])
        .arg(docx)
        .arg(html)
        .status()
        .expect("python runs");
    assert!(
        status.success(),
        "reading {} with python-docx",
        docx.display()
    );
}

/// The nothing-lost rule over the other import fixtures: the seed page of the content pack
/// (a 2014 table one cell per line), the Word documents of tests/import_word.rs (python-docx,
/// with its statistics table, and LibreOffice) and the PDFs of tests/import_pdf.rs
/// (LibreOffice and Chromium).
#[test]
fn the_seed_word_and_pdf_fixtures_lose_nothing() {
    let mut problems = Vec::new();
    let seed = repo_root().join("content/2018/beijinggang/原文-北景港镇2018年度报告.txt");
    let pack_registry =
        fs::read_to_string(repo_root().join("content/townships.yaml")).expect("registry");
    problems.extend(lost_in(&seed, &seed, &pack_registry));

    let registry = "- slug: alpha\n  name: 甲镇\n  kind: 镇\n";
    let python = venv_python_with_docx();
    let dir = tempfile::tempdir().expect("tmp");
    let made = dir.path().join("python-docx.docx");
    python_docx_report(&made, true);
    let word_html = tests_html(dir.path(), "word", "word-report");
    let by_writer = writer_convert(&word_html, dir.path(), "docx:MS Word 2007 XML", "docx");
    for docx in [made, by_writer] {
        let lines = docx.with_extension("lines.html");
        docx_as_html(&python, &docx, &lines);
        problems.extend(lost_in(&docx, &lines, registry));
    }

    let pdf_html = tests_html(dir.path(), "pdf", "pdf-report");
    let by_writer = writer_convert(&pdf_html, dir.path(), "pdf:writer_pdf_Export", "pdf");
    problems.extend(lost_in(&by_writer, &pdf_html, registry));
    let by_chromium = dir.path().join("chromium.pdf");
    chromium_pdf(
        &pdf_html,
        &by_chromium,
        &dir.path().join("chromium-profile"),
    );
    problems.extend(lost_in(&by_chromium, &pdf_html, registry));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// tests/fixtures/<kind>/report.html copied into `dir` as `<name>.html`.
fn tests_html(dir: &Path, kind: &str, name: &str) -> PathBuf {
    let html = dir.join(format!("{name}.html"));
    fs::copy(
        repo_root().join(format!("tests/fixtures/{kind}/report.html")),
        &html,
    )
    .expect("copy");
    html
}
