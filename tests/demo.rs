//! The demo site (examples/demo): comparisons across the three formats and data downloads, with
//! every figure checked against the source files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{repo_root, run_in, snapshot_tree};

fn demo_root() -> PathBuf {
    repo_root().join("examples/demo")
}

fn built() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let (code, _, stderr) = run_in(&demo_root(), "build", &["--output", out.to_str().unwrap()]);
        assert_eq!(code, 0, "demo must build: {stderr}");
        tmp
    })
    .path()
    .join("public")
    .leak()
}

/// Every report of the demo with a table: (year/slug, id → scalar text or None), ids in file order.
type Sources = Vec<(String, Vec<(String, Option<String>)>)>;

fn sources() -> Sources {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(demo_root().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_name() != "stats.yaml" {
            continue;
        }
        let dir = entry.path().parent().unwrap();
        let key = format!(
            "{}/{}",
            dir.parent().unwrap().file_name().unwrap().to_string_lossy(),
            dir.file_name().unwrap().to_string_lossy()
        );
        let doc: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(entry.path()).unwrap()).unwrap();
        let values = doc["values"]
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_yaml::Value::Null => None,
                    serde_yaml::Value::Number(n) => Some(n.to_string()),
                    other => panic!("unexpected {other:?}"),
                };
                (k.as_str().unwrap().to_string(), text)
            })
            .collect();
        out.push((key, values));
    }
    assert!(out.len() >= 30, "the demo has 4 townships × 8 years");
    out
}

/// Numbers written as YAML floats lose trailing zeros in serde_yaml's view; compare numerically.
fn same_number(a: &str, b: &str) -> bool {
    a == b || a.parse::<f64>().ok() == b.parse::<f64>().ok()
}

#[test]
fn demo_spans_three_formats_with_blanks_zeros_and_rule_breaks() {
    let sources = sources();
    let mut formats = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(demo_root().join("content")) {
        let entry = entry.unwrap();
        if entry.file_name() == "stats.yaml" {
            let text = fs::read_to_string(entry.path()).unwrap();
            formats.insert(text.lines().next().unwrap().to_string());
        }
    }
    assert_eq!(formats.len(), 3, "{formats:?}");
    let all: Vec<&Option<String>> = sources
        .iter()
        .flat_map(|(_, v)| v.iter().map(|(_, x)| x))
        .collect();
    assert!(all.iter().any(|v| v.is_none()), "blanks");
    assert!(all.iter().any(|v| v.as_deref() == Some("0")), "zeros");
    let (code, _, stderr) = run_in(&demo_root(), "check", &[]);
    assert_eq!(code, 0);
    assert!(stderr.contains("不满足"), "some rule violations: {stderr}");
    let home = fs::read_to_string(built().join("index.html")).unwrap();
    assert!(home.contains("示例数据"));
    for (rel, bytes) in snapshot_tree(built()) {
        if rel.ends_with(".html") {
            assert!(
                String::from_utf8(bytes).unwrap().contains("示例数据"),
                "{rel} is marked 示例数据"
            );
        }
    }
}

#[test]
fn stats_csv_has_bom_and_every_figure_of_the_source() {
    for (key, values) in sources() {
        let bytes = fs::read(built().join(&key).join("stats.csv")).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{key}: BOM");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let (year, township) = key.split_once('/').unwrap();
        let rows: BTreeMap<String, String> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                assert_eq!(
                    (&r[0], &r[2]),
                    (township, year),
                    "{key}: each row names its report"
                );
                (r[3].to_string(), r[6].to_string())
            })
            .collect();
        for (id, value) in &values {
            let shown = &rows[id];
            match value {
                Some(v) => assert!(same_number(shown, v), "{key} {id}: {shown} vs {v}"),
                None => assert_eq!(shown, "", "{key} {id}: blank stays blank"),
            }
        }
    }
}

