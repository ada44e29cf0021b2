//! Data downloads: CSV (UTF-8 with BOM, so Excel opens it), JSON and XLSX.
//!
//! Every figure is written exactly as the source has it (`1.50` stays `1.50`); blank stays blank
//! (empty CSV field, JSON `null`, empty XLSX cell), never 0.

use std::io::Write;

use rust_decimal::Decimal;
use serde::Serialize;
#[cfg(test)]
use serde_json::value::RawValue;

use crate::schema::compare::Grade;
use crate::site::compare::{Measure, TownshipComparison};
use crate::site::{Report, Site, Stats};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
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
    value.map(crate::site::figure::text).unwrap_or_default()
}

/// `stats.csv`: one row per cell in official order, each naming its report (township, township
/// name, year): id, label, unit, value (blank = empty).
pub fn stats_csv(township: &str, township_name: &str, year: u16, stats: &Stats) -> Vec<u8> {
    let rows = RowParts::of(stats.format);
    let identity = csv_prefix(&[township, township_name, &year.to_string()]);
    let mut out = Vec::with_capacity(8 * 1024);
    out.extend_from_slice(&rows.csv_header);
    for (part, v) in rows.csv.iter().zip(&stats.values) {
        out.extend_from_slice(&identity);
        out.extend_from_slice(part);
        push_figure(&mut out, *v, b"");
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// [`stats_csv`] by the CSV writer, field by field: the reference the fast path is tested against.
#[cfg(test)]
fn stats_csv_reference(township: &str, township_name: &str, year: u16, stats: &Stats) -> Vec<u8> {
    let rows = stats.format.cells.iter().zip(&stats.values).map(|(c, v)| {
        vec![
            township.to_string(),
            township_name.to_string(),
            year.to_string(),
            c.id.clone(),
            c.label.clone(),
            c.unit.clone(),
            figure(*v),
        ]
    });
    csv_bytes(&STATS_CSV_HEADER, rows)
}

/// The columns of `stats.csv`.
const STATS_CSV_HEADER: [&str; 7] = [
    "township",
    "township_name",
    "year",
    "id",
    "label",
    "unit",
    "value",
];

/// The parts of the data files' rows that depend on the cell alone, encoded once per format:
/// every report repeats the same ids, labels and units, and escaping them was most of the cost
/// of the CSV and JSON downloads.
struct RowParts {
    /// BOM and the header of stats.csv.
    csv_header: Vec<u8>,
    /// `id,label,unit,` per cell (stats.csv).
    csv: Vec<Vec<u8>>,
    /// `format,id,label,unit,` per cell (all.csv).
    long_csv: Vec<Vec<u8>>,
    /// `"<id>":` per cell: the key of its value in stats.json and all.json.
    json_keys: Vec<Vec<u8>>,
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
            csv_header: csv_bytes(&STATS_CSV_HEADER, std::iter::empty()),
            csv: cells
                .iter()
                .map(|c| csv_prefix(&[&c.id, &c.label, &c.unit]))
                .collect(),
            long_csv: cells
                .iter()
                .map(|c| csv_prefix(&[&format.id, &c.id, &c.label, &c.unit]))
                .collect(),
            json_keys: cells
                .iter()
                .map(|c| {
                    let mut key = serde_json::to_vec(&c.id).unwrap_or_default();
                    key.push(b':');
                    key
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
        Some(v) => crate::site::figure::push(out, v),
        None => out.extend_from_slice(blank),
    }
}

/// A JSON number written exactly as the decimal's text, or `null`.
#[cfg(test)]
fn json_number(value: Option<Decimal>) -> Option<Box<RawValue>> {
    value.and_then(|v| RawValue::from_string(v.to_string()).ok())
}

/// The version of the JSON data model (`stats.json`, `all.json`, `data/formats/<format>.json`):
/// raised when a field changes meaning or goes. Version 2 keys each value by its item id and
/// names the items' labels and units once, in the format's dictionary.
pub(crate) const JSON_VERSION: u32 = 2;

/// Where the dictionary of a table format is published.
fn dictionary_path(format: &crate::schema::Format) -> String {
    crate::plan::urls::format_dictionary(&format.id)
}

/// `data/formats/<format>.json`: the items of a table format in official order (`id`, `label`,
/// `unit`, `heading`), which `stats.json` and `all.json` key their values by.
pub(crate) fn dictionary_json(format: &crate::schema::Format) -> Vec<u8> {
    #[derive(Serialize)]
    struct Item<'a> {
        id: &'a str,
        label: &'a str,
        unit: &'a str,
        heading: bool,
    }
    #[derive(Serialize)]
    struct Dictionary<'a> {
        version: u32,
        format: &'a str,
        format_name: &'a str,
        items: Vec<Item<'a>>,
    }
    let dictionary = Dictionary {
        version: JSON_VERSION,
        format: &format.id,
        format_name: &format.name,
        items: format
            .cells
            .iter()
            .map(|c| Item {
                id: &c.id,
                label: &c.label,
                unit: &c.unit,
                heading: c.heading,
            })
            .collect(),
    };
    let mut out = serde_json::to_vec(&dictionary).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Every cell's value keyed by its id, in official order: `{"<id>":<value or null>,…}`.
fn push_values(out: &mut Vec<u8>, stats: &Stats) {
    let rows = RowParts::of(stats.format);
    out.push(b'{');
    for (i, (key, v)) in rows.json_keys.iter().zip(&stats.values).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(key);
        push_figure(out, *v, b"null");
    }
    out.push(b'}');
}

/// `stats.json`: the model's version, the report's metadata, the relative address of its
/// format's dictionary and every cell's value keyed by item id (`null` for blank).
pub(crate) fn stats_json(site: &Site, report: &Report, stats: &Stats) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 * 1024);
    let _ = write!(
        out,
        "{{\"version\":{JSON_VERSION},\"year\":{},",
        report.year
    );
    json_fields(
        &mut out,
        &[
            ("township", &report.township),
            ("township_name", site.township_name(&report.township)),
            ("title", &report.meta.title),
        ],
    );
    // `null` for an unknown 公开日期, as for a blank figure.
    match report.meta.published {
        Some(date) => {
            let _ = write!(out, ",\"published\":\"{date}\",");
        }
        None => out.extend_from_slice(b",\"published\":null,"),
    }
    json_fields(
        &mut out,
        &[
            ("format", &stats.format.id),
            ("format_name", &stats.format.name),
            // stats.json is at <year>/<township>/stats.json.
            (
                "dictionary",
                &format!("../../{}", dictionary_path(stats.format)),
            ),
        ],
    );
    out.extend_from_slice(b",\"values\":");
    push_values(&mut out, stats);
    out.extend_from_slice(b"}\n");
    out
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    year: u16,
    township: &'a str,
    township_name: &'a str,
    title: &'a str,
    published: Option<String>,
    format: &'a str,
    format_name: &'a str,
    dictionary: String,
    values: Box<RawValue>,
}

