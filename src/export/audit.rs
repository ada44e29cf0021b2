//! `audit.csv` and `audit.xlsx`: the oversight table as data, one row per township and year,
//! in the one order of [`Audit::cells`]. The same rows feed `nianbao audit --format csv`.

use rust_xlsxwriter::XlsxError;

use super::xlsx::list::{self, Field, ListSheet};

use crate::site::Site;
use crate::site::audit::{Audit, Cell, Status, YearSummary};

/// The columns, in order (the contract document lists them).
pub const HEADER: [&str; 14] = [
    "year",
    "township",
    "name",
    "status",
    "published",
    "deadline",
    "days_late",
    "errors",
    "warnings",
    "rule_warnings",
    "has_table",
    "blank_cells",
    "total_cells",
    "as_of",
];

/// Chinese column titles of the workbook, in the order of [`HEADER`].
const TITLES: [&str; 14] = [
    "年度",
    "乡镇代号",
    "乡镇",
    "状态",
    "公开日期",
    "公开期限",
    "逾期天数",
    "错误",
    "警告",
    "核对提示",
    "统计表",
    "空白项",
    "可填项",
    "统计截至",
];

/// The rows of [`HEADER`]; fields that need a report (or a table) are empty without one.
pub fn rows(site: &Site, audit: &Audit) -> Vec<[String; 14]> {
    audit.cells().map(|c| fields(site, audit, c)).collect()
}

