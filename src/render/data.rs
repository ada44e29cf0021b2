//! Data downloads: CSV (UTF-8 with BOM, so Excel opens it), JSON and XLSX.
//!
//! Every figure is written exactly as the source has it (`1.50` stays `1.50`); blank stays blank
//! (empty CSV field, JSON `null`, empty XLSX cell), never 0.

use std::io::Write;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
#[cfg(test)]
use serde::Serialize;
#[cfg(test)]
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

#[cfg(test)]
fn figure(value: Option<Decimal>) -> String {
    value.map(super::figure::text).unwrap_or_default()
}

/// `stats.csv`: one row per cell in official order: id, label, unit, value (blank = empty).
pub fn stats_csv(stats: &Stats) -> Vec<u8> {
    let rows = RowParts::of(stats.format);
    let mut out = Vec::with_capacity(8 * 1024);
    out.extend_from_slice(&rows.csv_header);
    for (part, v) in rows.csv.iter().zip(&stats.values) {
        out.extend_from_slice(part);
        push_figure(&mut out, *v, b"");
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// [`stats_csv`] by the CSV writer, field by field: the reference the fast path is tested against.
#[cfg(test)]
fn stats_csv_reference(stats: &Stats) -> Vec<u8> {
    let rows = stats
        .format
        .cells
        .iter()
        .zip(&stats.values)
        .map(|(c, v)| vec![c.id.clone(), c.label.clone(), c.unit.clone(), figure(*v)]);
    csv_bytes(&["id", "label", "unit", "value"], rows)
}

/// The parts of the data files' rows that depend on the cell alone, encoded once per format:
/// every report repeats the same ids, labels and units, and escaping them was most of the cost
/// of the CSV and JSON downloads.
struct RowParts {
    /// BOM and `id,label,unit,value` of stats.csv.
    csv_header: Vec<u8>,
    /// `id,label,unit,` per cell (stats.csv).
    csv: Vec<Vec<u8>>,
    /// `format,id,label,unit,` per cell (all.csv).
    long_csv: Vec<Vec<u8>>,
    /// `{"id":…,"label":…,"unit":…,"value":` per cell (stats.json).
    json: Vec<Vec<u8>>,
    /// `"format":…,"id":…,"label":…,"unit":…,"value":` per cell (all.json).
    long_json: Vec<Vec<u8>>,
}

impl RowParts {
    /// The parts of `format`, built on first use.
    fn of(format: &'static crate::schema::Format) -> std::sync::Arc<RowParts> {
        use std::collections::HashMap;
        use std::sync::{Arc, Mutex, OnceLock};
        static CACHE: OnceLock<Mutex<HashMap<usize, Arc<RowParts>>>> = OnceLock::new();
        let key = format as *const _ as usize;
        let cache = CACHE.get_or_init(Default::default);
        if let Some(parts) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return parts;
        }
        let parts = Arc::new(RowParts::build(format));
        if let Ok(mut c) = cache.lock() {
            c.insert(key, parts.clone());
        }
        parts
    }

    fn build(format: &crate::schema::Format) -> RowParts {
        let cells = &format.cells;
        RowParts {
            csv_header: csv_bytes(&["id", "label", "unit", "value"], std::iter::empty()),
            csv: cells
                .iter()
                .map(|c| csv_prefix(&[&c.id, &c.label, &c.unit]))
                .collect(),
            long_csv: cells
                .iter()
                .map(|c| csv_prefix(&[&format.id, &c.id, &c.label, &c.unit]))
                .collect(),
            json: cells
                .iter()
                .map(|c| {
                    let mut part = b"{".to_vec();
                    json_fields(
                        &mut part,
                        &[("id", &c.id), ("label", &c.label), ("unit", &c.unit)],
                    );
                    part.extend_from_slice(b",\"value\":");
                    part
                })
                .collect(),
            long_json: cells
                .iter()
                .map(|c| {
                    let mut part = Vec::new();
                    json_fields(
                        &mut part,
                        &[
                            ("format", &format.id),
                            ("id", &c.id),
                            ("label", &c.label),
                            ("unit", &c.unit),
                        ],
                    );
                    part.extend_from_slice(b",\"value\":");
                    part
                })
                .collect(),
        }
    }
}

/// `fields` as the CSV writer writes them, each followed by the delimiter: the start of a row
/// whose remaining field is a figure (digits, sign and point never need quoting).
fn csv_prefix(fields: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // An empty last field: the record ends with the delimiter before the terminator.
        let _ = w.write_record(fields.iter().copied().chain([""]));
        let _ = w.flush();
    }
    out.truncate(out.len().saturating_sub(2));
    out
}