#[test]
fn stats_json_keeps_null_apart_from_zero() {
    let mut saw_null = false;
    let mut saw_zero = false;
    for (key, values) in sources() {
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(built().join(&key).join("stats.json")).unwrap())
                .unwrap();
        // Version 2: values keyed by item id; the labels and units are in the format's
        // dictionary, at the address stats.json gives relative to itself.
        assert_eq!(json["version"], 2);
        let dictionary_path = built()
            .join(&key)
            .join(json["dictionary"].as_str().unwrap());
        let dictionary: serde_json::Value =
            serde_json::from_slice(&fs::read(&dictionary_path).unwrap()).unwrap();
        assert_eq!(dictionary["format"], json["format"]);
        let items: Vec<&str> = dictionary["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        let by_id: BTreeMap<&str, &serde_json::Value> = json["values"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(id, v)| (id.as_str(), v))
            .collect();
        assert_eq!(
            json["values"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect::<BTreeSet<_>>(),
            items.iter().copied().collect::<BTreeSet<_>>(),
            "{key}: one value per item of the dictionary"
        );
        for (id, value) in &values {
            let shown = by_id[id.as_str()];
            match value {
                Some(v) => {
                    assert!(
                        same_number(&shown.to_string(), v),
                        "{key} {id}: {shown} vs {v}"
                    );
                    saw_zero |= v == "0";
                }
                None => {
                    assert!(shown.is_null(), "{key} {id}: blank is null, not {shown}");
                    saw_null = true;
                }
            }
        }
    }
    assert!(saw_null && saw_zero);
}

/// The cells of a workbook's first sheet, row by row.
fn first_sheet(path: &Path) -> Vec<Data> {
    let bytes = fs::read(path).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range.rows().flat_map(|row| row.iter().cloned()).collect()
}

fn xlsx_numbers(path: &Path) -> Vec<f64> {
    first_sheet(path)
        .into_iter()
        .filter_map(|c| match c {
            Data::Float(f) => Some(f),
            Data::Int(i) => Some(i as f64),
            _ => None,
        })
        .collect()
}

#[test]
fn stats_xlsx_read_back_equals_the_source() {
    for (key, values) in sources() {
        let numbers = xlsx_numbers(&built().join(&key).join("stats.xlsx"));
        // The workbook lists the reported figures in official order (row by row); blank cells are
        // empty, so a blank written as 0 would shift this sequence.
        let format_id =
            fs::read_to_string(demo_root().join("content").join(&key).join("stats.yaml")).unwrap();
        let format = nianbao::schema::format(
            format_id
                .lines()
                .next()
                .unwrap()
                .trim_start_matches("format: "),
        )
        .unwrap();
        let by_id: BTreeMap<&str, &Option<String>> =
            values.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let expected: Vec<f64> = format
            .cells
            .iter()
            .filter_map(|c| by_id.get(c.id.as_str()).and_then(|v| v.as_ref()))
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(numbers, expected, "{key}");
    }
}

#[test]
fn all_csv_and_json_hold_every_figure() {
    let bytes = fs::read(built().join("data/all.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: BTreeMap<(String, String), String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                (format!("{}/{}", &r[0], &r[1]), r[4].to_string()),
                r[7].to_string(),
            )
        })
        .collect();
    // all.json (version 2): one object per report, its values keyed by item id.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(built().join("data/all.json")).unwrap()).unwrap();
    assert_eq!(json["version"], 2);
    let json_values: BTreeMap<(String, String), serde_json::Value> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            let key = format!("{}/{}", r["year"], r["township"].as_str().unwrap());
            r["values"]
                .as_object()
                .unwrap()
                .iter()
                .map(move |(id, v)| ((key.clone(), id.clone()), v.clone()))
        })
        .collect();
    assert_eq!(json_values.len(), rows.len());
    for (cell, shown) in &rows {
        let value = &json_values[cell];
        match shown.as_str() {
            "" => assert!(value.is_null(), "{cell:?}: blank is null"),
            text => assert!(same_number(&value.to_string(), text), "{cell:?}"),
        }
    }
    let mut count = 0;
    for (key, values) in sources() {
        for (id, value) in values {
            let shown = &rows[&(key.clone(), id.clone())];
            match &value {
                Some(v) => assert!(same_number(shown, v), "{key} {id}"),
                None => assert_eq!(shown, ""),
            }
            count += 1;
        }
    }
    assert_eq!(count, rows.len(), "nothing more, nothing less");
}

