//! Data downloads: CSV (UTF-8 with BOM, so Excel opens it), JSON and XLSX.
//!
//! Every figure is written exactly as the source has it (`1.50` stays `1.50`); blank stays blank
//! (empty CSV field, JSON `null`, empty XLSX cell), never 0.

use std::io::Write;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use serde::Serialize;
use serde_json::value::RawValue;

use super::table::{CellView, TableView, tables};
use crate::schema::compare::Grade;
use crate::site::compare::{Measure, TownshipComparison};
use crate::site::{Report, Site, Stats};

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(header);
        for row in rows {
            let _ = w.write_record(&row);
        }
        let _ = w.flush();
    }
    out
}

fn figure(value: Option<Decimal>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `stats.csv`: one row per cell in official order: id, label, unit, value (blank = empty).
pub fn stats_csv(stats: &Stats) -> Vec<u8> {
    let rows = stats
        .format
        .cells
        .iter()
        .zip(&stats.values)
        .map(|(c, v)| vec![c.id.clone(), c.label.clone(), c.unit.clone(), figure(*v)]);
    csv_bytes(&["id", "label", "unit", "value"], rows)
}

/// A JSON number written exactly as the decimal's text, or `null`.
fn json_number(value: Option<Decimal>) -> Option<Box<RawValue>> {
    value.and_then(|v| RawValue::from_string(v.to_string()).ok())
}

#[derive(Serialize)]
struct JsonValue<'a> {
    id: &'a str,
    label: &'a str,
    unit: &'a str,
    value: Option<Box<RawValue>>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    year: u16,
    township: &'a str,
    township_name: &'a str,
    title: &'a str,
    published: String,
    format: &'a str,
    format_name: &'a str,
    values: Vec<JsonValue<'a>>,
}

fn json_report<'a>(site: &'a Site, report: &'a Report, stats: &'a Stats) -> JsonReport<'a> {
    JsonReport {
        year: report.year,
        township: &report.township,
        township_name: site
            .township(&report.township)
            .map_or("", |t| t.name.as_str()),
        title: &report.meta.title,
        published: report.meta.published.to_string(),
        format: &stats.format.id,
        format_name: &stats.format.name,
        values: stats
            .format
            .cells
            .iter()
            .zip(&stats.values)
            .map(|(c, v)| JsonValue {
                id: &c.id,
                label: &c.label,
                unit: &c.unit,
                value: json_number(*v),
            })
            .collect(),
    }
}

/// `stats.json`: the report's metadata and every cell (`null` for blank).
pub fn stats_json(site: &Site, report: &Report, stats: &Stats) -> Vec<u8> {
    let mut out = serde_json::to_vec(&json_report(site, report, stats)).unwrap_or_default();
    out.push(b'\n');
    out
}

const LONG_HEADER: [&str; 8] = [
    "year",
    "township",
    "township_name",
    "format",
    "id",
    "label",
    "unit",
    "value",
];

/// Reports with a table in the order of the county-wide files: year, then township slug.
fn long_reports(site: &Site) -> Vec<&Report> {
    let mut reports: Vec<&Report> = site.reports.iter().filter(|r| r.stats.is_some()).collect();
    reports.sort_by(|a, b| (a.year, &a.township).cmp(&(b.year, &b.township)));
    reports
}

/// Reports per chunk rendered in parallel; bounds memory to a few megabytes at any size.
const CHUNK: usize = 256;

/// Stream `/data/all.csv` or `/data/all.json` to `out`, rendering chunks of reports in parallel.
/// The county-wide files grow with the whole dataset (hundreds of megabytes for a province), so
/// they are never held in memory whole.
pub fn write_county_file(site: &Site, json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    let reports = long_reports(site);
    if json {
        out.write_all(b"[")?;
    } else {
        out.write_all(BOM)?;
        out.write_all(&csv_bytes(&LONG_HEADER, std::iter::empty())[BOM.len()..])?;
    }
    let mut first = true;
    for window in reports.chunks(CHUNK * rayon::current_num_threads().max(1)) {
        let chunks: Vec<Vec<u8>> = window
            .par_chunks(CHUNK)
            .map(|chunk| {
                if json {
                    json_chunk(site, chunk)
                } else {
                    csv_chunk(site, chunk)
                }
            })
            .collect();
        for chunk in chunks.iter().filter(|c| !c.is_empty()) {
            if json && !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(chunk)?;
        }
    }
    if json {
        out.write_all(b"]\n")?;
    }
    Ok(())
}