/// `"key":"value"` pairs separated by commas, as serde_json writes them.
fn json_fields(out: &mut Vec<u8>, fields: &[(&str, &str)]) {
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut *out, key);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, value);
    }
}

/// A figure as its decimal text exactly, or `blank` when not reported.
fn push_figure(out: &mut Vec<u8>, value: Option<Decimal>, blank: &[u8]) {
    match value {
        Some(v) => super::figure::push(out, v),
        None => out.extend_from_slice(blank),
    }
}

/// A JSON number written exactly as the decimal's text, or `null`.
#[cfg(test)]
fn json_number(value: Option<Decimal>) -> Option<Box<RawValue>> {
    value.and_then(|v| RawValue::from_string(v.to_string()).ok())
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonValue<'a> {
    id: &'a str,
    label: &'a str,
    unit: &'a str,
    value: Option<Box<RawValue>>,
}

#[cfg(test)]
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

#[cfg(test)]
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
    let rows = RowParts::of(stats.format);
    let mut out = Vec::with_capacity(12 * 1024);
    let _ = write!(out, "{{\"year\":{},", report.year);
    json_fields(
        &mut out,
        &[
            ("township", &report.township),
            ("township_name", township_name(site, report)),
            ("title", &report.meta.title),
            ("published", &report.meta.published.to_string()),
            ("format", &stats.format.id),
            ("format_name", &stats.format.name),
        ],
    );
    out.extend_from_slice(b",\"values\":[");
    for (i, (part, v)) in rows.json.iter().zip(&stats.values).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(part);
        push_figure(&mut out, *v, b"null");
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
    out
}

/// [`stats_json`] by serde, the reference the fast path is tested against.
#[cfg(test)]
fn stats_json_reference(site: &Site, report: &Report, stats: &Stats) -> Vec<u8> {
    let mut out = serde_json::to_vec(&json_report(site, report, stats)).unwrap_or_default();
    out.push(b'\n');
    out
}

fn township_name<'a>(site: &'a Site, report: &Report) -> &'a str {
    site.township(&report.township)
        .map_or("", |t| t.name.as_str())
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
    write_county_file_split(site, json, out, &mut |_| Ok(None))
}

/// Where [`write_county_file_split`] writes a year's own county file (`None`: nowhere).
pub type YearFiles<'a> = dyn FnMut(u16) -> std::io::Result<Option<Box<dyn Write + 'a>>> + 'a;

/// [`write_county_file`], also writing each year's rows as the county file of that year's
/// archive ([`Site::restricted_to_year`]) holds them to the writer `year_file` opens: the rows
/// are sorted by year, so each year's file is the same header and that year's slice of rows.
pub fn write_county_file_split(
    site: &Site,
    json: bool,
    out: &mut dyn Write,
    year_file: &mut YearFiles<'_>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let reports = long_reports(site);
    let mut all = CountyRows::start(out, json)?;
    // Reused from window to window: fresh multi-megabyte buffers cost page faults and copies
    // as they grow.
    let mut buffers = vec![Vec::new(); rayon::current_num_threads().max(1)];
    for year in reports.chunk_by(|a, b| a.year == b.year) {
        let mut year_rows = match year_file(year[0].year)? {
            Some(w) => Some(CountyRows::start(w, json)?),
            None => None,
        };
        for window in year.chunks(CHUNK * buffers.len()) {
            buffers
                .par_iter_mut()
                .zip(window.par_chunks(CHUNK))
                .for_each(|(buffer, chunk)| {
                    buffer.clear();
                    if json {
                        json_chunk(site, chunk, buffer)
                    } else {
                        csv_chunk(site, chunk, buffer)
                    }
                });
            for chunk in &buffers[..window.len().div_ceil(CHUNK)] {
                all.rows(chunk)?;
                if let Some(rows) = year_rows.as_mut() {
                    rows.rows(chunk)?;
                }
            }
        }
        if let Some(rows) = year_rows {
            rows.finish()?.flush()?;
        }
    }
    all.finish().map(drop)
}