#[test]
fn compare_xlsx_matches_compare_csv() {
    for slug in ["qingshan", "baisha", "donghu", "liulin"] {
        let dir = built().join("townships").join(slug);
        let bytes = fs::read(dir.join("compare.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        // Long CSV is indicator-major, year-minor: the same order as the workbook's rows and columns.
        let csv_numbers: Vec<f64> = reader
            .records()
            .filter_map(|r| {
                let r = r.unwrap();
                (&r[8] == "已填报" || &r[8] == "部分填报").then(|| r[7].parse().unwrap())
            })
            .collect();
        assert_eq!(
            xlsx_numbers(&dir.join("compare.xlsx")),
            csv_numbers,
            "{slug}"
        );
    }
}

#[test]
fn compare_csv_golden_baisha() {
    // 白沙乡 used the 2019 layout again in 2022: the comparison must follow the printed format.
    let bytes = fs::read(built().join("townships/baisha/compare.csv")).unwrap();
    insta::assert_snapshot!("compare_baisha_csv", String::from_utf8(bytes).unwrap());
}

#[test]
fn compare_csv_golden_donghu_with_a_missing_year() {
    let bytes = fs::read(built().join("townships/donghu/compare.csv")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let rows_2020: Vec<&str> = text.lines().filter(|l| l.contains(",2020,")).collect();
    assert!(
        !rows_2020.is_empty(),
        "the year without a report has its rows"
    );
    assert!(
        rows_2020
            .iter()
            .all(|l| l.contains(",未发布,") && l.starts_with("donghu,东湖街道,2020,,")),
        "marked 未发布, with no format and no figure: {rows_2020:?}"
    );
    insta::assert_snapshot!("compare_donghu_csv", text);
}

fn fragment<'a>(html: &'a str, start: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"));
    let end = at + html[at..].find("</table>").unwrap() + "</table>".len();
    &html[at..end]
}

#[test]
fn year_table_golden_2022() {
    let html = fs::read_to_string(built().join("2022/index.html")).unwrap();
    insta::assert_snapshot!(
        "year_2022_table",
        fragment(&html, "<table class=\"compare sortable\"")
    );
}

#[test]
fn county_table_golden() {
    let html = fs::read_to_string(built().join("county/index.html")).unwrap();
    insta::assert_snapshot!("county_table", fragment(&html, "<table class=\"compare\""));
}

#[test]
fn township_page_shows_boundaries_notes_and_gaps() {
    let html = fs::read_to_string(built().join("townships/donghu/index.html")).unwrap();
    assert!(
        html.contains("class=\"year boundary\""),
        "format boundary visible"
    );
    assert!(html.contains("id=\"note-1\""), "≈ footnotes");
    assert!(html.contains("<svg class=\"chart\""), "charts");
    assert!(
        !html.contains(">2020</a>")
            && html.contains("2020<span class=\"unpublished\">（未发布）</span>"),
        "the missing year is a column marked 未发布, not a link to a page that does not exist"
    );
    assert!(html.contains("2020 年度未发布报告。"), "the legend says so");
    assert!(
        html.contains("2020年 无数据") || !html.contains("2019年 "),
        "the chart says the year is missing"
    );
}

#[test]
fn demo_is_reproducible_from_the_generator() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--example",
            "gen_corpus",
            "--",
            "--demo",
            "--out",
        ])
        .arg(&out)
        .current_dir(repo_root())
        .status()
        .unwrap();
    assert!(status.success());
    let committed: Vec<_> = snapshot_tree(&demo_root())
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public") && !p.starts_with(".nianbao-cache"))
        .collect();
    assert_eq!(
        snapshot_tree(&out),
        committed,
        "examples/demo is exactly what gen_corpus --demo writes"
    );
}