/// Values keyed by id in official order, written key by key with serde (the reference of
/// [`push_values`]).
#[cfg(test)]
fn json_values(stats: &Stats) -> Box<RawValue> {
    let pairs: Vec<String> = stats
        .format
        .cells
        .iter()
        .zip(&stats.values)
        .map(|(c, v)| {
            let value = json_number(*v).map_or("null".to_string(), |raw| raw.get().to_string());
            format!(
                "{}:{value}",
                serde_json::to_string(&c.id).unwrap_or_default()
            )
        })
        .collect();
    RawValue::from_string(format!("{{{}}}", pairs.join(","))).expect("valid JSON")
}

#[cfg(test)]
fn json_report<'a>(site: &'a Site, report: &'a Report, stats: &'a Stats) -> JsonReport<'a> {
    JsonReport {
        version: JSON_VERSION,
        year: report.year,
        township: &report.township,
        township_name: site
            .township(&report.township)
            .map_or("", |t| t.name.as_str()),
        title: &report.meta.title,
        published: report.meta.published.map(|d| d.to_string()),
        format: &stats.format.id,
        format_name: &stats.format.name,
        dictionary: format!("../../{}", dictionary_path(stats.format)),
        values: json_values(stats),
    }
}

/// [`stats_json`] by serde, the reference the fast path is tested against.
#[cfg(test)]
fn stats_json_reference(site: &Site, report: &Report, stats: &Stats) -> Vec<u8> {
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
/// they are never held in memory whole. A year archive holds no slice of them: the live site
/// publishes no per-year county file, and an archive holds only files the live site publishes.
pub(crate) fn write_county_file(
    site: &Site,
    json: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let reports = long_reports(site);
    let mut all = CountyRows::start(out, json)?;
    // Reused from window to window: fresh multi-megabyte buffers cost page faults and copies
    // as they grow.
    let mut buffers = vec![Vec::new(); rayon::current_num_threads().max(1)];
    for window in reports.chunks(CHUNK * buffers.len()) {
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
    /// Start the file; all.json names the dictionary of each table format first.
    fn start(mut out: W, json: bool) -> std::io::Result<Self> {
        if json {
            write!(out, "{{\"version\":{JSON_VERSION},\"dictionaries\":{{")?;
            for (i, format) in crate::schema::formats().iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                // all.json is at data/all.json.
                let path = dictionary_path(format);
                let relative = path.strip_prefix("data/").unwrap_or(&path);
                serde_json::to_writer(&mut out, &format.id)?;
                out.write_all(b":")?;
                serde_json::to_writer(&mut out, relative)?;
            }
            out.write_all(b"},\"reports\":[")?;
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
            self.out.write_all(b"]}\n")?;
        }
        Ok(self.out)
    }
}

fn csv_chunk(site: &Site, reports: &[&Report], out: &mut Vec<u8>) {
    for r in reports {
        let stats = r.stats.as_ref().expect("filtered");
        let rows = RowParts::of(stats.format);
        let prefix = csv_prefix(&[
            &r.year.to_string(),
            &r.township,
            site.township_name(&r.township),
        ]);
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
        if !out.is_empty() {
            out.push(b',');
        }
        let _ = write!(out, "{{\"year\":{},", r.year);
        json_fields(
            out,
            &[
                ("township", &r.township),
                ("township_name", site.township_name(&r.township)),
                ("format", &stats.format.id),
            ],
        );
        out.extend_from_slice(b",\"values\":");
        push_values(out, stats);
        out.push(b'}');
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
        let name = site.township_name(&r.township);
        for (c, v) in stats.format.cells.iter().zip(&stats.values) {
            if json {
                continue;
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
        for r in reports {
            let stats = r.stats.as_ref().expect("filtered");
            if !out.is_empty() {
                out.push(b',');
            }
            let report = JsonLongReport {
                year: r.year,
                township: &r.township,
                township_name: site.township_name(&r.township),
                format: &stats.format.id,
                values: json_values(stats),
            };
            let _ = serde_json::to_writer(&mut out, &report);
        }
        out
    } else {
        w.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonLongReport<'a> {
    year: u16,
    township: &'a str,
    township_name: &'a str,
    format: &'a str,
    values: Box<RawValue>,
}

/// The text of a measure in data files: the figure, empty for blank, `—` for not collected.
pub(crate) fn measure_text(m: Measure) -> String {
    match m {
        Measure::Reported { value, .. } => crate::site::figure::text(value),
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

/// `compare.csv`: a township's comparison in long format, one row per indicator and year, each
/// row naming the township. `grade` and `comparability` describe the comparison with the
/// previous year: a change is given only where the two figures mean the same thing.
pub(crate) fn compare_csv(
    township: &str,
    township_name: &str,
    cmp: &TownshipComparison,
) -> Vec<u8> {
    let header = [
        "township",
        "township_name",
        "year",
        "format",
        "indicator",
        "label",
        "unit",
        "value",
        "status",
        "grade",
        "comparability",
        "change",
        "change_percent",
        "note",
    ];
    let rows = cmp.rows.iter().flat_map(|row| {
        row.cells.iter().zip(&cmp.years).map(move |(cell, year)| {
            vec![
                township.to_string(),
                township_name.to_string(),
                year.year.to_string(),
                year.format.clone().unwrap_or_default(),
                row.indicator.id.clone(),
                row.indicator.label.clone(),
                row.indicator.unit.clone(),
                match cell.measure {
                    Measure::NotCollected => String::new(),
                    m => measure_text(m),
                },
                if year.published {
                    status(cell.measure).to_string()
                } else {
                    "未发布".to_string()
                },
                cell.comparability
                    .grade()
                    .map(Grade::symbol)
                    .unwrap_or_default()
                    .to_string(),
                cell.comparability.code().to_string(),
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
            since: None,
            until: None,
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
            assert_eq!(
                stats_csv("a,b", "甲\"镇", 2018, stats),
                stats_csv_reference("a,b", "甲\"镇", 2018, stats)
            );
            assert_eq!(
                String::from_utf8(stats_json(&site, r, stats)).unwrap(),
                String::from_utf8(stats_json_reference(&site, r, stats)).unwrap()
            );
        }
        compact_json_keys_every_value_by_its_dictionary_s_id(&site);
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

    /// stats.json and all.json name each value by the id of its format's dictionary, which
    /// lists every item with its label and unit in official order; blank is `null`, 0 is 0.
    fn compact_json_keys_every_value_by_its_dictionary_s_id(site: &Site) {
        use serde_json::Value;
        let mut all = Vec::new();
        write_county_file(site, true, &mut all).unwrap();
        let all: Value = serde_json::from_slice(&all).unwrap();
        assert_eq!(all["version"], JSON_VERSION);
        let listed = all["reports"].as_array().unwrap();
        assert_eq!(listed.len(), site.reports.len());
        for (r, listed) in long_reports(site).into_iter().zip(listed) {
            assert_eq!(listed["year"], r.year);
            let stats = r.stats.as_ref().unwrap();
            let own: Value = serde_json::from_slice(&stats_json(site, r, stats)).unwrap();
            assert_eq!(own["version"], JSON_VERSION);
            let path = all["dictionaries"][&stats.format.id].as_str().unwrap();
            assert_eq!(
                own["dictionary"].as_str().unwrap(),
                format!("../../data/{path}")
            );
            let dictionary: Value = serde_json::from_slice(&dictionary_json(stats.format)).unwrap();
            let items = dictionary["items"].as_array().unwrap();
            assert_eq!(items.len(), stats.format.cells.len());
            for (values, whose) in [(&own["values"], "stats.json"), (&listed["values"], "all")] {
                let values = values.as_object().unwrap();
                assert_eq!(values.len(), items.len(), "{whose}: one value per item");
                let mut zeros = 0;
                for ((item, cell), v) in items.iter().zip(&stats.format.cells).zip(&stats.values) {
                    assert_eq!(item["id"], cell.id.as_str());
                    assert_eq!(item["label"], cell.label.as_str());
                    assert_eq!(item["unit"], cell.unit.as_str());
                    let value = &values[cell.id.as_str()];
                    match v {
                        None => assert!(value.is_null(), "{whose}: {} blank", cell.id),
                        Some(v) => {
                            // The exact text (1.50) is checked against the reference writer.
                            let text = crate::site::figure::text(*v);
                            assert_eq!(value.as_f64(), text.parse::<f64>().ok(), "{text}");
                            zeros += usize::from(v.is_zero());
                        }
                    }
                }
                assert!(zeros > 0, "the table has zeros that must not become null");
            }
        }
    }

    #[test]
    fn csv_has_bom_official_order_and_blank_fields() {
        let csv = String::from_utf8(stats_csv("beijinggang", "北景港镇", 2018, &stats())).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "township,township_name,year,id,label,unit,value");
        let row = "beijinggang,北景港镇,2018,";
        assert!(
            lines[1..].iter().all(|l| l.starts_with(row)),
            "every row names its report"
        );
        assert_eq!(lines[1], format!("{row}proactive,一、主动公开情况,,"));
        assert!(
            lines[2].starts_with(&format!("{row}proactive.total,"))
                && lines[2].ends_with(",条,147")
        );
        assert!(lines.contains(&format!("{row}complaints.total,六、举报投诉数量,件,0").as_str()));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{row}org.budget,")) && l.ends_with(",万元,1.50"))
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