/// A county file being written: its header, chunks of rows (comma-separated in JSON), its end.
struct CountyRows<W: Write> {
    out: W,
    json: bool,
    empty: bool,
}

impl<W: Write> CountyRows<W> {
    fn start(mut out: W, json: bool) -> std::io::Result<Self> {
        if json {
            out.write_all(b"[")?;
        } else {
            out.write_all(BOM)?;
            out.write_all(&csv_bytes(&LONG_HEADER, std::iter::empty())[BOM.len()..])?;
        }
        Ok(CountyRows {
            out,
            json,
            empty: true,
        })
    }

    fn rows(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        if self.json && !self.empty {
            self.out.write_all(b",")?;
        }
        self.empty = false;
        self.out.write_all(chunk)
    }

    fn finish(mut self) -> std::io::Result<W> {
        if self.json {
            self.out.write_all(b"]\n")?;
        }
        Ok(self.out)
    }
}

fn csv_chunk(site: &Site, reports: &[&Report], out: &mut Vec<u8>) {
    for r in reports {
        let stats = r.stats.as_ref().expect("filtered");
        let rows = RowParts::of(stats.format);
        let prefix = csv_prefix(&[&r.year.to_string(), &r.township, township_name(site, r)]);
        for (part, v) in rows.long_csv.iter().zip(&stats.values) {
            out.extend_from_slice(&prefix);
            out.extend_from_slice(part);
            push_figure(out, *v, b"");
            out.extend_from_slice(b"\r\n");
        }
    }
}

fn json_chunk(site: &Site, reports: &[&Report], out: &mut Vec<u8>) {
    for r in reports {
        let stats = r.stats.as_ref().expect("filtered");
        let rows = RowParts::of(stats.format);
        let mut prefix = Vec::new();
        let _ = write!(prefix, "{{\"year\":{},", r.year);
        json_fields(
            &mut prefix,
            &[
                ("township", &r.township),
                ("township_name", township_name(site, r)),
            ],
        );
        prefix.push(b',');
        for (part, v) in rows.long_json.iter().zip(&stats.values) {
            if !out.is_empty() {
                out.push(b',');
            }
            out.extend_from_slice(&prefix);
            out.extend_from_slice(part);
            push_figure(out, *v, b"null");
            out.push(b'}');
        }
    }
}

