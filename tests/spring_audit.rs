//! The spring audit: the oversight as of a day — every year that was due is audited whether or
//! not anybody published it, what is not yet due is never missing, a report with errors keeps
//! its row, a table's cells are the ones that can be filled, a report without a table is a
//! finding, and `audit` and `check` count the same findings. Every output form agrees.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Fixture, run_in};

const TOWNSHIPS: &str = "\
- slug: alpha
  name: 甲镇
  kind: 镇
  order: 1
- slug: beta
  name: 乙乡
  kind: 乡
  order: 2
- slug: gamma
  name: 丙镇
  kind: 镇
  order: 3
";

/// The 2019 form with two figures: enough for a valid table.
const STATS_2019: &str = "\
format: gov-2019
values:
  apps.new_received.natural_person: 2
  apps.new_received.total: 2
";

/// A county of three townships that published 2019–2021 on time, and nothing since.
fn county() -> Fixture {
    let f = Fixture::empty();
    f.write(
        "site.toml",
        "title = \"测试县年报\"\nbase_url = \"https://example.gov.cn/nianbao/\"\n\n[portal]\nregion = \"测试县\"\n",
    );
    f.write("content/townships.yaml", TOWNSHIPS);
    for year in 2019..=2021 {
        for slug in ["alpha", "beta", "gamma"] {
            publish(&f, year, slug, &format!("{}-01-20", year + 1));
        }
    }
    f
}

fn publish(f: &Fixture, year: u16, slug: &str, published: &str) {
    f.write(
        &format!("content/{year}/{slug}/report.md"),
        &format!("---\npublished: {published}\n---\n正文。\n"),
    );
    f.write(&format!("content/{year}/{slug}/stats.yaml"), STATS_2019);
}

fn audit(f: &Fixture, args: &[&str]) -> (i32, String, String) {
    run_in(f.root(), "audit", args)
}

/// `audit --format csv` as rows of named fields.
fn csv_rows(f: &Fixture, args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut all = vec!["--format", "csv"];
    all.extend_from_slice(args);
    let (_, out, err) = audit(f, &all);
    let text = out
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("BOM: {out}{err}"));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

/// `audit --format json`.
fn json(f: &Fixture, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (_, out, err) = audit(f, &all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))
}

fn status_of(rows: &[BTreeMap<String, String>], year: &str, slug: &str) -> String {
    rows.iter()
        .find(|r| r["year"] == year && r["township"] == slug)
        .unwrap_or_else(|| panic!("no row {year} {slug}"))["status"]
        .clone()
}

#[test]
fn years_nobody_published_are_audited_up_to_the_year_before_the_as_of_day() {
    let f = county();
    let (code, out, err) = audit(&f, &["--as-of", "2025-03-01"]);
    assert_eq!(code, 1, "four years are missing: {out}{err}");
    assert!(out.contains("督查截至 2025-03-01"), "{out}");
    for year in 2022..=2024 {
        assert!(
            out.contains(&format!(
                "{year} 年度：已发布 0/3，按时 0/3，逾期 0，日期未注明 0，未发布 3，未到期 0"
            )),
            "{year}: {out}"
        );
    }
    assert!(
        !out.contains("2025 年度"),
        "2025 is not due before 2026: {out}"
    );
    let rows = csv_rows(&f, &["--as-of", "2025-03-01"]);
    assert_eq!(rows.len(), 3 * 6, "2019–2024 for three townships");
    for slug in ["alpha", "beta", "gamma"] {
        assert_eq!(status_of(&rows, "2024", slug), "missing");
        assert_eq!(status_of(&rows, "2021", slug), "on_time");
    }
    // --year takes a year nobody published.
    let (code, out, _) = audit(&f, &["--as-of", "2025-03-01", "--year", "2024"]);
    assert_eq!(code, 1);
    assert!(out.contains("2024 年度：已发布 0/3"), "{out}");
    assert!(!out.contains("2021 年度"), "{out}");
}

