//! `compare.xlsx` at scale. rust_xlsxwriter spends most of a comparison workbook's time on
//! bookkeeping we don't need (shared strings, per-cell format lookups); at 2,000 townships it was
//! the largest single cost of a build. The fixed parts of the package (styles, workbook,
//! relationships) come once from a probe workbook that rust_xlsxwriter lays out with the shared
//! styles; each township's sheet is then written directly from the same `SheetSpec` that the
//! reference writer (`sheet::compare_xlsx`) uses, and a test checks both give the same cells.

use std::fmt::Write as _;
use std::sync::OnceLock;

use rust_xlsxwriter::XlsxError;

use super::print::header_title;
use super::print_setup;
use super::sheet::{self, CellStyle, CellValue, SHEET_NAME, SheetSpec, Styles};
use crate::export::xlsx::template::{
    AREA_MARK, Part, TITLE_MARK, column_name, escape, other, package_parts, without_dimension,
    zip_package,
};
use crate::site::compare::TownshipComparison;

const SHEET_ENTRY: &str = "xl/worksheets/sheet1.xml";
/// Probe cells on row 1: the six cell styles, then number styles with 0–6 decimals.
const STYLE_PROBES: [CellStyle; 6] = [
    CellStyle::Plain,
    CellStyle::Title,
    CellStyle::Header,
    CellStyle::Label,
    CellStyle::Text,
    CellStyle::Note,
];
/// The probe's print area, `A1` to this cell ([`AREA_MARK`]), replaced in each file by the
/// sheet's own.
const AREA_MARK_CELL: (u32, u16) = (999_998, 0);
/// The most pages across a comparison prints on (20 years and more at 9 points).
const MOST_PAGES_WIDE: usize = 4;

struct Package {
    /// Zip entries in order.
    entries: Vec<Part>,
    /// The sheet's XML before `<sheetData>` (without dimension and columns) and after it; the
    /// page header in `tail` carries the title mark.
    head: String,
    tail: String,
    /// ` s="n"` attributes by `CellStyle` (probe order), and for numbers by decimal places.
    styles: Vec<String>,
    numbers: Vec<String>,
}

/// The package of a comparison printed `pages_wide` pages across (its page setup differs).
fn package(pages_wide: u16) -> Result<&'static Package, XlsxError> {
    static PACKAGES: [OnceLock<Result<Package, String>>; MOST_PAGES_WIDE] =
        [const { OnceLock::new() }; MOST_PAGES_WIDE];
    let pages = pages_wide.clamp(1, MOST_PAGES_WIDE as u16);
    PACKAGES[usize::from(pages) - 1]
        .get_or_init(|| probe(pages).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| other(e.clone()))
}

fn probe(pages_wide: u16) -> Result<Package, XlsxError> {
    let date = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let mut wb = sheet::workbook(date, TITLE_MARK);
    let styles = Styles::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    print_setup(ws, &sheet::compare_print_setup(TITLE_MARK, pages_wide))?;
    ws.set_print_area(0, 0, AREA_MARK_CELL.0, AREA_MARK_CELL.1)?;
    let mut col = 0u16;
    for style in STYLE_PROBES {
        match styles.of(style) {
            Some(f) => ws.write_blank(0, col, f)?,
            // An unformatted blank is not written at all; a number with no format stands in.
            None => ws.write_number(0, col, 0)?,
        };
        col += 1;
    }
    for f in &styles.numbers {
        ws.write_blank(0, col, f)?;
        col += 1;
    }
    let bytes = wb.save_to_buffer()?;
    let (entries, sheet) = package_parts(bytes, SHEET_ENTRY)?;
    if !entries
        .iter()
        .any(|p| matches!(p, Part::Marked(_, text) if text.contains(AREA_MARK)))
    {
        return Err(other("the probe's print area is not where it is replaced"));
    }
    split_probe_sheet(&sheet, entries, usize::from(col))
}

fn split_probe_sheet(sheet: &str, entries: Vec<Part>, probes: usize) -> Result<Package, XlsxError> {
    let data_start = sheet
        .find("<sheetData")
        .ok_or_else(|| other("probe sheet has no sheetData"))?;
    let data_end = sheet
        .find("</sheetData>")
        .map(|i| i + "</sheetData>".len())
        .ok_or_else(|| other("probe sheet has no sheetData end"))?;
    let head = without_dimension(&sheet[..data_start]);
    let tail = &sheet[data_end..];
    if head.contains(TITLE_MARK) || !tail.contains(TITLE_MARK) {
        return Err(other(
            "the probe sheet's title mark is not in its page header",
        ));
    }
    let data = &sheet[data_start..data_end];
    let mut attrs = Vec::with_capacity(probes);
    for k in 0..probes {
        let reference = format!("<c r=\"{}1\"", column_name(k as u32));
        let at = data
            .find(&reference)
            .ok_or_else(|| other(format!("probe cell {k} missing")))?;
        let element = &data[at..at + data[at..].find('>').unwrap_or(0)];
        attrs.push(
            element
                .find(" s=\"")
                .map(|i| {
                    let rest = &element[i..];
                    let close = rest[4..].find('"').map(|j| j + 5).unwrap_or(rest.len());
                    rest[..close].to_string()
                })
                .unwrap_or_default(),
        );
    }
    let numbers = attrs.split_off(STYLE_PROBES.len());
    Ok(Package {
        entries,
        head,
        tail: tail.to_string(),
        styles: attrs,
        numbers,
    })
}