/// The county files' chunks by the CSV writer and serde: the reference of the fast path.
#[cfg(test)]
fn county_chunk_reference(site: &Site, reports: &[&Report], json: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in reports {
        let stats = r.stats.as_ref().expect("filtered");
        let name = township_name(site, r);
        for (c, v) in stats.format.cells.iter().zip(&stats.values) {
            if json {
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
            } else {
                let year = r.year.to_string();
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
    }
    if json {
        out
    } else {
        w.into_inner().unwrap_or_default()
    }
}

/// `/data/all.csv`: every figure of every report, one row each (long format).
pub fn all_csv(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = write_county_file(site, false, &mut out);
    out
}

#[cfg(test)]
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
        Measure::Reported { value, .. } => super::figure::text(value),
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
    pub(super) numbers: Vec<Format>,
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

    /// The format of a cell style; `None` for unformatted cells.
    pub(super) fn of(&self, style: CellStyle) -> Option<&Format> {
        match style {
            CellStyle::Plain => None,
            CellStyle::Title => Some(&self.title),
            CellStyle::Header => Some(&self.header),
            CellStyle::Label => Some(&self.label),
            CellStyle::Text => Some(&self.text),
        }
    }

    /// The number format showing exactly the decimals the figure was written with.
    pub(super) fn number(&self, value: Decimal) -> &Format {
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

/// How a cell of a generated sheet looks: one of the shared workbook styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CellStyle {
    /// No format.
    Plain,
    /// The sheet title.
    Title,
    /// A column header.
    Header,
    /// A row label.
    Label,
    /// Centred text.
    Text,
}

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CellValue {
    /// Text.
    Text(String),
    /// A figure, shown with exactly its written decimals.
    Number(Decimal),
}

/// A sheet as data: the single description both xlsx writers lay out.
#[derive(Debug, Default)]
pub(super) struct SheetSpec {
    /// (row, column, value, style), in row-major order.
    pub cells: Vec<(u32, u16, CellValue, CellStyle)>,
    /// Merged ranges (first row, first column, last row, last column).
    pub merges: Vec<(u32, u16, u32, u16)>,
    /// Column widths in Excel character units.
    pub widths: Vec<f64>,
}

impl SheetSpec {
    fn text(&mut self, row: u32, col: u16, text: impl Into<String>, style: CellStyle) {
        self.cells
            .push((row, col, CellValue::Text(text.into()), style));
    }
}

/// The comparison sheet of `compare.xlsx`: indicators × years, each year a value and a change.
pub(super) fn compare_sheet(title: &str, cmp: &TownshipComparison) -> SheetSpec {
    let mut sheet = SheetSpec::default();
    sheet.text(0, 0, title, CellStyle::Title);
    sheet.text(
        1,
        0,
        "空白 = 原表未填报；— = 当年表格格式未统计该项；≈ = 与其他年份口径近似，见脚注",
        CellStyle::Plain,
    );
    let head_row = 3;
    sheet.text(head_row, 0, "指标", CellStyle::Header);
    sheet.text(head_row, 1, "单位", CellStyle::Header);
    for (j, y) in cmp.years.iter().enumerate() {
        let col = 2 + 2 * j as u16;
        let format = y.format.as_deref().unwrap_or("无统计表");
        sheet.text(
            head_row,
            col,
            format!("{}年度（{format}）", y.year),
            CellStyle::Header,
        );
        sheet.text(head_row, col + 1, "", CellStyle::Header);
        sheet.merges.push((head_row, col, head_row, col + 1));
    }
    for j in 0..cmp.years.len() as u16 {
        sheet.text(head_row + 1, 2 + 2 * j, "数值", CellStyle::Header);
        sheet.text(head_row + 1, 3 + 2 * j, "比上年", CellStyle::Header);
    }
    for (i, row) in cmp.rows.iter().enumerate() {
        let r = head_row + 2 + i as u32;
        sheet.text(r, 0, &row.indicator.label, CellStyle::Label);
        sheet.text(r, 1, &row.indicator.unit, CellStyle::Text);
        for (j, cell) in row.cells.iter().enumerate() {
            let col = 2 + 2 * j as u16;
            match cell.measure {
                Measure::Reported { value, .. } => {
                    sheet
                        .cells
                        .push((r, col, CellValue::Number(value), CellStyle::Text));
                }
                m => sheet.text(r, col, measure_text(m), CellStyle::Text),
            }
            let change = cell.change.map(|c| {
                let pct = c.percent.map(|p| format!("（{p:+}%）")).unwrap_or_default();
                let approx = if c.grade == Grade::Approximate {
                    " ≈"
                } else {
                    ""
                };
                format!("{:+}{pct}{approx}", c.delta)
            });
            sheet.text(r, col + 1, change.unwrap_or_default(), CellStyle::Text);
        }
    }
    let notes_row = head_row + 3 + cmp.rows.len() as u32;
    for (i, n) in cmp.notes.iter().enumerate() {
        sheet.text(
            notes_row + i as u32,
            0,
            format!("注{}：{n}", i + 1),
            CellStyle::Plain,
        );
    }
    sheet.widths = vec![34.0, 6.0];
    for _ in &cmp.years {
        sheet.widths.extend([10.0, 16.0]);
    }
    sheet
}

/// `compare.xlsx` laid out by rust_xlsxwriter: the reference for the lean writer of
/// `xlsx_compare`, which the build uses.
pub fn compare_xlsx(
    title: &str,
    created: chrono::NaiveDate,
    cmp: &TownshipComparison,
) -> Result<Vec<u8>, XlsxError> {
    let spec = compare_sheet(title, cmp);
    let mut wb = workbook(created, title);
    let styles = Styles::new();
    let ws = wb.add_worksheet();
    ws.set_name(super::xlsx_compare::SHEET_NAME)?;
    let merged_tail = |r: u32, c: u16| {
        spec.merges.iter().any(|&(r0, c0, r1, c1)| {
            (r0..=r1).contains(&r) && (c0..=c1).contains(&c) && (r, c) != (r0, c0)
        })
    };
    for (r, c, value, style) in &spec.cells {
        let format = styles.of(*style);
        if let Some(&(r0, c0, r1, c1)) = spec.merges.iter().find(|m| (m.0, m.1) == (*r, *c)) {
            let CellValue::Text(text) = value else {
                continue;
            };
            ws.merge_range(r0, c0, r1, c1, text, format.unwrap_or(&styles.text))?;
            continue;
        }
        if merged_tail(*r, *c) {
            continue;
        }
        match (value, format) {
            (CellValue::Number(v), _) => {
                let number: f64 = v.to_string().parse().unwrap_or_default();
                ws.write_number_with_format(*r, *c, number, styles.number(*v))?;
            }
            (CellValue::Text(t), Some(f)) => {
                ws.write_string_with_format(*r, *c, t, f)?;
            }
            (CellValue::Text(t), None) => {
                ws.write_string(*r, *c, t)?;
            }
        }
    }
    for (i, w) in spec.widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
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

    /// The fast data-file writers give the bytes of the CSV writer and serde, field by field, in
    /// all three formats, with blank, 0, negative and decimal figures and a township name that
    /// needs CSV quoting and JSON escaping.
    #[test]
    fn fast_rows_equal_the_field_by_field_writers() {
        let config =
            crate::config::Config::parse("title = \"t\"\nbase_url = \"https://a.cn/\"\n").unwrap();
        let township = crate::site::Township {
            slug: "a".into(),
            name: "甲,\"镇\"\\".into(),
            kind: "镇".into(),
            code: None,
            order: 0,
            formerly: Vec::new(),
        };
        let figures = ["0", "-3", "1.50", "0.001", "147", "2000000"];
        let reports: Vec<Report> = ["gov-2014", "gov-2019", "gov-2021"]
            .iter()
            .zip([2016u16, 2019, 2022])
            .map(|(id, year)| {
                let f = crate::schema::format(id).unwrap();
                let values = (0..f.cells.len())
                    .map(|i| (i % 7 != 3).then(|| figures[i % figures.len()].parse().unwrap()))
                    .collect();
                let stats = Stats {
                    format: f,
                    values,
                    findings: Vec::new(),
                };
                Report {
                    stats: Some(stats),
                    ..crate::site::compare::tests_support::report(year, "a", "标题\"引号\"")
                }
            })
            .collect();
        let site = Site::new(config, vec![township], reports, None, Default::default());
        let all: Vec<&Report> = site.reports.iter().collect();
        for r in &site.reports {
            let stats = r.stats.as_ref().unwrap();
            assert_eq!(stats_csv(stats), stats_csv_reference(stats));
            assert_eq!(
                String::from_utf8(stats_json(&site, r, stats)).unwrap(),
                String::from_utf8(stats_json_reference(&site, r, stats)).unwrap()
            );
        }
        for json in [false, true] {
            let mut fast = Vec::new();
            if json {
                json_chunk(&site, &all, &mut fast)
            } else {
                csv_chunk(&site, &all, &mut fast)
            }
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(county_chunk_reference(&site, &all, json)).unwrap()
            );
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