#[test]
fn before_the_deadline_the_last_year_is_not_due_and_does_not_fail() {
    let f = county();
    // 2022 is due 2023-01-31: on 2023-01-15 nobody is late yet.
    let (code, out, err) = audit(&f, &["--as-of", "2023-01-15", "--year", "2022"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("2022 年度：已发布 0/0，按时 0/0，逾期 0，日期未注明 0，未发布 0，未到期 3"),
        "{out}"
    );
    assert!(err.contains("督查通过"), "{err}");
    let rows = csv_rows(&f, &["--as-of", "2023-01-15"]);
    for slug in ["alpha", "beta", "gamma"] {
        assert_eq!(status_of(&rows, "2022", slug), "not_due");
    }
    // The day after the deadline they are missing.
    let (code, out, _) = audit(&f, &["--as-of", "2023-02-01", "--year", "2022"]);
    assert_eq!(code, 1);
    assert!(out.contains("未发布 3，未到期 0"), "{out}");
}

#[test]
fn a_township_that_publishes_early_makes_the_others_not_due_not_missing() {
    let f = county();
    publish(&f, 2022, "beta", "2023-01-10");
    let (code, out, err) = audit(&f, &["--as-of", "2023-01-20", "--year", "2022"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("2022 年度：已发布 1/1，按时 1/1，逾期 0，日期未注明 0，未发布 0，未到期 2"),
        "{out}"
    );
    let rows = csv_rows(&f, &["--as-of", "2023-01-20", "--year", "2022"]);
    let statuses: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["township"].clone(), r["status"].clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("alpha".to_string(), "not_due".to_string()),
            ("beta".to_string(), "on_time".to_string()),
            ("gamma".to_string(), "not_due".to_string()),
        ]
    );
    // The as-of year's own early report is audited too (the year after 2022 has none yet).
    let (_, out, _) = audit(&f, &["--as-of", "2023-01-20"]);
    assert!(out.contains("2022 年度"), "{out}");
    assert!(!out.contains("2023 年度"), "{out}");
}

#[test]
fn with_no_report_at_all_the_registry_s_years_are_audited() {
    let f = Fixture::empty();
    f.write(
        "site.toml",
        "title = \"测试县年报\"\nbase_url = \"https://example.gov.cn/nianbao/\"\n",
    );
    f.write(
        "content/townships.yaml",
        "- slug: alpha\n  name: 甲镇\n  kind: 镇\n  since: 2021\n",
    );
    fs::create_dir_all(f.root().join("content/2021")).unwrap();
    let rows = csv_rows(&f, &["--as-of", "2023-02-01"]);
    let years: Vec<&str> = rows.iter().map(|r| r["year"].as_str()).collect();
    assert_eq!(
        years,
        ["2022", "2021"],
        "newest first, from since to the last due year"
    );
    assert!(rows.iter().all(|r| r["status"] == "missing"));
}

