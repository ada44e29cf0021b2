//! The oversight page (`/audit/`) and a township's publication record: the audit model
//! ([`crate::site::audit`]) in the words and links of the pages.

use serde::Serialize;
use tera::Context;

use super::save_name;
use crate::plan::urls;
use crate::site::Site;
use crate::site::audit::{self, Cell, Status};

/// One cell of the page: township × year.
#[derive(Debug, Serialize)]
struct CellView {
    /// 按时, 逾期 N 天, …
    status: String,
    /// CSS class: `on-time`, `late`, `missing`, `date-unknown`, `not-required`, `not-due`.
    class: &'static str,
    /// Sort key: days late (on time 0, date unknown and missing after every late report).
    sort: String,
    /// The 公开日期, or empty.
    published: String,
    /// The report page, when there is a report.
    href: Option<String>,
    /// `2 条提示`, `1 个错误`, or empty.
    problems: String,
    /// `空白 12%`, or empty for a report without a table.
    blank: String,
    /// The whole cell as one sentence for screen readers and the title attribute.
    summary: String,
}

#[derive(Debug, Serialize)]
struct RowView {
    name: String,
    href: String,
    cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
struct YearView {
    year: u16,
    href: Option<String>,
    due: String,
    basis: String,
    required: usize,
    published: usize,
    on_time: usize,
    late: usize,
    date_unknown: usize,
    missing: usize,
    not_due: usize,
}

/// One year of a township's publication record.
#[derive(Debug, Serialize)]
struct RecordView {
    year: u16,
    status: String,
    class: &'static str,
    published: String,
    due: String,
    href: Option<String>,
}

/// The CSS class of a status (also the federation's audit page).
pub(crate) fn class(status: Status) -> &'static str {
    match status {
        Status::OnTime => "on-time",
        Status::Late(_) => "late",
        Status::Missing => "missing",
        Status::DateUnknown => "date-unknown",
        Status::NotRequired => "not-required",
        Status::NotDue => "not-due",
    }
}

/// Sort key of a status: the worse, the higher.
pub(crate) fn sort_key(status: Status) -> String {
    match status {
        Status::OnTime => "0".to_string(),
        Status::Late(days) => days.to_string(),
        Status::DateUnknown => "100000".to_string(),
        Status::Missing => "200000".to_string(),
        Status::NotRequired | Status::NotDue => String::new(),
    }
}

fn problems_text(cell: &Cell) -> String {
    match (cell.errors, cell.rule_warnings) {
        (0, 0) => String::new(),
        (0, w) => format!("{w} 条核对提示"),
        (e, 0) => format!("{e} 个错误"),
        (e, w) => format!("{e} 个错误、{w} 条核对提示"),
    }
}

fn blank_text(cell: &Cell) -> String {
    if !cell.has_report() {
        return String::new();
    }
    if !cell.has_table {
        return "无统计表".to_string();
    }
    format!("空白 {}%", blank_percent(cell))
}

/// The share of blank cells, in whole percent rounded half up.
fn blank_percent(cell: &Cell) -> usize {
    (cell.blank_cells * 100 + cell.total_cells / 2) / cell.total_cells.max(1)
}

/// The page of the cell's report, when there is one.
fn report_href(site: &Site, cell: &Cell) -> Option<String> {
    cell.report.map(|i| {
        let r = &site.reports[i];
        urls::report(r.year, &r.township)
    })
}

fn cell_view(site: &Site, cell: &Cell) -> CellView {
    let href = report_href(site, cell);
    let published = cell.published.map(|d| d.to_string()).unwrap_or_default();
    let problems = problems_text(cell);
    let blank = blank_text(cell);
    let mut summary = format!(
        "{}{}年度：{}",
        site.townships[cell.township].name,
        cell.year,
        cell.status.text()
    );
    for part in [&published, &problems, &blank] {
        if !part.is_empty() {
            summary.push('，');
            summary.push_str(part);
        }
    }
    CellView {
        status: cell.status.text(),
        class: class(cell.status),
        sort: sort_key(cell.status),
        published,
        href,
        problems,
        blank,
        summary,
    }
}

/// The context of `/audit/index.html`.
pub(crate) fn page(site: &Site, page: usize, audit: &audit::Audit) -> Context {
    let mut c = Context::new();
    let pages = crate::render::pager::pager(site, "audit", Some(page));
    if pages.is_empty() {
        c.insert("page_title", "督查：各乡镇年报公开情况");
    } else {
        c.insert(
            "page_title",
            &format!("督查：各乡镇年报公开情况（第 {} 页）", page + 1),
        );
    }
    c.insert("page", &(page + 1));
    c.insert("page_count", &pages.len());
    c.insert("pages", &pages);
    let years_with_reports = site.years();
    let years: Vec<YearView> = audit
        .summaries
        .iter()
        .map(|s| {
            let due = site.config.deadlines.due(s.year);
            YearView {
                year: s.year,
                href: years_with_reports
                    .contains(&s.year)
                    .then(|| urls::year(s.year)),
                due: due.as_ref().map(|d| d.date.to_string()).unwrap_or_default(),
                basis: due.map(|d| d.basis).unwrap_or_default(),
                required: s.required,
                published: s.published,
                on_time: s.on_time,
                late: s.late,
                date_unknown: s.date_unknown,
                missing: s.missing,
                not_due: s.not_due,
            }
        })
        .collect();
    let range = crate::plan::list_range(site.townships.len(), page);
    let rows: Vec<RowView> = audit
        .rows
        .iter()
        .enumerate()
        .filter(|(t, _)| range.contains(t))
        .map(|(t, cells)| RowView {
            name: site.townships[t].name.clone(),
            href: urls::township(&site.townships[t].slug),
            cells: cells.iter().map(|cell| cell_view(site, cell)).collect(),
        })
        .collect();
    c.insert("years", &years);
    c.insert("rows", &rows);
    c.insert(
        "as_of",
        &audit.as_of.map(|d| d.to_string()).unwrap_or_default(),
    );
    let region = &site.config.portal.region;
    c.insert("csv_name", &save_name(&[region, "年报督查"], "csv"));
    c.insert("xlsx_name", &save_name(&[region, "年报督查"], "xlsx"));
    c
}

/// A township's publication record for its page: every year it had to publish, newest first.
pub(crate) fn township_record(site: &Site, township: usize) -> serde_json::Value {
    let record: Vec<RecordView> = audit::township_record(site, township)
        .iter()
        .map(|cell| RecordView {
            year: cell.year,
            status: cell.status.text(),
            class: class(cell.status),
            published: cell.published.map(|d| d.to_string()).unwrap_or_default(),
            due: cell
                .due
                .as_ref()
                .map(|d| d.date.to_string())
                .unwrap_or_default(),
            href: report_href(site, cell),
        })
        .collect();
    serde_json::to_value(record).unwrap_or_default()
}