fn csv_chunk(site: &Site, reports: &[&Report]) -> Vec<u8> {
    let mut out = Vec::with_capacity(reports.len() * 16 * 1024);
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        for r in reports {
            let stats = r.stats.as_ref().expect("filtered");
            let name = site.township(&r.township).map_or("", |t| t.name.as_str());
            let year = r.year.to_string();
            for (c, v) in stats.format.cells.iter().zip(&stats.values) {
                let value = figure(*v);
                let record = [
                    &year,
                    &r.township,
                    name,
                    &stats.format.id,
                    &c.id,
                    &c.label,
                    &c.unit,
                    &value,
                ];
                let _ = w.write_record(record.iter().map(|f| f.as_bytes()));
            }
        }
        let _ = w.flush();
    }
    out
}

fn json_chunk(site: &Site, reports: &[&Report]) -> Vec<u8> {
    let mut out = Vec::with_capacity(reports.len() * 24 * 1024);
    for r in reports {
        let stats = r.stats.as_ref().expect("filtered");
        let name = site.township(&r.township).map_or("", |t| t.name.as_str());
        for (c, v) in stats.format.cells.iter().zip(&stats.values) {
            if !out.is_empty() {
                out.push(b',');
            }
            let figure = JsonFigure {
                year: r.year,
                township: &r.township,
                township_name: name,
                format: &stats.format.id,
                id: &c.id,
                label: &c.label,
                unit: &c.unit,
                value: json_number(*v),
            };
            let _ = serde_json::to_writer(&mut out, &figure);
        }
    }
    out
}

/// `/data/all.csv`: every figure of every report, one row each (long format).
pub fn all_csv(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = write_county_file(site, false, &mut out);
    out
}

#[derive(Serialize)]
struct JsonFigure<'a> {
    year: u16,
    township: &'a str,
    township_name: &'a str,
    format: &'a str,
    id: &'a str,
    label: &'a str,
    unit: &'a str,
    value: Option<Box<RawValue>>,
}

/// `/data/all.json`: the same as all.csv, as an array of objects (`null` for blank).
pub fn all_json(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = write_county_file(site, true, &mut out);
    out
}

/// The text of a measure in data files: the figure, empty for blank, `—` for not collected.
fn measure_text(m: Measure) -> String {
    match m {
        Measure::Reported { value, .. } => value.to_string(),
        Measure::Blank => String::new(),
        Measure::NotCollected => "—".to_string(),
    }
}

fn status(m: Measure) -> &'static str {
    match m {
        Measure::Reported { blanks: 0, .. } => "已填报",
        Measure::Reported { .. } => "部分填报",
        Measure::Blank => "未填报",
        Measure::NotCollected => "未统计",
    }
}

/// `compare.csv`: a township's comparison in long format, one row per indicator and year.
pub fn compare_csv(cmp: &TownshipComparison) -> Vec<u8> {
    let header = [
        "year",
        "format",
        "indicator",
        "label",
        "unit",
        "value",
        "status",
        "grade",
        "change",
        "change_percent",
        "note",
    ];
    let rows = cmp.rows.iter().flat_map(|row| {
        row.cells.iter().zip(&cmp.years).map(move |(cell, year)| {
            vec![
                year.year.to_string(),
                year.format.clone().unwrap_or_default(),
                row.indicator.id.clone(),
                row.indicator.label.clone(),
                row.indicator.unit.clone(),
                match cell.measure {
                    Measure::NotCollected => String::new(),
                    m => measure_text(m),
                },
                status(cell.measure).to_string(),
                cell.grade
                    .map(Grade::symbol)
                    .unwrap_or_default()
                    .to_string(),
                cell.change.map(|c| c.delta.to_string()).unwrap_or_default(),
                cell.change
                    .and_then(|c| c.percent)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                cell.note
                    .map(|n| cmp.notes[n - 1].clone())
                    .unwrap_or_default(),
            ]
        })
    });
    csv_bytes(&header, rows)
}

pub(super) struct Styles {
    /// Number formats by decimal places (0 to 6), made once per workbook.
    numbers: Vec<Format>,
    pub(super) title: Format,
    header: Format,
    label: Format,
    text: Format,
}

impl Styles {
    pub(super) fn new() -> Styles {
        let border = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let number = |scale: usize| {
            let pattern = if scale == 0 {
                "0".to_string()
            } else {
                format!("0.{}", "0".repeat(scale))
            };
            border
                .clone()
                .set_num_format(pattern)
                .set_align(FormatAlign::Right)
        };
        Styles {
            numbers: (0..=6).map(number).collect(),
            title: Format::new().set_bold().set_font_size(14),
            header: border.clone().set_bold().set_align(FormatAlign::Center),
            label: border.clone(),
            text: border.set_align(FormatAlign::Center),
        }
    }

    /// The number format showing exactly the decimals the figure was written with.
    fn number(&self, value: Decimal) -> &Format {
        let scale = (value.scale() as usize).min(self.numbers.len() - 1);
        &self.numbers[scale]
    }
}

