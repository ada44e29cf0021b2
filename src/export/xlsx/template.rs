//! `stats.xlsx` at scale: one workbook per format is laid out by rust_xlsxwriter with a sentinel
//! in every value cell; each report's workbook is that template with its figures put into the
//! slots. Building a workbook from scratch for every report was two thirds of a 10,000-report
//! build; filling a template costs a fraction of that. The full path (`sheet::stats_xlsx`) stays
//! the reference: a test checks that both give the same cells.

use std::sync::Arc;

use rust_decimal::Decimal;
use rust_xlsxwriter::XlsxError;

use super::package::{Entry, Package};
use super::print::header_title;
use super::sheet::{self, PROBE_COLUMN};
use crate::schema::{Format, PerFormat};
use crate::site::{Report, Stats};

/// Sentinel values are `SENTINEL + cell index`.
const SENTINEL: u64 = 900_000_000;
/// Marks the probe workbooks carry in their document properties, replaced per file.
pub(super) const TITLE_MARK: &str = "@@NIANBAO_TITLE@@";
pub(super) const DATE_MARK: &str = "2000-01-01T00:00:00Z";
/// The print area a probe workbook gives its sheet (`A1` to row 999,999) where each file's own
/// is put.
pub(super) const AREA_MARK: &str = "$A$1:$A$999999";

enum SheetPart {
    Literal(String),
    /// The report's title in the page header (the probe's title mark).
    HeaderTitle,
    /// A value cell: its cell index in the format and its reference (`C6`).
    Value {
        cell: usize,
        reference: String,
    },
}

struct Template {
    /// Zip entries in order; the sheet is built from `sheet`.
    entries: Vec<Part>,
    sheet: Vec<SheetPart>,
    /// Style ids of number cells by decimal places, of blank value cells, and of a heading row's
    /// blank cells.
    number_styles: Vec<String>,
    blank_style: String,
    heading_style: String,
}

fn template(format: &'static Format) -> Result<Arc<Template>, XlsxError> {
    static TEMPLATES: PerFormat<Arc<Template>> = PerFormat::new();
    TEMPLATES.get_or_try_make(format, || build(format).map(Arc::new))
}

pub(super) fn other(message: impl Into<String>) -> XlsxError {
    XlsxError::ParameterError(message.into())
}

fn build(format: &'static Format) -> Result<Template, XlsxError> {
    let values = (0..format.cells.len())
        .map(|i| Some(Decimal::from(SENTINEL + i as u64)))
        .collect();
    let stats = Stats {
        format,
        values,
        findings: Vec::new(),
    };
    let date = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let bytes = sheet::stats_workbook(TITLE_MARK, date, &stats, true)?;
    let (entries, sheet_xml) = package_parts(bytes, "xl/worksheets/sheet1.xml")?;
    let sheet_xml = without_dimension(&sheet_xml);
    // The probe cells' styles: numbers with 0–6 decimals, a blank, a heading row's blank.
    let (sheet, mut number_styles) = parse_sheet(&sheet_xml, format.cells.len())?;
    let heading_style = number_styles.pop().unwrap_or_default();
    let blank_style = number_styles.pop().unwrap_or_default();
    Ok(Template {
        entries,
        sheet,
        number_styles,
        blank_style,
        heading_style,
    })
}

/// `sheet` without its `<dimension>` element, which is optional: the probe's would span the probe
/// cells far to the right, which the filled sheets do not have.
pub(super) fn without_dimension(sheet: &str) -> String {
    let mut out = sheet.to_string();
    if let Some(at) = out.find("<dimension ")
        && let Some(len) = out[at..].find("/>")
    {
        out.replace_range(at..at + len + 2, "");
    }
    out
}

/// Split the sheet at its value cells and read the probe cells' style ids.
fn parse_sheet(xml: &str, cells: usize) -> Result<(Vec<SheetPart>, Vec<String>), XlsxError> {
    let probes: Vec<String> = (0..9)
        .map(|k| format!("{}1", column_name(u32::from(PROBE_COLUMN + k))))
        .collect();
    let mut probe_styles = vec![String::new(); probes.len()];
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<c r=\"") {
        literal.push_str(&rest[..start]);
        let element_end =
            element_end(&rest[start..]).ok_or_else(|| other("unterminated cell"))? + start;
        let element = &rest[start..element_end];
        let reference = attribute(element, "r").unwrap_or_default();
        if let Some(k) = probes.iter().position(|p| *p == reference) {
            probe_styles[k] = attribute(element, "s").unwrap_or_default();
        } else if let Some(cell) = sentinel_cell(element, cells) {
            push_literal(&mut parts, &std::mem::take(&mut literal));
            parts.push(SheetPart::Value { cell, reference });
        } else {
            literal.push_str(element);
        }
        rest = &rest[element_end..];
    }
    literal.push_str(rest);
    push_literal(&mut parts, &literal);
    if !parts.iter().any(|p| matches!(p, SheetPart::HeaderTitle)) {
        return Err(other(
            "the template sheet has no title mark in its page header",
        ));
    }
    if probe_styles.iter().any(String::is_empty) {
        return Err(other("probe cells missing from the template"));
    }
    Ok((parts, probe_styles))
}