fn fields(site: &Site, audit: &Audit, c: &Cell) -> [String; 14] {
    let t = &site.townships[c.township];
    let report = c.has_report();
    let table = report && c.has_table;
    let count = |n: usize, shown: bool| if shown { n.to_string() } else { String::new() };
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
        count(c.errors, report || c.errors > 0),
        count(c.warnings, report),
        count(c.rule_warnings, table),
        if report {
            c.has_table.to_string()
        } else {
            String::new()
        },
        count(c.blank_cells, table),
        count(c.total_cells, table),
        audit.as_of.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// The rows of [`HEADER`] as JSON objects, typed: counts as numbers, blanks as null,
/// `has_table` as a boolean (`nianbao audit --format json`, `data/portal.json`).
pub fn json_cells(site: &Site, audit: &Audit) -> Vec<serde_json::Value> {
    rows(site, audit)
        .into_iter()
        .map(|row| {
            let object: serde_json::Map<String, serde_json::Value> = HEADER
                .iter()
                .zip(row)
                .map(|(name, value)| (name.to_string(), typed(name, value)))
                .collect();
            serde_json::Value::Object(object)
        })
        .collect()
}

/// A CSV field as JSON: empty → null, counts → numbers, `has_table` → a boolean.
fn typed(name: &str, value: String) -> serde_json::Value {
    if value.is_empty() {
        return serde_json::Value::Null;
    }
    match name {
        "year" | "days_late" | "errors" | "warnings" | "rule_warnings" | "blank_cells"
        | "total_cells" => value
            .parse::<i64>()
            .map_or(serde_json::Value::String(value), Into::into),
        "has_table" => serde_json::Value::Bool(value == "true"),
        _ => serde_json::Value::String(value),
    }
}

/// Each year's summary as JSON, with its deadline.
pub fn json_years(site: &Site, audit: &Audit) -> Vec<serde_json::Value> {
    audit
        .summaries
        .iter()
        .map(|s| {
            let due = site.config.deadlines.due(s.year);
            serde_json::json!({
                "year": s.year,
                "deadline": due.as_ref().map(|d| d.date.to_string()),
                "basis": due.map(|d| d.basis),
                "required": s.required,
                "published": s.published,
                "on_time": s.on_time,
                "late": s.late,
                "date_unknown": s.date_unknown,
                "missing": s.missing,
                "not_due": s.not_due,
            })
        })
        .collect()
}

/// `audit.csv`: UTF-8 with BOM.
pub fn csv(site: &Site, audit: &Audit) -> Vec<u8> {
    super::data::csv_bytes(&HEADER, rows(site, audit).into_iter().map(Vec::from))
}

/// `audit.xlsx`: the rows under Chinese column titles with Chinese statuses, numbers as numbers,
/// and two summary sheets: per year, and per township over the audited years (on-time rates).
pub fn xlsx(site: &Site, audit: &Audit) -> Result<Vec<u8>, XlsxError> {
    let region = &site.config.portal.region;
    let as_of = audit
        .as_of
        .map(|d| format!("（截至 {d}）"))
        .unwrap_or_default();
    let title = format!("{region}各乡镇年报公开情况（督查）{as_of}");
    let created = site
        .reports
        .iter()
        .map(|r| r.meta.file_date())
        .max()
        .unwrap_or_default();
    let numeric = [0usize, 6, 7, 8, 9, 11, 12];
    let rows = audit
        .cells()
        .map(|cell| {
            let mut fields = fields(site, audit, cell);
            fields[3] = cell.status.text();
            fields[10] = match fields[10].as_str() {
                "true" => "有".to_string(),
                "false" => "无统计表".to_string(),
                _ => String::new(),
            };
            list::fields(fields, &numeric)
        })
        .collect();
    let years_title = format!("{region}各年度汇总{as_of}");
    let townships_title = format!("{region}各乡镇汇总（{}）{as_of}", year_span(audit));
    let sheets = [
        ListSheet {
            name: "督查",
            title: &title,
            titles: &TITLES,
            widths: &[
                6.0, 14.0, 12.0, 13.0, 12.0, 12.0, 9.0, 6.0, 6.0, 9.0, 9.0, 8.0, 8.0, 12.0,
            ],
            rows,
        },
        ListSheet {
            name: "各年度汇总",
            title: &years_title,
            titles: &SUMMARY_TITLES_YEAR,
            widths: &[8.0, 8.0, 8.0, 8.0, 8.0, 11.0, 8.0, 8.0, 12.0, 12.0],
            rows: audit.summaries.iter().map(|s| year_row(site, s)).collect(),
        },
        ListSheet {
            name: "各乡镇汇总",
            title: &townships_title,
            titles: &SUMMARY_TITLES_TOWNSHIP,
            widths: &[14.0, 12.0, 8.0, 8.0, 8.0, 8.0, 11.0, 8.0, 8.0, 12.0],
            rows: audit
                .rows
                .iter()
                .map(|row| township_row(site, row))
                .collect(),
        },
    ];
    list::workbook_of(&title, created, sheets)
}

const SUMMARY_TITLES_YEAR: [&str; 10] = [
    "年度",
    "应发布",
    "已发布",
    "按时",
    "逾期",
    "日期未注明",
    "未发布",
    "未到期",
    "按时率（%）",
    "公开期限",
];

const SUMMARY_TITLES_TOWNSHIP: [&str; 10] = [
    "乡镇代号",
    "乡镇",
    "应发布",
    "已发布",
    "按时",
    "逾期",
    "日期未注明",
    "未发布",
    "未到期",
    "按时率（%）",
];

/// "2016—2025" of the audited years.
fn year_span(audit: &Audit) -> String {
    match (audit.years.last(), audit.years.first()) {
        (Some(first), Some(last)) if first != last => format!("{first}—{last} 年度"),
        (Some(year), _) => format!("{year} 年度"),
        _ => String::new(),
    }
}

/// On time of required, in percent with one decimal; blank when nothing was required.
fn rate(on_time: usize, required: usize) -> Field {
    if required == 0 {
        return Field::Blank;
    }
    Field::Number((on_time as f64 * 1000.0 / required as f64).round() / 10.0)
}

fn year_row(site: &Site, s: &YearSummary) -> Vec<Field> {
    let n = |v: usize| Field::Number(v as f64);
    vec![
        n(usize::from(s.year)),
        n(s.required),
        n(s.published),
        n(s.on_time),
        n(s.late),
        n(s.date_unknown),
        n(s.missing),
        n(s.not_due),
        rate(s.on_time, s.required),
        site.config
            .deadlines
            .due(s.year)
            .map_or(Field::Blank, |d| Field::Text(d.date.to_string())),
    ]
}

fn township_row(site: &Site, row: &[Cell]) -> Vec<Field> {
    let t = row.first().map(|c| &site.townships[c.township]);
    // A township's cells are counted as a year's are.
    let s = crate::site::audit::summary(0, row.iter());
    let n = |v: usize| Field::Number(v as f64);
    vec![
        t.map_or(Field::Blank, |t| Field::Text(t.slug.clone())),
        t.map_or(Field::Blank, |t| Field::Text(t.name.clone())),
        n(s.required),
        n(s.published),
        n(s.on_time),
        n(s.late),
        n(s.date_unknown),
        n(s.missing),
        n(s.not_due),
        rate(s.on_time, s.required),
    ]
}