pub(super) fn workbook(created: chrono::NaiveDate, title: &str) -> Workbook {
    use chrono::Datelike;
    let mut wb = Workbook::new();
    // Level 1 deflate: the workbooks are small and building thousands of them is the cost.
    wb.set_zip_compression_level(1);
    let date = ExcelDateTime::from_ymd(
        created.year() as u16,
        created.month() as u8,
        created.day() as u8,
    )
    .unwrap_or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1).expect("valid date"));
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&date),
    );
    wb
}

/// Grid positions (row, column) of every cell of an HTML-style table, head rows first,
/// skipping the columns that earlier rowspans cover.
pub(super) fn layout(table: &TableView) -> Vec<(u32, u16, &CellView)> {
    let mut taken: Vec<Vec<bool>> = Vec::new();
    let mut placed = Vec::new();
    for (r, cells) in table.head.iter().chain(&table.body).enumerate() {
        let mut col = 0usize;
        for c in cells {
            while taken
                .get(r)
                .and_then(|row| row.get(col))
                .copied()
                .unwrap_or(false)
            {
                col += 1;
            }
            for rr in r..r + c.rowspan {
                if taken.len() <= rr {
                    taken.resize(rr + 1, Vec::new());
                }
                let row = &mut taken[rr];
                if row.len() < col + c.colspan {
                    row.resize(col + c.colspan, false);
                }
                row[col..col + c.colspan].fill(true);
            }
            placed.push((r as u32, col as u16, c));
            col += c.colspan;
        }
    }
    placed
}

/// Write an HTML-style table (with spans) on a worksheet from row `top`; returns the next free row.
pub(super) fn write_table(
    ws: &mut Worksheet,
    styles: &Styles,
    top: u32,
    table: &TableView,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(top, 0, &table.title, &styles.title)?;
    let first_row = top + 1;
    let head_rows = table.head.len() as u32;
    let mut last = first_row;
    for (r, col, c) in layout(table) {
        let row = first_row + r;
        let format = if r < head_rows {
            &styles.header
        } else if c.header {
            &styles.label
        } else {
            &styles.text
        };
        let (last_row, last_col) = (row + c.rowspan as u32 - 1, col + c.colspan as u16 - 1);
        last = last.max(last_row);
        if !c.id.is_empty() && !c.blank {
            if let Ok(value) = c.text.parse::<Decimal>() {
                let number: f64 = c.text.parse().unwrap_or_default();
                ws.write_number_with_format(row, col, number, styles.number(value))?;
            }
        } else if c.rowspan > 1 || c.colspan > 1 {
            ws.merge_range(row, col, last_row, last_col, &c.text, format)?;
        } else if c.text.is_empty() {
            ws.write_blank(row, col, format)?;
        } else {
            ws.write_string_with_format(row, col, &c.text, format)?;
        }
    }
    Ok(last + 2)
}

/// Width in Excel character units of Chinese-heavy text (a CJK character is about two).
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
        .sum()
}

pub(super) fn set_widths(ws: &mut Worksheet, tables: &[TableView]) -> Result<(), XlsxError> {
    let mut widths: Vec<f64> = Vec::new();
    for t in tables {
        for (_, col, c) in layout(t) {
            if c.colspan == 1 {
                let i = col as usize;
                if widths.len() <= i {
                    widths.resize(i + 1, 8.0);
                }
                widths[i] = widths[i].max(text_width(&c.text).min(50.0));
            }
        }
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, w + 1.0)?;
    }
    Ok(())
}

/// `stats.xlsx`: the report's table in the official layout, merged headers included.
pub fn stats_xlsx(report: &Report, stats: &Stats) -> Result<Vec<u8>, XlsxError> {
    stats_workbook(&report.meta.title, report.meta.published, stats, false)
}

/// Lay out a stats workbook. With `probe`, blank cells with every number style and the blank
/// style go far right on the first row, so that the template builder can read their style ids.
pub(super) fn stats_workbook(
    title: &str,
    created: chrono::NaiveDate,
    stats: &Stats,
    probe: bool,
) -> Result<Vec<u8>, XlsxError> {
    let views = tables(stats);
    let mut wb = workbook(created, title);
    let styles = Styles::new();
    let ws = wb.add_worksheet();
    ws.set_name("统计表")?;
    ws.write_string_with_format(0, 0, title, &styles.title)?;
    if probe {
        let column = super::xlsx_template::PROBE_COLUMN;
        for (k, format) in styles
            .numbers
            .iter()
            .chain(std::iter::once(&styles.text))
            .enumerate()
        {
            ws.write_blank(0, column + k as u16, format)?;
        }
    }
    ws.write_string(1, 0, format_note(stats))?;
    let mut row = 3;
    for t in &views {
        row = write_table(ws, &styles, row, t)?;
    }
    set_widths(ws, &views)?;
    wb.save_to_buffer()
}