/// Add literal sheet text, the title marks in it (the page header's) split out as their own parts.
fn push_literal(parts: &mut Vec<SheetPart>, text: &str) {
    let mut pieces = text.split(TITLE_MARK);
    parts.push(SheetPart::Literal(
        pieces.next().unwrap_or_default().to_string(),
    ));
    for piece in pieces {
        parts.push(SheetPart::HeaderTitle);
        parts.push(SheetPart::Literal(piece.to_string()));
    }
}

/// The byte length of the `<c …>…</c>` or `<c …/>` element at the start of `text`.
fn element_end(text: &str) -> Option<usize> {
    let gt = text.find('>')?;
    if text[..gt].ends_with('/') {
        return Some(gt + 1);
    }
    text.find("</c>").map(|i| i + "</c>".len())
}

fn attribute(element: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let from = element.find(&key)? + key.len();
    let len = element[from..].find('"')?;
    Some(element[from..from + len].to_string())
}

fn sentinel_cell(element: &str, cells: usize) -> Option<usize> {
    if element.contains(" t=\"") {
        return None;
    }
    let from = element.find("<v>")? + 3;
    let value: u64 = element[from..from + element[from..].find("</v>")?]
        .parse()
        .ok()?;
    let cell = value.checked_sub(SENTINEL)? as usize;
    (cell < cells).then_some(cell)
}

/// A spreadsheet column's letters from its 0-based index: `0` → `A`, `26` → `AA`.
pub(crate) fn column_name(mut index: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Text for the workbook's XML (apostrophes are left as they are).
pub(super) fn escape(text: &str) -> String {
    crate::markup::escaped(text, None)
}

/// `stats.xlsx` of one report, filled into its format's template.
pub(crate) fn stats_xlsx(report: &Report, stats: &Stats) -> Result<Vec<u8>, XlsxError> {
    let t = template(stats.format)?;
    let header = escape(&header_title(&report.meta.title));
    let mut sheet = String::with_capacity(16 * 1024);
    for part in &t.sheet {
        match part {
            SheetPart::Literal(text) => sheet.push_str(text),
            SheetPart::HeaderTitle => sheet.push_str(&header),
            SheetPart::Value { cell, reference } => match stats.values[*cell] {
                Some(v) => {
                    let style =
                        &t.number_styles[(v.scale() as usize).min(t.number_styles.len() - 1)];
                    for text in ["<c r=\"", reference, "\" s=\"", style, "\"><v>"] {
                        sheet.push_str(text);
                    }
                    crate::site::figure::push_str(&mut sheet, v);
                    sheet.push_str("</v></c>");
                }
                None => {
                    let style = if stats.format.cells[*cell].heading {
                        &t.heading_style
                    } else {
                        &t.blank_style
                    };
                    sheet.push_str(&format!("<c r=\"{reference}\" s=\"{style}\"/>"));
                }
            },
        }
    }
    let date = format!("{}T00:00:00Z", report.meta.file_date());
    zip_package(&t.entries, &sheet, &report.meta.title, &date, None)
}

/// One entry of a workbook package made from a probe workbook.
pub(super) enum Part {
    /// The worksheet, made for each file.
    Sheet(String),
    /// A part carrying the probe's title or date marks, filled for each file.
    Marked(String, String),
    /// A part that is the same in every file, compressed once and copied as it is (styles and
    /// theme are most of a workbook's compression work otherwise).
    Packed(Entry),
}

/// The entries of a probe workbook as [`Part`]s in order, and the text of its sheet `sheet`.
pub(super) fn package_parts(
    workbook: Vec<u8>,
    sheet: &str,
) -> Result<(Vec<Part>, String), XlsxError> {
    let zip_error = |e: zip::result::ZipError| other(e.to_string());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).map_err(zip_error)?;
    let mut parts = Vec::with_capacity(archive.len());
    let mut sheet_xml = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(zip_error)?;
        let name = file.name().map_err(zip_error)?.to_string();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).map_err(|e| other(e.to_string()))?;
        parts.push(if name == sheet {
            sheet_xml = text;
            Part::Sheet(name)
        } else if text.contains(TITLE_MARK) || text.contains(DATE_MARK) || text.contains(AREA_MARK)
        {
            Part::Marked(name, text)
        } else {
            Part::Packed(Entry::deflated(&name, text.as_bytes()).map_err(io)?)
        });
    }
    Ok((parts, sheet_xml))
}

