//! The bundled content pack (the real 2018 北景港镇 report) builds into a site that shows every
//! published figure in its official row, blank as blank, with working relative links.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use common::{repo_root, run_in, snapshot_tree};

const REPORT_DIR: &str = "content/2018/beijinggang";

/// The content pack built once for all tests of this file.
fn built() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("public");
        let (code, _, stderr) = run_in(&repo_root(), "build", &["--output", out.to_str().unwrap()]);
        assert_eq!(code, 0, "content pack must build: {stderr}");
        tmp
    })
    .path()
    .join("public")
    .leak()
}

fn report_page() -> String {
    fs::read_to_string(built().join("2018/beijinggang/index.html")).expect("report page exists")
}

/// id → the scalar exactly as written in stats.yaml (`None` for `~`).
fn source_values() -> BTreeMap<String, Option<String>> {
    let text = fs::read_to_string(repo_root().join(REPORT_DIR).join("stats.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let values = doc
        .get("values")
        .and_then(|v| v.as_mapping())
        .expect("values mapping");
    values
        .iter()
        .map(|(k, v)| {
            let id = k.as_str().unwrap().to_string();
            let shown = match v {
                serde_yaml::Value::Null => None,
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                other => panic!("unexpected value {other:?} for {id}"),
            };
            (id, shown)
        })
        .collect()
}

/// The `<tr>…</tr>` of the official table that holds the cell `id`.
fn row_of<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("data-id=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no cell for {id}"));
    let start = html[..at].rfind("<tr>").expect("row start");
    let end = at + html[at..].find("</tr>").expect("row end");
    &html[start..end]
}

fn cell_text<'a>(row: &'a str, id: &str) -> &'a str {
    let marker = format!("data-id=\"{id}\">");
    let at = row.find(&marker).expect("cell") + marker.len();
    &row[at..at + row[at..].find("</td>").expect("cell end")]
}

#[test]
fn every_value_appears_in_its_row_and_blanks_show_no_number() {
    let html = report_page();
    let format = nianbao::schema::format("gov-2014").unwrap();
    let values = source_values();
    assert_eq!(
        values.len(),
        65,
        "the content pack lists every row of the 2014 table"
    );
    for (id, value) in &values {
        let row = row_of(&html, id);
        let label = &format.cell(id).unwrap().label;
        assert!(
            row.contains(&format!(">{label}</th>")),
            "row of {id} carries its printed label {label}: {row}"
        );
        // A rule finding's marker (※n) follows the figure; the figure itself stays as printed.
        let text = cell_text(row, id)
            .split("<a class=\"rule-ref\"")
            .next()
            .unwrap_or_default();
        match value {
            Some(v) => assert_eq!(text, v, "value of {id}"),
            None => {
                assert!(
                    !text.chars().any(|c| c.is_ascii_digit()),
                    "blank {id} shows a number: {text}"
                );
                // A heading row (一、主动公开情况) has no figure in the form: its empty cell is
                // part of the heading, not an unreported figure.
                if format.cell(id).unwrap().heading {
                    assert!(
                        !text.contains("未填报") && row.contains("class=\"num heading\""),
                        "the heading row {id} reads as a heading: {row}"
                    );
                } else {
                    assert!(
                        text.contains("未填报") && row.contains("class=\"num blank"),
                        "blank {id} is announced to screen readers: {text}"
                    );
                }
            }
        }
    }
}

