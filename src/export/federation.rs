//! A federation portal's data files: the union of the members' `all.csv` with a `county`
//! column (`data/all.csv`, `data/all.json`), their county totals side by side
//! (`data/totals.csv`), and the audit across them (`audit/audit.csv`, `audit/audit.xlsx`).
//!
//! The union is typed so that DuckDB, pandas or Excel read it as is: in the CSV (UTF-8 with BOM)
//! a blank is an empty field and every value a plain number; in the JSON, numbers are numbers and
//! a blank is `null`. The members' files are streamed from the cache, never held whole.

use std::io::{self, Write};

use rust_xlsxwriter::XlsxError;

use super::data::csv_bytes;
use super::xlsx::list::{self, Field, ListSheet};
use crate::federation::model::{self, ALL_HEADER, Federation, Row};
use crate::federation::{LoadedMember, Member};
use crate::site::audit::Status;

/// The columns of the union `all.csv`: the county's slug and name, then a county's columns.
pub const ALL_COLUMNS: [&str; 10] = [
    "county",
    "county_name",
    "year",
    "township",
    "township_name",
    "format",
    "id",
    "label",
    "unit",
    "value",
];

/// The columns of the federation's `audit.csv`.
pub const AUDIT_HEADER: [&str; 11] = [
    "county",
    "county_name",
    "year",
    "township",
    "name",
    "status",
    "published",
    "deadline",
    "days_late",
    "has_table",
    "as_of",
];

const AUDIT_TITLES: [&str; 11] = [
    "县代号",
    "县",
    "年度",
    "乡镇代号",
    "乡镇",
    "状态",
    "公开日期",
    "公开期限",
    "逾期天数",
    "统计表",
    "统计截至",
];

/// The members that were read (fresh or cached), with their loaded portal.
fn read_members(federation: &Federation) -> impl Iterator<Item = (&Member, &LoadedMember)> {
    federation
        .members
        .iter()
        .filter_map(|m| Some((m, m.loaded.as_ref()?)))
}

/// Write the union of the members' `all.csv` (`json`: `all.json`) to `out`.
pub fn write_all(federation: &Federation, json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        out.write_all(b"[")?;
        let mut first = true;
        each_row(federation, &mut |member, record| {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            json_row(out, member, record)
        })?;
        return out.write_all(b"\n]\n");
    }
    out.write_all(&csv_bytes(&ALL_COLUMNS, std::iter::empty()))?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    each_row(federation, &mut |member, record| {
        w.write_record(
            [member.slug.as_str(), member.name.as_str()]
                .into_iter()
                .chain(record.iter()),
        )
        .map_err(io::Error::other)
    })?;
    w.flush()
}

/// Call `f` with every row of every member's cached `all.csv`, members in order.
fn each_row(
    federation: &Federation,
    f: &mut dyn FnMut(&Member, &csv::StringRecord) -> io::Result<()>,
) -> io::Result<()> {
    for (member, loaded) in read_members(federation) {
        let file = std::fs::File::open(loaded.all_csv())?;
        let mut reader = model::csv_reader(Bom::skip(io::BufReader::new(file))?);
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).map_err(io::Error::other)? {
            f(member, &record)?;
        }
    }
    Ok(())
}

/// One row of `all.json`: `year` and `value` as numbers (a blank value `null`).
fn json_row(out: &mut dyn Write, member: &Member, record: &csv::StringRecord) -> io::Result<()> {
    let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
    write!(
        out,
        "{{\"county\":{},\"county_name\":{}",
        text(&member.slug),
        text(&member.name)
    )?;
    for (name, value) in ALL_HEADER.iter().zip(record.iter()) {
        let typed = match *name {
            "year" => value.parse::<u16>().map(|y| y.to_string()).ok(),
            "value" if value.is_empty() => Some("null".to_string()),
            "value" => value
                .parse::<rust_decimal::Decimal>()
                .ok()
                .map(|d| d.to_string()),
            _ => None,
        };
        write!(out, ",\"{name}\":{}", typed.unwrap_or_else(|| text(value)))?;
    }
    out.write_all(b"}")
}

/// A reader past a leading byte-order mark.
struct Bom;

impl Bom {
    fn skip<R: io::BufRead>(mut reader: R) -> io::Result<R> {
        if reader.fill_buf()?.starts_with(b"\xef\xbb\xbf") {
            reader.consume(3);
        }
        Ok(reader)
    }
}

