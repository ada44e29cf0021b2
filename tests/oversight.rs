//! Oversight for the 政务公开办: deadlines, the /audit/ page and its downloads, `nianbao audit`,
//! township publication records, and each year's own key figures — all with known answers.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Fixture, run_in};

fn build(f: &Fixture) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let (code, _, stderr) = run_in(f.root(), "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// audit.csv as (year, township) → the other columns, without the BOM.
fn audit_rows(out: &Path) -> Vec<Vec<String>> {
    let text = read(out, "audit/audit.csv");
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "year,township,name,status,published,deadline,days_late,errors,warnings,rule_warnings,has_table,blank_cells,total_cells,as_of"
        )
    );
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], year: &str, township: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == year && r[1] == township)
        .unwrap_or_else(|| panic!("no row {year} {township}"))
}

/// A site with every status: alpha on time (2018) and late (2019), beta set up in 2019 with an
/// unknown date, gamma merged away after 2018 and missing in 2018.
fn every_status() -> Fixture {
    let f = Fixture::new();
    // As of mid-2020: 2019 is the last year due.
    f.edit(
        "site.toml",
        "as_of = \"2021-06-30\"",
        "as_of = \"2020-06-30\"",
    );
    f.write(
        "content/townships.yaml",
        "- slug: alpha\n  name: 甲镇\n  kind: 镇\n  order: 1\n- slug: beta\n  name: 乙乡\n  kind: 乡\n  order: 2\n  since: 2019\n- slug: gamma\n  name: 丙镇\n  kind: 镇\n  order: 3\n  until: 2018\n",
    );
    f.remove("content/2020");
    f.write(
        "content/2019/alpha/report.md",
        "---\npublished: 2020-02-03\n---\n正文。\n",
    );
    f.write(
        "content/2019/beta/report.md",
        "---\npublished: ~\n---\n正文。\n",
    );
    f
}

#[test]
fn every_status_has_its_known_answer_in_the_csv_and_the_page() {
    let f = every_status();
    let (_tmp, out) = build(&f);
    let rows = audit_rows(&out);
    assert_eq!(rows.len(), 6, "3 townships × 2019–2018");
    // Report years up to 2018 are due 03-31 of the next year, from 2019 on 01-31.
    assert_eq!(
        row(&rows, "2018", "alpha"),
        [
            "2018",
            "alpha",
            "甲镇",
            "on_time",
            "2019-03-01",
            "2019-03-31",
            "0",
            "0",
            "0",
            "0",
            "true",
            "53",
            "58",
            "2020-06-30"
        ]
    );
    assert_eq!(
        row(&rows, "2019", "alpha")[3..7],
        ["late", "2020-02-03", "2020-01-31", "3"]
    );
    assert_eq!(
        row(&rows, "2019", "beta")[3..7],
        ["date_unknown", "", "2020-01-31", ""]
    );
    assert_eq!(row(&rows, "2018", "beta")[3], "not_required");
    assert_eq!(
        row(&rows, "2018", "gamma")[3..],
        [
            "missing",
            "",
            "2019-03-31",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "2020-06-30"
        ]
    );
    assert_eq!(row(&rows, "2019", "gamma")[3], "not_required");
    let page = read(&out, "audit/index.html");
    for text in [
        "按时",
        "逾期 3 天",
        "日期未注明",
        "未发布",
        "不需发布",
        "2019-03-01",
    ] {
        assert!(page.contains(text), "the page shows {text}");
    }
    // Per year: published n/m and on time n/m of the townships that had to publish.
    assert!(
        page.contains("<td class=\"num\">2/2</td>\n      <td class=\"num\">0/2</td>"),
        "2019: 2/2 published, 0/2 on time"
    );
    assert!(
        page.contains("<td class=\"num\">1/2</td>\n      <td class=\"num\">1/2</td>"),
        "2018: 1/2, 1/2"
    );
    let xlsx = fs::read(out.join("audit/audit.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"), "audit.xlsx is a workbook");
    // The township page shows its record.
    let alpha = read(&out, "townships/alpha/index.html");
    assert!(
        alpha.contains("逾期 3 天") && alpha.contains("2020-01-31"),
        "alpha's record"
    );
    let beta = read(&out, "townships/beta/index.html");
    assert!(
        !beta.contains("2018</th>"),
        "beta did not have to publish in 2018"
    );
}