#[test]
fn table_rows_are_in_official_order() {
    let html = report_page();
    let format = nianbao::schema::format("gov-2014").unwrap();
    let table = &html[html.find("id=\"table-main\"").unwrap()..];
    let ids: Vec<&str> = table
        .split("data-id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let expected: Vec<&str> = format.cells.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, expected);
}

#[test]
fn metadata_footer_and_warnings_are_on_the_page() {
    let html = report_page();
    for text in [
        "00638229X4/2019-1513549",
        "<dd>北景港镇</dd>",
        "全部公开",
        "2019-03-12",
        "政府网站",
        "北景港镇人民政府",
        "向俊英",
        "徐春娥",
        "刘志鹏",
        "18598936331",
        "2018-12-20",
        "97 &gt; 85",
        "华容县北景港镇2018年度政府信息公开工作年度报告",
    ] {
        assert!(html.contains(text), "report page shows {text}");
    }
    assert!(html.contains("<h2 id=\"sec-1\">一、概述</h2>"));
    assert!(html.contains("lang=\"zh-CN\""));
}

#[test]
fn attachment_is_byte_identical_and_listed_with_size_and_type() {
    let name = "原文-北景港镇2018年度报告.txt";
    let source = fs::read(repo_root().join(REPORT_DIR).join(name)).unwrap();
    let published = fs::read(built().join("2018/beijinggang").join(name)).unwrap();
    assert_eq!(published, source);
    let html = report_page();
    assert!(html.contains("文本文件，10.2 KB"), "size and type shown");
}

#[test]
fn every_internal_link_is_relative_and_resolves() {
    let out = built();
    for (rel, bytes) in snapshot_tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = out.join(&rel).parent().unwrap().to_path_buf();
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let target = &piece[..piece.find('"').unwrap()];
                if target.starts_with("http")
                    || target.starts_with('#')
                    || target.starts_with("mailto:")
                    || target == "data:,"
                {
                    continue;
                }
                if rel == "404.html" {
                    assert!(
                        target.starts_with("/nianbao/"),
                        "404 links are absolute paths: {target}"
                    );
                    continue;
                }
                assert!(
                    !target.starts_with('/'),
                    "{rel}: link {target} must be relative"
                );
                let path = target.split('#').next().unwrap();
                let decoded = percent_decode(path);
                assert!(
                    dir.join(&decoded).is_file(),
                    "{rel}: link {target} resolves to a file"
                );
            }
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn canonical_links_use_the_base_url() {
    let html = report_page();
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://www.huarong.gov.cn/nianbao/2018/beijinggang/\">"
    ));
}

#[test]
fn check_prints_the_seeds_real_warnings_and_exits_0() {
    let (code, stdout, stderr) = run_in(&repo_root(), "check", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("警告: content/2018/beijinggang/stats.yaml:9:3"),
        "A-R13 at its line: {stderr}"
    );
    assert!(
        stderr.contains("A-R13") && stderr.contains("97 > 85"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[training]") && stderr.contains("标题行"),
        "heading-row value: {stderr}"
    );
    assert!(
        stderr.contains("[form.filled]") && stderr.contains("早于统计年度结束"),
        "form filled early: {stderr}"
    );
    assert!(stderr.contains("3 条警告"), "{stderr}");
    let (code, _, _) = run_in(&repo_root(), "check", &["--strict"]);
    assert_eq!(code, 1, "--strict fails on the seed's real inconsistencies");
}

#[test]
fn same_input_gives_byte_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for out in [&a, &b] {
        let (code, _, stderr) = run_in(&repo_root(), "build", &["--output", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
    }
    let (ta, tb) = (snapshot_tree(&a), snapshot_tree(&b));
    assert!(ta.len() > 5);
    assert_eq!(ta, tb);
}

#[test]
fn base_url_override_changes_only_absolute_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let (code, _, stderr) = run_in(
        &repo_root(),
        "build",
        &[
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "http://127.0.0.1:8000/sub",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = fs::read_to_string(out.join("2018/beijinggang/index.html")).unwrap();
    assert!(html.contains("href=\"http://127.0.0.1:8000/sub/2018/beijinggang/\""));
    assert!(html.contains("href=\"../../static/style.css\""));
}

#[test]
fn report_page_snapshot() {
    insta::assert_snapshot!("report_beijinggang_2018", report_page());
}

/// The README quotes the summary the first of its two commands prints on a fresh clone: the
/// counts it gives (reports, pages, files, warnings) are what a build of the pack says.
#[test]
fn the_readme_quotes_the_summary_a_fresh_build_prints() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let (code, stdout, stderr) =
        run_in(&repo_root(), "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let printed = format!("{stdout}{stderr}");
    let summary = printed
        .lines()
        .find(|l| l.starts_with("已生成："))
        .unwrap_or_else(|| panic!("no summary line in: {printed}"));
    // The time it took varies; everything before it must be quoted as printed.
    let counts = summary.split("，用时").next().unwrap_or(summary);
    let readme = fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    assert!(
        readme.contains(&format!("`{counts}，用时")),
        "README.md should quote `{counts}，用时 …` (what the build prints now)"
    );
}