/// `data/totals.csv`: every member's `totals.csv` rows after its `county` and `county_name`.
pub fn totals_csv(federation: &Federation) -> Vec<u8> {
    let mut rows = Vec::new();
    let mut header: Vec<String> = vec!["county".into(), "county_name".into()];
    for (member, loaded) in read_members(federation) {
        let Ok(bytes) = std::fs::read(loaded.totals_csv()) else {
            continue;
        };
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let mut reader = model::csv_reader(bytes);
        if header.len() == 2
            && let Ok(h) = reader.headers()
        {
            header.extend(h.iter().map(str::to_string));
        }
        for record in reader.records().flatten() {
            rows.push(
                [member.slug.clone(), member.name.clone()]
                    .into_iter()
                    .chain(record.iter().map(str::to_string))
                    .collect(),
            );
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_bytes(&header, rows.into_iter())
}

/// The fields of one audit row, in the order of [`AUDIT_HEADER`].
fn audit_fields(federation: &Federation, row: &Row, cell: &model::Cell) -> [String; 11] {
    let member = &federation.members[row.member];
    [
        member.slug.clone(),
        member.name.clone(),
        cell.year.to_string(),
        row.township.clone(),
        row.name.clone(),
        cell.status.code().to_string(),
        cell.published.map(|d| d.to_string()).unwrap_or_default(),
        cell.due
            .as_ref()
            .map(|d| d.date.to_string())
            .unwrap_or_default(),
        match cell.status {
            Status::Late(days) => days.to_string(),
            Status::OnTime => "0".to_string(),
            _ => String::new(),
        },
        cell.has_table.map(|t| t.to_string()).unwrap_or_default(),
        federation.audit.as_of.to_string(),
    ]
}

/// `audit/audit.csv` of the federation: UTF-8 with BOM, newest year first, then members and
/// townships in order.
pub fn audit_csv(federation: &Federation) -> Vec<u8> {
    csv_bytes(
        &AUDIT_HEADER,
        federation
            .audit
            .cells()
            .map(|(row, cell)| Vec::from(audit_fields(federation, row, cell))),
    )
}

/// `audit/audit.xlsx`: the rows under Chinese titles, and a sheet of each county's counts.
pub fn audit_xlsx(federation: &Federation, region: &str) -> Result<Vec<u8>, XlsxError> {
    let as_of = federation.audit.as_of;
    let title = format!("{region}各县乡镇年报公开情况（督查，截至 {as_of}）");
    let rows = federation
        .audit
        .cells()
        .map(|(row, cell)| {
            let mut fields = audit_fields(federation, row, cell);
            fields[5] = cell.status.text();
            fields[9] = match cell.has_table {
                Some(true) => "有".to_string(),
                Some(false) => "无统计表".to_string(),
                None => String::new(),
            };
            list::fields(fields, &[2, 8])
        })
        .collect();
    let counties_title = format!("{region}各县汇总（截至 {as_of}）");
    let n = |v: usize| Field::Number(v as f64);
    let county_rows = (0..federation.members.len())
        .filter(|&m| federation.members[m].loaded.is_some())
        .map(|m| {
            let c = federation.audit.counts(Some(m), None);
            let member = &federation.members[m];
            vec![
                Field::Text(member.slug.clone()),
                Field::Text(member.name.clone()),
                n(c.required),
                n(c.published),
                n(c.on_time),
                n(c.late),
                n(c.date_unknown),
                n(c.missing),
                n(c.not_due),
            ]
        })
        .collect();
    let sheets = [
        ListSheet {
            name: "督查",
            title: &title,
            titles: &AUDIT_TITLES,
            widths: &[
                10.0, 10.0, 6.0, 14.0, 12.0, 13.0, 12.0, 12.0, 9.0, 9.0, 12.0,
            ],
            rows,
        },
        ListSheet {
            name: "各县汇总",
            title: &counties_title,
            titles: &[
                "县代号",
                "县",
                "应发布",
                "已发布",
                "按时",
                "逾期",
                "日期未注明",
                "未发布",
                "未到期",
            ],
            widths: &[10.0, 10.0, 8.0, 8.0, 8.0, 8.0, 11.0, 8.0, 8.0],
            rows: county_rows,
        },
    ];
    list::workbook_of(&title, as_of, sheets)
}