/// `published` 31 days after the 2020-01-31 deadline for 2019, and a figure that is not a
/// number: the report has an error, and keeps its row.
#[test]
fn a_report_with_a_bad_figure_keeps_its_lateness_in_every_form() {
    let f = county();
    publish(&f, 2019, "beta", "2020-03-02");
    f.write(
        "content/2019/beta/stats.yaml",
        "format: gov-2019\nvalues:\n  apps.new_received.total: 十二\n",
    );
    let (code, out, _) = audit(&f, &["--as-of", "2022-06-30", "--year", "2019"]);
    assert_eq!(code, 1, "an error fails the audit: {out}");
    assert!(out.contains("逾期 31 天"), "{out}");
    assert!(
        out.contains("2019 年度：已发布 3/3，按时 2/3，逾期 1"),
        "{out}"
    );
    let rows = csv_rows(&f, &["--as-of", "2022-06-30", "--year", "2019"]);
    let beta = rows.iter().find(|r| r["township"] == "beta").unwrap();
    assert_eq!(beta["status"], "late");
    assert_eq!(beta["days_late"], "31");
    assert_eq!(beta["published"], "2020-03-02");
    assert_ne!(beta["errors"], "0");
    let doc = json(&f, &["--as-of", "2022-06-30", "--year", "2019"]);
    let cell = doc["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["township"] == "beta")
        .unwrap();
    assert_eq!(cell["status"], "late");
    assert_eq!(cell["days_late"], 31);
    assert_eq!(doc["years"][0]["late"], 1);
}

#[test]
fn a_date_written_by_hand_is_an_error_saying_what_to_write_and_the_report_stays() {
    let f = county();
    publish(&f, 2019, "alpha", "2019年4月10日");
    let (code, _, err) = run_in(f.root(), "check", &["--as-of", "2022-06-30"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/2019/alpha/report.md:2"), "{err}");
    assert!(
        err.contains("公开日期 published「2019年4月10日」不是有效日期"),
        "{err}"
    );
    assert!(err.contains("应写成 published: 2019-04-10"), "{err}");
    let rows = csv_rows(&f, &["--as-of", "2022-06-30", "--year", "2019"]);
    let alpha = rows.iter().find(|r| r["township"] == "alpha").unwrap();
    assert_eq!(alpha["status"], "date_unknown");
    assert_ne!(alpha["errors"], "0");
    assert_eq!(alpha["has_table"], "true", "its table still counts");
    let (_, out, _) = audit(&f, &["--as-of", "2022-06-30", "--year", "2019"]);
    assert!(out.contains("甲镇（alpha）：日期未注明，1 个错误"), "{out}");
    assert!(out.contains("已发布 3/3"), "{out}");
}

#[test]
fn a_2014_form_counts_its_fillable_cells_and_a_heading_only_when_printed_on() {
    use nianbao::schema;
    let format = schema::format("gov-2014").expect("the 2014 form");
    let headings = format.cells.iter().filter(|c| c.heading).count();
    let fillable = format.cells.len() - headings;
    assert_eq!(fillable, 58, "the 2014 form has 58 cells to fill");
    let heading = format.cells.iter().find(|c| c.heading).expect("a heading");
    let f = county();
    f.write(
        "content/2016/alpha/report.md",
        "---\npublished: 2017-03-01\n---\n正文。\n",
    );
    f.write(
        "content/2016/alpha/stats.yaml",
        "format: gov-2014\nvalues:\n  proactive.total: 10\n",
    );
    f.write(
        "content/2016/beta/report.md",
        "---\npublished: 2017-03-01\n---\n正文。\n",
    );
    f.write(
        "content/2016/beta/stats.yaml",
        &format!(
            "format: gov-2014\nvalues:\n  proactive.total: 10\n  {}: 1\n",
            heading.id
        ),
    );
    let rows = csv_rows(&f, &["--as-of", "2022-06-30", "--year", "2016"]);
    let alpha = rows.iter().find(|r| r["township"] == "alpha").unwrap();
    assert_eq!(alpha["total_cells"], fillable.to_string());
    assert_eq!(alpha["blank_cells"], (fillable - 1).to_string());
    let beta = rows.iter().find(|r| r["township"] == "beta").unwrap();
    assert_eq!(beta["total_cells"], (fillable + 1).to_string());
    assert_eq!(beta["blank_cells"], (fillable - 1).to_string());
}

#[test]
fn a_report_without_a_table_is_a_finding_in_every_form() {
    let f = county();
    fs::remove_file(f.root().join("content/2020/gamma/stats.yaml")).unwrap();
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "a warning, not an error: {err}");
    assert!(err.contains("content/2020/gamma"), "{err}");
    assert!(err.contains("报告没有统计表"), "{err}");
    let (code, _, err) = run_in(f.root(), "check", &["--strict"]);
    assert_eq!(code, 1, "--strict refuses it: {err}");
    let (code, out, _) = audit(&f, &["--as-of", "2022-06-30", "--year", "2020"]);
    assert_eq!(code, 0);
    assert!(out.contains("丙镇（gamma）：1 条警告，无统计表"), "{out}");
    let (code, _, _) = audit(&f, &["--as-of", "2022-06-30", "--year", "2020", "--strict"]);
    assert_eq!(code, 1, "--strict counts it");
    let rows = csv_rows(&f, &["--as-of", "2022-06-30", "--year", "2020"]);
    let gamma = rows.iter().find(|r| r["township"] == "gamma").unwrap();
    assert_eq!(gamma["has_table"], "false");
    assert_eq!(gamma["warnings"], "1");
    assert_eq!(gamma["total_cells"], "", "no table: no cells, not 0");
    let doc = json(&f, &["--as-of", "2022-06-30", "--year", "2020"]);
    let cell = doc["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["township"] == "gamma")
        .unwrap();
    assert_eq!(cell["has_table"], false);
    assert!(cell["total_cells"].is_null());
    // The workbook and the page.
    let xlsx = f.root().join("督查.xlsx");
    let (code, _, err) = audit(
        &f,
        &[
            "--as-of",
            "2022-06-30",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let sheet = sheet_text(&xlsx, "督查");
    assert!(sheet.contains("无统计表"), "{sheet}");
    let out = f.root().join("public");
    let (code, _, err) = run_in(
        f.root(),
        "build",
        &["--as-of", "2022-06-30", "--output", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let page = fs::read_to_string(out.join("audit/index.html")).unwrap();
    assert!(page.contains("无统计表"), "the page says it");
    let csv = fs::read_to_string(out.join("audit/audit.csv")).unwrap();
    assert!(
        csv.contains("2020,gamma,丙镇,on_time,2021-01-20,2021-01-31,0,0,1,,false,,,2022-06-30"),
        "{csv}"
    );
}

/// Every cell of a sheet as text, a row a line.
fn sheet_text(path: &Path, name: &str) -> String {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).expect("an xlsx");
    let range = book.worksheet_range(name).expect("the sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_workbook_speaks_chinese_and_sums_up_years_and_townships() {
    let f = county();
    publish(&f, 2022, "beta", "2023-02-10");
    let xlsx = f.root().join("督查.xlsx");
    let (code, _, err) = audit(
        &f,
        &[
            "--as-of",
            "2023-03-01",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "2022 has missing reports: {err}");
    let main = sheet_text(&xlsx, "督查");
    let mut lines = main.lines();
    assert!(lines.next().unwrap().contains("（截至 2023-03-01）"));
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("年度\t乡镇代号\t乡镇\t状态\t公开日期")
    );
    assert!(main.contains("\t逾期 10 天\t"), "{main}");
    assert!(main.contains("\t未发布\t"), "{main}");
    assert!(!main.contains("missing"), "statuses in Chinese: {main}");
    let years = sheet_text(&xlsx, "各年度汇总");
    // 2022: alpha and gamma missing, beta late: required 3, on time 0 → 0 %.
    let y2022 = years
        .lines()
        .find(|l| l.starts_with("2022\t"))
        .expect("2022");
    assert_eq!(y2022, "2022\t3\t1\t0\t1\t0\t2\t0\t0\t2023-01-31", "{years}");
    let y2021 = years
        .lines()
        .find(|l| l.starts_with("2021\t"))
        .expect("2021");
    assert!(
        y2021.starts_with("2021\t3\t3\t3\t0\t0\t0\t0\t100\t"),
        "{years}"
    );
    let townships = sheet_text(&xlsx, "各乡镇汇总");
    // beta: 2019–2021 on time, 2022 late: 3 of 4 on time.
    let beta = townships
        .lines()
        .find(|l| l.starts_with("beta\t"))
        .expect("beta");
    assert_eq!(beta, "beta\t乙乡\t4\t4\t3\t1\t0\t0\t0\t75", "{townships}");
}

#[test]
fn audit_and_check_count_the_same_findings_per_report() {
    let f = county();
    publish(&f, 2020, "alpha", "2021-03-15"); // late: a warning
    fs::remove_file(f.root().join("content/2021/beta/stats.yaml")).unwrap(); // no table
    f.write(
        "content/2019/gamma/stats.yaml",
        "format: gov-2019\nvalues:\n  apps.new_received.natural_person: 5\n  apps.new_received.total: 2\n",
    ); // a sum rule broken
    let (_, out, _) = run_in(f.root(), "check", &["--format", "json"]);
    let checked: serde_json::Value = serde_json::from_str(&out).expect("check's JSON");
    let mut per_folder: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for d in checked["diagnostics"].as_array().expect("diagnostics") {
        let file = d["file"].as_str().unwrap();
        let mut parts = file.strip_prefix("content/").unwrap_or("").split('/');
        let (Some(year), Some(slug)) = (parts.next(), parts.next()) else {
            continue;
        };
        let counts = per_folder
            .entry((year.to_string(), slug.to_string()))
            .or_default();
        match d["severity"].as_str() {
            Some("error") => counts.0 += 1,
            _ => counts.1 += 1,
        }
    }
    assert!(per_folder.len() >= 3, "{per_folder:?}");
    let audited = json(&f, &["--as-of", "2022-06-30"]);
    for cell in audited["cells"].as_array().unwrap() {
        let key = (
            cell["year"].to_string(),
            cell["township"].as_str().unwrap().to_string(),
        );
        let (errors, warnings) = per_folder.get(&key).copied().unwrap_or_default();
        assert_eq!(cell["errors"].as_u64().unwrap_or(0), errors, "{key:?}");
        assert_eq!(cell["warnings"].as_u64().unwrap_or(0), warnings, "{key:?}");
    }
}

#[test]
fn one_row_order_filters_quiet_and_a_text_file() {
    let f = county();
    let args = ["--as-of", "2023-03-01"];
    let rows = csv_rows(&f, &args);
    let order: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["year"].clone(), r["township"].clone()))
        .collect();
    let doc = json(&f, &args);
    let json_order: Vec<(String, String)> = doc["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["year"].to_string(),
                c["township"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(order, json_order);
    assert_eq!(
        order[0],
        ("2022".to_string(), "alpha".to_string()),
        "newest year first"
    );
    assert_eq!(order[1].1, "beta", "then townships in display order");
    // --township
    let only = csv_rows(&f, &["--as-of", "2023-03-01", "--township", "beta"]);
    assert_eq!(only.len(), 4);
    assert!(only.iter().all(|r| r["township"] == "beta"));
    let (code, _, err) = audit(&f, &["--township", "delta"]);
    assert_eq!(code, 2);
    assert!(err.contains("乡镇名录中没有代号「delta」"), "{err}");
    // -q: only what fails the audit, each line with its year; no summaries, no verdict.
    let (code, out, err) = audit(&f, &["--as-of", "2023-03-01", "-q"]);
    assert_eq!(code, 1);
    assert!(err.is_empty(), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("2022 年度 ") && l.contains("未发布")),
        "{out}"
    );
    // --output for the text report.
    let file = f.root().join("督查.txt");
    let (code, out, _) = audit(
        &f,
        &["--as-of", "2023-03-01", "--output", file.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("2022 年度：已发布 0/3"), "{text}");
    // A year outside the audit says which years are.
    let (code, _, err) = audit(&f, &["--as-of", "2023-03-01", "--year", "2023"]);
    assert_eq!(code, 2);
    assert!(err.contains("督查的年度：2019—2022"), "{err}");
}

#[test]
fn a_report_after_its_township_was_merged_is_a_warning() {
    let f = county();
    f.write(
        "content/townships.yaml",
        &TOWNSHIPS.replace("  order: 3\n", "  order: 3\n  until: 2020\n"),
    );
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("content/2021/gamma"), "{err}");
    assert!(
        err.contains("丙镇（gamma）在乡镇名录中登记为到 2020 年为止存在，却有 2021 年度的报告"),
        "{err}"
    );
}

#[test]
fn the_audit_page_prints_its_as_of_day_and_what_is_not_due() {
    let f = county();
    publish(&f, 2022, "beta", "2023-01-10");
    let out = f.root().join("public");
    let (code, _, err) = run_in(
        f.root(),
        "build",
        &["--as-of", "2023-01-20", "--output", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let page = fs::read_to_string(out.join("audit/index.html")).unwrap();
    assert!(page.contains("截至 2023-01-20"), "the day is on the page");
    assert!(page.contains("audit-cell not-due"), "not due is shown");
    let township = fs::read_to_string(out.join("townships/alpha/index.html")).unwrap();
    assert!(
        township.contains("未到期"),
        "and in the township's publication record"
    );
    // The same sources built again on the same day give the same bytes; another day rebuilds.
    let before = common::snapshot_tree(&out);
    let (_, _, err) = run_in(
        f.root(),
        "build",
        &["--as-of", "2023-01-20", "--output", out.to_str().unwrap()],
    );
    assert!(err.contains("输出已是最新"), "{err}");
    let (_, _, err) = run_in(
        f.root(),
        "build",
        &["--as-of", "2023-02-01", "--output", out.to_str().unwrap()],
    );
    assert!(err.contains("已生成"), "{err}");
    let page = fs::read_to_string(out.join("audit/index.html")).unwrap();
    assert!(page.contains("截至 2023-02-01"));
    assert!(!page.contains("audit-cell not-due"), "due now: {page}");
    assert_ne!(common::snapshot_tree(&out), before);
}