/// Strings of a workbook's first sheet, row by row.
fn xlsx_strings(path: &Path) -> Vec<String> {
    first_sheet(path)
        .into_iter()
        .filter_map(|c| match c {
            Data::String(s) => Some(s),
            _ => None,
        })
        .collect()
}

#[test]
fn page_csv_and_xlsx_agree_on_which_years_compare() {
    for slug in ["qingshan", "baisha", "donghu", "liulin"] {
        let dir = built().join("townships").join(slug);
        let bytes = fs::read(dir.join("compare.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (why, change) = (col("comparability"), col("change"));
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let different = records
            .iter()
            .filter(|r| &r[why] == "different_definition")
            .count();
        let changed = records.iter().filter(|r| !r[change].is_empty()).count();
        assert!(
            records
                .iter()
                .all(|r| r[change].is_empty() || matches!(&r[why], "same_format" | "same_quantity")),
            "{slug}: a change only between figures that mean the same thing"
        );
        let page = fs::read_to_string(dir.join("index.html")).unwrap();
        let marker = "<span class=\"visually-hidden\">比上年</span>";
        let page_changes: Vec<&str> = page
            .split(marker)
            .skip(1)
            .map(|rest| &rest[..rest.find("</span>").unwrap()])
            .collect();
        assert_eq!(
            page_changes.iter().filter(|t| **t == "口径不同").count(),
            different,
            "{slug}: the page says 口径不同 where the CSV says different_definition"
        );
        assert_eq!(
            page_changes
                .iter()
                .filter(|t| t.starts_with('+') || t.starts_with('-'))
                .count(),
            changed,
            "{slug}: the page shows a change exactly where the CSV has one"
        );
        let sheet = xlsx_strings(&dir.join("compare.xlsx"));
        // A footnoted figure's 比上年 cell carries its mark (≈注N) on a line of its own.
        assert_eq!(
            sheet
                .iter()
                .filter(|s| s.lines().next() == Some("口径不同"))
                .count(),
            different,
            "{slug}: the workbook agrees"
        );
    }
    // The demo has both kinds: 白沙乡 crosses 2014 → 2019 → 2021 → 2019 → 2021 forms.
    let baisha = fs::read_to_string(built().join("townships/baisha/compare.csv")).unwrap();
    assert!(baisha.contains(",≈,different_definition,,,"));
    assert!(baisha.contains(",=,same_quantity,"));
}

/// The charts draw a line between two years exactly where compare.csv computes a change: never
/// across a ≈ or ✗ boundary, a missing year or a blank.
#[test]
fn chart_lines_join_exactly_the_years_compare_csv_compares() {
    for slug in ["qingshan", "baisha", "donghu", "liulin", "xinhe"] {
        let dir = built().join("townships").join(slug);
        let bytes = fs::read(dir.join("compare.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (indicator, change) = (col("indicator"), col("change"));
        let mut changes: BTreeMap<String, usize> = BTreeMap::new();
        for r in reader.records().map(Result::unwrap) {
            *changes.entry(r[indicator].replace('.', "-")).or_default() +=
                usize::from(!r[change].is_empty());
        }
        let page = fs::read_to_string(dir.join("index.html")).unwrap();
        let mut charts = 0;
        for svg in page.split("<svg class=\"chart\" id=\"chart-").skip(1) {
            let id = &svg[..svg.find('"').unwrap()];
            let body = &svg[..svg.find("</svg>").unwrap()];
            let lines = body.matches("<line class=\"line\"").count();
            assert_eq!(
                Some(&lines),
                changes.get(id),
                "{slug} {id}: the chart joins as many year pairs as the CSV has changes"
            );
            charts += 1;
        }
        assert!(charts > 0 || slug == "xinhe", "{slug} has charts");
    }
}