/// The second row of a stats workbook, naming the format (the importer reads it).
pub(super) fn format_note(stats: &Stats) -> String {
    format!(
        "表格格式：{}（{}）；空白表示原表未填报",
        stats.format.name, stats.format.edition
    )
}

/// `compare.xlsx`: a township's comparison as a wide table (indicator × year), with changes.
pub fn compare_xlsx(
    title: &str,
    created: chrono::NaiveDate,
    cmp: &TownshipComparison,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = workbook(created, title);
    let styles = Styles::new();
    let ws = wb.add_worksheet();
    ws.set_name("历年对比")?;
    ws.write_string_with_format(0, 0, title, &styles.title)?;
    ws.write_string(
        1,
        0,
        "空白 = 原表未填报；— = 当年表格格式未统计该项；≈ = 与其他年份口径近似，见脚注",
    )?;
    let head_row = 3;
    ws.write_string_with_format(head_row, 0, "指标", &styles.header)?;
    ws.write_string_with_format(head_row, 1, "单位", &styles.header)?;
    for (j, y) in cmp.years.iter().enumerate() {
        let col = 2 + 2 * j as u16;
        let format = y.format.as_deref().unwrap_or("无统计表");
        ws.merge_range(
            head_row,
            col,
            head_row,
            col + 1,
            &format!("{}年度（{format}）", y.year),
            &styles.header,
        )?;
        ws.write_string_with_format(head_row + 1, col, "数值", &styles.header)?;
        ws.write_string_with_format(head_row + 1, col + 1, "比上年", &styles.header)?;
    }
    for (i, row) in cmp.rows.iter().enumerate() {
        let r = head_row + 2 + i as u32;
        ws.write_string_with_format(r, 0, &row.indicator.label, &styles.label)?;
        ws.write_string_with_format(r, 1, &row.indicator.unit, &styles.text)?;
        for (j, cell) in row.cells.iter().enumerate() {
            let col = 2 + 2 * j as u16;
            match cell.measure {
                Measure::Reported { value, .. } => {
                    let v: f64 = value.to_string().parse().unwrap_or_default();
                    ws.write_number_with_format(r, col, v, styles.number(value))?;
                }
                m => {
                    ws.write_string_with_format(r, col, measure_text(m), &styles.text)?;
                }
            }
            let change = cell.change.map(|c| {
                let pct = c.percent.map(|p| format!("（{p:+}%）")).unwrap_or_default();
                format!(
                    "{:+}{pct}{}",
                    c.delta,
                    if c.grade == Grade::Approximate {
                        " ≈"
                    } else {
                        ""
                    }
                )
            });
            ws.write_string_with_format(r, col + 1, change.unwrap_or_default(), &styles.text)?;
        }
    }
    let notes_row = head_row + 3 + cmp.rows.len() as u32;
    for (i, n) in cmp.notes.iter().enumerate() {
        ws.write_string(notes_row + i as u32, 0, format!("注{}：{n}", i + 1))?;
    }
    ws.set_column_width(0, 34.0)?;
    ws.set_column_width(1, 6.0)?;
    for j in 0..cmp.years.len() as u16 {
        ws.set_column_width(2 + 2 * j, 10.0)?;
        ws.set_column_width(3 + 2 * j, 16.0)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::format;

    fn stats() -> Stats {
        let f = format("gov-2014").unwrap();
        let mut values = vec![None; f.cells.len()];
        values[f.cell_index("proactive.total").unwrap()] = Some(Decimal::from(147));
        values[f.cell_index("complaints.total").unwrap()] = Some(Decimal::ZERO);
        values[f.cell_index("org.budget").unwrap()] = Some("1.50".parse().unwrap());
        Stats {
            format: f,
            values,
            findings: Vec::new(),
        }
    }

    #[test]
    fn csv_has_bom_official_order_and_blank_fields() {
        let csv = String::from_utf8(stats_csv(&stats())).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "id,label,unit,value");
        assert_eq!(lines[1], "proactive,一、主动公开情况,,");
        assert!(lines[2].starts_with("proactive.total,") && lines[2].ends_with(",条,147"));
        assert!(lines.contains(&"complaints.total,六、举报投诉数量,件,0"));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("org.budget,") && l.ends_with(",万元,1.50"))
        );
        assert_eq!(lines.len(), 66);
    }

    #[test]
    fn json_numbers_are_exact_and_blank_is_null() {
        let v = json_number(Some("1.50".parse().unwrap())).unwrap();
        assert_eq!(v.get(), "1.50");
        assert!(json_number(None).is_none());
    }
}
