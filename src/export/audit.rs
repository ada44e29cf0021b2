//! `audit.csv` and `audit.xlsx`: the oversight table as data, one row per township and year.
//! The same rows feed `nianbao audit --format csv`.

use rust_xlsxwriter::XlsxError;

use super::xlsx::list;

use crate::site::Site;
use crate::site::audit::{Audit, Cell, Status};

/// The columns, in order (the contract document lists them).
pub(crate) const HEADER: [&str; 11] = [
    "year",
    "township",
    "name",
    "status",
    "published",
    "deadline",
    "days_late",
    "errors",
    "warnings",
    "blank_cells",
    "total_cells",
];

/// Chinese column titles of the workbook, in the order of [`HEADER`].
const TITLES: [&str; 11] = [
    "年度",
    "乡镇代号",
    "乡镇",
    "状态",
    "公开日期",
    "公开期限",
    "逾期天数",
    "错误",
    "核对提示",
    "空白项",
    "统计项",
];

/// The cells in row order: year ascending, then township display order.
fn ordered(audit: &Audit) -> impl Iterator<Item = &Cell> {
    (0..audit.years.len())
        .rev()
        .flat_map(move |y| audit.rows.iter().map(move |row| &row[y]))
}

/// The rows of [`HEADER`]; fields without a report are empty.
pub(crate) fn rows(site: &Site, audit: &Audit) -> Vec<[String; 11]> {
    ordered(audit).map(|c| fields(site, c)).collect()
}

fn fields(site: &Site, c: &Cell) -> [String; 11] {
    let t = &site.townships[c.township];
    let has_report = c.report.is_some();
    let count = |n: usize| {
        if has_report {
            n.to_string()
        } else {
            String::new()
        }
    };
    [
        c.year.to_string(),
        t.slug.clone(),
        t.name.clone(),
        c.status.code().to_string(),
        c.published.map(|d| d.to_string()).unwrap_or_default(),
        c.due
            .as_ref()
            .map(|d| d.date.to_string())
            .unwrap_or_default(),
        match c.status {
            Status::Late(days) => days.to_string(),
            Status::OnTime => "0".to_string(),
            _ => String::new(),
        },
        if has_report || c.errors > 0 {
            c.errors.to_string()
        } else {
            String::new()
        },
        count(c.rule_warnings),
        count(c.blank_cells),
        count(c.total_cells),
    ]
}

/// `audit.csv`: UTF-8 with BOM.
pub fn csv(site: &Site, audit: &Audit) -> Vec<u8> {
    super::data::csv_bytes(&HEADER, rows(site, audit).into_iter().map(Vec::from))
}

/// `audit.xlsx`: the same rows under Chinese column titles, numbers as numbers.
pub(crate) fn xlsx(site: &Site, audit: &Audit) -> Result<Vec<u8>, XlsxError> {
    let title = format!("{}各乡镇年报公开情况（督查）", site.config.portal.region);
    let created = site
        .reports
        .iter()
        .map(|r| r.meta.file_date())
        .max()
        .unwrap_or_default();
    let numeric = [0usize, 6, 7, 8, 9, 10];
    let rows = ordered(audit).map(|cell| {
        let mut fields = fields(site, cell);
        fields[3] = cell.status.text();
        list::fields(fields, &numeric)
    });
    list::workbook(
        &title,
        "督查",
        created,
        &TITLES,
        &[6.0, 14.0, 12.0, 13.0, 12.0, 12.0, 9.0, 6.0, 9.0, 8.0, 8.0],
        rows,
    )
}