#[test]
fn a_county_deadline_and_a_year_s_exception_override_the_law() {
    let f = every_status();
    f.edit(
        "site.toml",
        "[portal]",
        "[deadlines]\ndefault = \"02-20\"\n[[deadlines.exception]]\nyear = 2018\ndue = \"2019-02-28\"\nnote = \"经县政务公开办同意提前\"\n\n[portal]",
    );
    let (_tmp, out) = build(&f);
    let rows = audit_rows(&out);
    assert_eq!(
        row(&rows, "2019", "alpha")[3..7],
        ["on_time", "2020-02-03", "2020-02-20", "0"]
    );
    assert_eq!(
        row(&rows, "2018", "alpha")[3..7],
        ["late", "2019-03-01", "2019-02-28", "1"]
    );
    assert!(read(&out, "audit/index.html").contains("经县政务公开办同意提前"));
    // The lateness warning of check follows the same deadline.
    let (_, _, stderr) = run_in(f.root(), "check", &[]);
    assert!(
        stderr.contains(
            "公开日期 2019-03-01 晚于公开期限 2019-02-28（经县政务公开办同意提前），逾期 1 天"
        ),
        "{stderr}"
    );
    // A bad deadline is a located error in Chinese.
    f.edit("site.toml", "default = \"02-20\"", "default = \"2-20\"");
    let (code, _, stderr) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("site.toml:") && stderr.contains("不是有效的“月-日”"),
        "{stderr}"
    );
}