/// Zip a workbook package: `parts` in order, with `sheet` as the worksheet and the probe's title
/// and date marks filled in, and `mark` (a text and its replacement) if given.
pub(super) fn zip_package(
    parts: &[Part],
    sheet: &str,
    title: &str,
    date: &str,
    mark: Option<(&str, &str)>,
) -> Result<Vec<u8>, XlsxError> {
    let title = escape(title);
    let mut package = Package::with_capacity(16 * 1024);
    for part in parts {
        match part {
            Part::Sheet(name) => package.add(name, sheet.as_bytes()),
            Part::Marked(name, text) => {
                let mut filled = text.replace(TITLE_MARK, &title).replace(DATE_MARK, date);
                if let Some((from, to)) = mark {
                    filled = filled.replace(from, to);
                }
                package.add(name, filled.as_bytes())
            }
            Part::Packed(entry) => package.add_entry(entry),
        }
        .map_err(io)?;
    }
    package.finish().map_err(io)
}

/// An I/O error of packaging as the workbook library's error.
fn io(e: std::io::Error) -> XlsxError {
    other(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::export::xlsx::print::page_setup_xml;
    use crate::schema::formats;
    use calamine::{Data, Reader, Xlsx};

    fn cells(bytes: Vec<u8>) -> Vec<(u32, u32, String)> {
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("统计表").unwrap();
        range
            .used_cells()
            .filter(|(_, _, v)| !matches!(v, Data::Empty))
            .map(|(r, c, v)| (r as u32, c as u32, v.to_string()))
            .collect()
    }

    #[test]
    fn template_and_full_layout_give_the_same_cells_and_page_setup() {
        let report = crate::site::compare::tests_support::report(2021, "a", "华容县<甲>镇 & 报告");
        for format in formats() {
            let values: Vec<Option<Decimal>> = (0..format.cells.len())
                .map(|i| match i % 5 {
                    0 => None,
                    1 => Some(Decimal::ZERO),
                    2 if format.cells[i].decimal => Some("12.50".parse().unwrap()),
                    _ => Some(Decimal::from(i as i64 * 3)),
                })
                .collect();
            let stats = Stats {
                format,
                values,
                findings: Vec::new(),
            };
            let (fast_bytes, full_bytes) = (
                stats_xlsx(&report, &stats).unwrap(),
                sheet::stats_xlsx(&report, &stats).unwrap(),
            );
            let (fast_setup, full_setup) =
                (page_setup_xml(&fast_bytes), page_setup_xml(&full_bytes));
            assert_eq!(fast_setup, full_setup, "{}", format.id);
            assert!(
                fast_setup
                    .contains("<oddHeader>&amp;C华容县&lt;甲&gt;镇 &amp;&amp; 报告</oddHeader>"),
                "the report's title, & doubled, in the page header: {fast_setup}"
            );
            let fast = cells(fast_bytes);
            let full = cells(full_bytes);
            assert_eq!(fast, full, "{}", format.id);
            assert!(
                fast.iter().any(|(_, _, v)| v.contains("<甲>")),
                "title escaped and restored"
            );
        }
    }

    fn sheet_xml(workbook: Vec<u8>) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut text,
        )
        .unwrap();
        without_dimension(&text)
    }

    #[test]
    fn blank_and_heading_cells_keep_their_styles() {
        // A heading row's empty cell takes the shaded heading style, an unreported one the
        // plain blank style (the probe cells give both).
        let report = crate::site::compare::tests_support::report(2016, "a", "甲镇");
        let format = crate::schema::format("gov-2014").unwrap();
        let stats = Stats {
            format,
            values: vec![None; format.cells.len()],
            findings: Vec::new(),
        };
        let t = template(format).unwrap();
        assert_ne!(t.heading_style, t.blank_style);
        let xml = sheet_xml(stats_xlsx(&report, &stats).unwrap());
        let style_of = |id: &str| {
            let cell = format.cell_index(id).unwrap();
            let reference = t
                .sheet
                .iter()
                .find_map(|p| match p {
                    SheetPart::Value { cell: c, reference } if *c == cell => Some(reference),
                    _ => None,
                })
                .unwrap();
            let at = xml.find(&format!("<c r=\"{reference}\"")).unwrap();
            attribute(&xml[at..at + xml[at..].find('>').unwrap()], "s").unwrap()
        };
        assert_eq!(style_of("proactive"), t.heading_style);
        assert_eq!(style_of("proactive.total"), t.blank_style);
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(200), "GS");
    }
}