fn style_attr(p: &Package, style: CellStyle) -> &str {
    let k = STYLE_PROBES.iter().position(|s| *s == style).unwrap_or(0);
    &p.styles[k]
}

/// The `<worksheet>` XML of a sheet spec, `title` in its page header.
fn sheet_xml(p: &Package, spec: &SheetSpec, title: &str) -> String {
    let mut xml = String::with_capacity(64 * 1024);
    xml.push_str(&p.head);
    if !spec.widths.is_empty() {
        xml.push_str("<cols>");
        for (i, w) in spec.widths.iter().enumerate() {
            // Excel's stored width adds the 5-pixel padding of an 11-point Calibri column.
            let stored = ((w * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0;
            let _ = write!(
                xml,
                "<col min=\"{n}\" max=\"{n}\" width=\"{stored}\" customWidth=\"1\"/>",
                n = i + 1
            );
        }
        xml.push_str("</cols>");
    }
    xml.push_str("<sheetData>");
    let mut current_row = None;
    for (r, c, value, style) in &spec.cells {
        if current_row != Some(*r) {
            if current_row.is_some() {
                xml.push_str("</row>");
            }
            match spec.heights.binary_search_by_key(r, |(row, _)| *row) {
                Ok(k) => {
                    let _ = write!(
                        xml,
                        "<row r=\"{}\" ht=\"{}\" customHeight=\"1\">",
                        r + 1,
                        spec.heights[k].1
                    );
                }
                Err(_) => {
                    let _ = write!(xml, "<row r=\"{}\">", r + 1);
                }
            }
            current_row = Some(*r);
        }
        let reference = format!("{}{}", column_name(u32::from(*c)), r + 1);
        match value {
            CellValue::Number(v) => {
                let s = &p.numbers[(v.scale() as usize).min(p.numbers.len() - 1)];
                let _ = write!(xml, "<c r=\"{reference}\"{s}><v>{v}</v></c>");
            }
            CellValue::Text(t) if t.is_empty() => {
                let s = style_attr(p, *style);
                if !s.is_empty() {
                    let _ = write!(xml, "<c r=\"{reference}\"{s}/>");
                }
            }
            CellValue::Text(t) => {
                let s = style_attr(p, *style);
                let _ = write!(
                    xml,
                    "<c r=\"{reference}\"{s} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    escape(t)
                );
            }
        }
    }
    if current_row.is_some() {
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData>");
    if !spec.merges.is_empty() {
        let _ = write!(xml, "<mergeCells count=\"{}\">", spec.merges.len());
        for (r0, c0, r1, c1) in &spec.merges {
            let _ = write!(
                xml,
                "<mergeCell ref=\"{}{}:{}{}\"/>",
                column_name(u32::from(*c0)),
                r0 + 1,
                column_name(u32::from(*c1)),
                r1 + 1
            );
        }
        xml.push_str("</mergeCells>");
    }
    xml.push_str(&p.tail.replace(TITLE_MARK, &escape(&header_title(title))));
    xml
}

/// `compare.xlsx` of a township, written directly from its sheet spec.
pub(crate) fn compare_xlsx(
    title: &str,
    created: chrono::NaiveDate,
    cmp: &TownshipComparison,
) -> Result<Vec<u8>, XlsxError> {
    let spec = sheet::compare_sheet(title, cmp);
    let p = package(spec.pages_wide)?;
    let sheet = sheet_xml(p, &spec, title);
    let (last_row, last_col) = spec.print_area;
    let area = format!(
        "$A$1:${}${}",
        column_name(u32::from(last_col)),
        last_row + 1
    );
    zip_package(
        &p.entries,
        &sheet,
        title,
        &format!("{created}T00:00:00Z"),
        Some((AREA_MARK, &area)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::xlsx::print::page_setup_xml;
    use calamine::{Data, Reader, Xlsx};

    fn cells(bytes: Vec<u8>) -> (Vec<(u32, u32, String)>, Vec<String>) {
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let merges = wb
            .merge_cells_by_sheet_name(SHEET_NAME)
            .unwrap()
            .iter()
            .map(|d| format!("{:?}", (d.start, d.end)))
            .collect();
        let range = wb.worksheet_range(SHEET_NAME).unwrap();
        let cells = range
            .used_cells()
            .filter(|(_, _, v)| !matches!(v, Data::Empty))
            .map(|(r, c, v)| (r as u32, c as u32, format!("{v:?}")))
            .collect();
        (cells, merges)
    }

    #[test]
    fn lean_and_reference_writers_give_the_same_cells_and_page_setup() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let config = crate::config::Config::load(&root).expect("demo site.toml");
        let (site, _) = crate::content::load_site(&root, config);
        let site = site.expect("the demo site loads");
        let mut compared = 0;
        for township in &site.townships {
            let cmp = crate::site::compare::township_comparison(&site, &township.slug);
            if cmp.years.len() < 3 {
                continue;
            }
            let title = format!("{}<对比> & 表", township.name);
            let date = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
            let (reference, lean) = (
                sheet::compare_xlsx(&title, date, &cmp).unwrap(),
                compare_xlsx(&title, date, &cmp).unwrap(),
            );
            let setup = page_setup_xml(&lean);
            assert_eq!(setup, page_setup_xml(&reference), "{}", township.slug);
            assert!(setup.contains("orientation=\"landscape\""), "{setup}");
            let header = format!(
                "&amp;C{}&lt;对比&gt; &amp;&amp; 表</oddHeader>",
                township.name
            );
            assert!(
                setup.contains(&header),
                "the title in the page header: {setup}"
            );
            let (reference, lean) = (cells(reference), cells(lean));
            assert!(!reference.0.is_empty());
            assert_eq!(lean, reference, "{}", township.slug);
            compared += 1;
        }
        assert!(compared > 0, "the demo has townships with several years");
    }

    fn demo_comparison(slug: &str) -> crate::site::compare::TownshipComparison {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let config = crate::config::Config::load(&root).expect("demo site.toml");
        let (site, _) = crate::content::load_site(&root, config);
        crate::site::compare::township_comparison(&site.expect("the demo loads"), slug)
    }

    #[test]
    fn eight_years_print_one_page_wide_and_a_long_history_several_with_its_labels_repeated() {
        let cmp = demo_comparison("qingshan");
        assert_eq!(cmp.years.len(), 8);
        let spec = sheet::compare_sheet("青山镇", &cmp);
        assert_eq!(spec.pages_wide, 1, "eight years fit one landscape page");
        // The notes print: the print area runs to the last one.
        let last_note = spec
            .cells
            .iter()
            .filter(|(_, _, v, _)| matches!(v, CellValue::Text(t) if t.starts_with("注")))
            .map(|(r, _, _, _)| *r)
            .max()
            .unwrap();
        assert_eq!(spec.print_area, (last_note, 2 + 2 * 8 - 1));
        // Every row has its height, the wrapped ones more than one line.
        let rows: std::collections::BTreeSet<u32> = spec.cells.iter().map(|c| c.0).collect();
        let heights: std::collections::BTreeSet<u32> = spec.heights.iter().map(|h| h.0).collect();
        assert!(
            rows.iter()
                .filter(|r| **r >= 3)
                .all(|r| heights.contains(r))
        );
        assert!(
            spec.heights
                .iter()
                .any(|(_, h)| *h > sheet::row_height(2, 1.0) - 1.0)
        );

        // Three times the years: the columns continue on further pages, the labels repeated.
        let mut long = cmp.clone();
        for _ in 0..2 {
            long.years.extend(cmp.years.iter().cloned());
            for (row, original) in long.rows.iter_mut().zip(&cmp.rows) {
                row.cells.extend(original.cells.iter().cloned());
            }
        }
        let spec = sheet::compare_sheet("青山镇", &long);
        assert!(
            spec.pages_wide >= 2,
            "24 years: {} pages wide",
            spec.pages_wide
        );
        let date = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let (reference, lean) = (
            sheet::compare_xlsx("青山镇", date, &long).unwrap(),
            compare_xlsx("青山镇", date, &long).unwrap(),
        );
        let setup = page_setup_xml(&lean);
        assert_eq!(setup, page_setup_xml(&reference));
        assert!(
            setup.contains(&format!("fitToWidth=\"{}\"", spec.pages_wide)),
            "{setup}"
        );
        assert!(
            setup.contains("历年对比!$A:$B"),
            "the label columns repeat: {setup}"
        );
        let area = format!("历年对比!$A$1:${}$", column_name(2 + 2 * 24 - 1));
        assert!(setup.contains(&area), "the print area: {setup}");
    }
}