#[test]
fn nianbao_audit_reports_and_exits_for_ci() {
    let f = every_status();
    // gamma is missing in 2018: not passed.
    let (code, stdout, stderr) = run_in(f.root(), "audit", &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("2018 年度：已发布 1/2，按时 1/2"),
        "{stdout}"
    );
    assert!(stdout.contains("丙镇（gamma）：未发布"), "{stdout}");
    // 2019 alone: late and unknown date pass unless --strict.
    let (code, stdout, _) = run_in(f.root(), "audit", &["--year", "2019"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("2018 年度"));
    let (code, _, _) = run_in(f.root(), "audit", &["--year", "2019", "--strict"]);
    assert_eq!(code, 1, "--strict fails on lateness and unknown dates");
    let (code, _, stderr) = run_in(f.root(), "audit", &["--year", "2030"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("2030 年度不在督查范围内"), "{stderr}");
    // JSON and CSV carry the same statuses as the site's audit.csv.
    let (_, json, _) = run_in(f.root(), "audit", &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    let cells = doc["cells"].as_array().unwrap();
    let late = cells
        .iter()
        .find(|c| c["township"] == "alpha" && c["year"] == 2019)
        .unwrap();
    assert_eq!(
        (late["status"].as_str(), late["days_late"].as_i64()),
        (Some("late"), Some(3))
    );
    let (_, csv, _) = run_in(f.root(), "audit", &["--format", "csv"]);
    let (_tmp, out) = build(&f);
    assert_eq!(
        csv,
        read(&out, "audit/audit.csv"),
        "the command prints the site's audit.csv"
    );
    // --output writes the same bytes to a file (PowerShell's `>` would re-encode them).
    let file = f.root().join("督查.csv");
    let (code, _, stderr) = run_in(
        f.root(),
        "audit",
        &["--format", "csv", "--output", file.to_str().unwrap()],
    );
    assert_eq!(code, 1, "the same verdict as printing: {stderr}");
    assert_eq!(
        fs::read(&file).unwrap(),
        read(&out, "audit/audit.csv").into_bytes()
    );
    // The text report can be written to a file too.
    let text = f.root().join("督查.txt");
    let (code, _, _) = run_in(f.root(), "audit", &["--output", text.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        fs::read_to_string(&text)
            .unwrap()
            .contains("2018 年度：已发布 1/2")
    );
}

#[test]
fn a_broken_report_is_counted_not_hidden() {
    let f = every_status();
    f.write(
        "content/2018/gamma/report.md",
        "---\npublished: 2019-13-01\n---\n正文。\n",
    );
    let (code, stdout, _) = run_in(f.root(), "audit", &[]);
    assert_eq!(code, 1);
    // The report exists: it is never missing; its date cannot be read.
    assert!(
        stdout.contains("丙镇（gamma）：日期未注明，1 个错误"),
        "{stdout}"
    );
    assert!(
        stdout.contains("甲镇（alpha）：逾期 3 天"),
        "the others are still audited: {stdout}"
    );
}

/// The example: a 2018 site whose reports say 主动公开政府信息数 147 and 60 shows both and
/// their total 207 on its year page, in figures.csv and on the county page.
#[test]
fn a_2014_form_year_shows_its_own_key_figures_with_county_totals() {
    let f = Fixture::new();
    f.edit(
        "content/2018/alpha/stats.yaml",
        "proactive.total: 10",
        "proactive.total: 147",
    );
    f.write(
        "content/2018/beta/report.md",
        "---\npublished: 2019-03-20\n---\n正文。\n",
    );
    f.write(
        "content/2018/beta/stats.yaml",
        "format: gov-2014\nvalues:\n  proactive.total: 60\n  applications.received: 4\n",
    );
    let (_tmp, out) = build(&f);
    let year = read(&out, "2018/index.html");
    let section = &year[year
        .find("本年度各表格格式的主要指标")
        .expect("the section")..];
    assert!(section.contains("主动公开政府信息数"));
    for figure in [">147<", ">60<", ">207<"] {
        assert!(section.contains(figure), "the year page shows {figure}");
    }
    assert!(
        section.contains("2 个乡镇"),
        "both reported 主动公开政府信息数"
    );
    assert!(
        section.contains(">4<span class=\"change\">1/2 个乡镇填报</span>"),
        "收到申请数: one of two, blank is not 0"
    );
    let csv = read(&out, "2018/figures.csv");
    assert!(
        csv.contains(
            "2018,gov-2014,proactive.total,主动公开政府信息数,条,_total,测试县合计,207,2,2"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("2018,gov-2014,proactive.total,主动公开政府信息数,条,alpha,甲镇,147,,"),
        "{csv}"
    );
    assert!(
        csv.contains("applications.received,收到申请数,件,alpha,甲镇,,,"),
        "blank stays blank: {csv}"
    );
    let county = read(&out, "county/index.html");
    assert!(
        county.contains(">207<span class=\"change\">2 个乡镇</span>"),
        "the county page"
    );
    assert!(out.join("2018/figures.xlsx").is_file());
}

/// A rule break is shown beside its figure in the report's table, in words a reader understands,
/// with the rule; the oversight page counts it and links there.
#[test]
fn a_rule_break_is_shown_beside_its_row_and_counted_on_the_audit_page() {
    let f = Fixture::new();
    f.edit(
        "content/2018/alpha/stats.yaml",
        "complaints.total: 0",
        "complaints.total: 0\n  applications.closed: 35\n  applications.closed.on_time: 40\n  applications.closed.extended: 8",
    );
    let (_tmp, out) = build(&f);
    let page = read(&out, "2018/alpha/index.html");
    assert!(
        page.contains("<td class=\"num flagged\" data-id=\"applications.closed\">35<a class=\"rule-ref\" href=\"#finding-1\">"),
        "the marker is beside 申请办结数"
    );
    assert!(page.contains("<li id=\"finding-1\">"));
    assert!(
        page.contains("申请办结数等于按时办结数加延期办结数；原表中一边合计为 35，另一边为 48")
    );
    assert!(page.contains("不满足规则 A-R6"), "the rule is named");
    let rows = audit_rows(&out);
    assert_eq!(row(&rows, "2018", "alpha")[8], "1", "one rule warning");
    let audit = read(&out, "audit/index.html");
    assert!(audit.contains("href=\"../2018/alpha/index.html#findings\">1 条核对提示</a>"));
}
