//! The spreadsheet model shared by every XLSX file (styles, a sheet as cells, merges and widths),
//! and the reference writers: the same workbooks laid out by rust_xlsxwriter, against which the
//! lean writers the build uses (`template`, `compare`) are tested.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use rust_decimal::Decimal;

use super::{PrintSetup, print_setup};
use crate::export::data::measure_text;
use crate::site::compare::{Measure, TownshipComparison};
use crate::site::table::{CellView, TableView, tables};
use crate::site::{Report, Stats};
/// The name of `compare.xlsx`'s one sheet.
pub(crate) const SHEET_NAME: &str = "历年对比";
/// The row of `compare.xlsx`'s year headers; 数值 / 比上年 are on the row below it.
const COMPARE_HEAD_ROW: u32 = 3;
/// The rows above a stats sheet's tables (title and format note), repeated on every printed page.
/// The tables' own header rows are not: each table has its own, and the sheet stacks several.
const STATS_TITLE_ROWS: (u32, u32) = (0, 1);
/// The widest sheet, in Excel character units, that portrait A4 prints at about 90 % or more.
const PORTRAIT_WIDTH: f64 = 100.0;

/// Columns of the probe cells that reveal the style ids (decimal places 0–6, then blank).
pub(crate) const PROBE_COLUMN: u16 = 200;

pub(crate) struct Styles {
    /// Number formats by decimal places (0 to 6), made once per workbook.
    pub(crate) numbers: Vec<Format>,
    pub(crate) title: Format,
    header: Format,
    label: Format,
    text: Format,
}

impl Styles {
    pub(crate) fn new() -> Styles {
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
    pub(crate) fn of(&self, style: CellStyle) -> Option<&Format> {
        match style {
            CellStyle::Plain => None,
            CellStyle::Title => Some(&self.title),
            CellStyle::Header => Some(&self.header),
            CellStyle::Label => Some(&self.label),
            CellStyle::Text => Some(&self.text),
        }
    }

    /// The number format showing exactly the decimals the figure was written with.
    pub(crate) fn number(&self, value: Decimal) -> &Format {
        let scale = (value.scale() as usize).min(self.numbers.len() - 1);
        &self.numbers[scale]
    }
}

pub(crate) fn workbook(created: chrono::NaiveDate, title: &str) -> Workbook {
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
pub(crate) fn layout(table: &TableView) -> Vec<(u32, u16, &CellView)> {
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
pub(crate) fn write_table(
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
        // A value cell with a figure; a blank one (unreported, or a heading row's) is drawn empty.
        let figure = (!c.id.is_empty() && !c.blank)
            .then(|| c.text.parse::<Decimal>().ok())
            .flatten();
        if let Some(value) = figure {
            let number: f64 = c.text.parse().unwrap_or_default();
            ws.write_number_with_format(row, col, number, styles.number(value))?;
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

/// Set the column widths of a sheet holding `tables`; returns their sum in Excel character units.
pub(crate) fn set_widths(ws: &mut Worksheet, tables: &[TableView]) -> Result<f64, XlsxError> {
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
    let mut total = 0.0;
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, w + 1.0)?;
        total += w + 1.0;
    }
    Ok(total)
}

/// `stats.xlsx`: the report's table in the official layout, merged headers included.
pub fn stats_xlsx(report: &Report, stats: &Stats) -> Result<Vec<u8>, XlsxError> {
    stats_workbook(&report.meta.title, report.meta.file_date(), stats, false)
}

/// Lay out a stats workbook. With `probe`, blank cells with every number style and the blank
/// style go far right on the first row, so that the template builder can read their style ids.
pub(crate) fn stats_workbook(
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
        let column = PROBE_COLUMN;
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
    let width = set_widths(ws, &views)?;
    print_setup(ws, &stats_print_setup(title, width))?;
    wb.save_to_buffer()
}

/// How a stats sheet (a report's or the input template's) `width` characters wide prints: one
/// report's table, portrait when it fits at a readable size. The 2019 and 2021 formats are not
/// such tables: their review and litigation table alone has 15 columns, which portrait A4 shrinks
/// to about 40 %, so they print landscape.
pub(crate) fn stats_print_setup(title: &str, width: f64) -> PrintSetup<'_> {
    PrintSetup {
        landscape: width > PORTRAIT_WIDTH,
        title,
        repeat_rows: Some(STATS_TITLE_ROWS),
    }
}

/// How `compare.xlsx` prints: years side by side, landscape, with the title, the legend and both
/// header rows on every page.
pub(crate) fn compare_print_setup(title: &str) -> PrintSetup<'_> {
    PrintSetup {
        landscape: true,
        title,
        repeat_rows: Some((0, COMPARE_HEAD_ROW + 1)),
    }
}

/// The second row of a stats workbook, naming the format (the importer reads it).
pub(crate) fn format_note(stats: &Stats) -> String {
    format!(
        "表格格式：{}（{}）；空白表示原表未填报",
        stats.format.name, stats.format.edition
    )
}

/// How a cell of a generated sheet looks: one of the shared workbook styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellStyle {
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
pub(crate) enum CellValue {
    /// Text.
    Text(String),
    /// A figure, shown with exactly its written decimals.
    Number(Decimal),
}

/// A sheet as data: the single description both xlsx writers lay out.
#[derive(Debug, Default)]
pub(crate) struct SheetSpec {
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
pub(crate) fn compare_sheet(title: &str, cmp: &TownshipComparison) -> SheetSpec {
    let mut sheet = SheetSpec::default();
    sheet.text(0, 0, title, CellStyle::Title);
    sheet.text(
        1,
        0,
        "空白 = 原表未填报；— = 当年表格格式未统计该项；≈ = 与其他年份口径近似，见脚注",
        CellStyle::Plain,
    );
    let head_row = COMPARE_HEAD_ROW;
    sheet.text(head_row, 0, "指标", CellStyle::Header);
    sheet.text(head_row, 1, "单位", CellStyle::Header);
    for (j, y) in cmp.years.iter().enumerate() {
        let col = 2 + 2 * j as u16;
        let format = match (&y.format, y.published) {
            (Some(f), _) => f.as_str(),
            (None, true) => "无统计表",
            (None, false) => "未发布",
        };
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
            let change = crate::site::compare::change_text(cell.comparability, cell.change);
            sheet.text(r, col + 1, change, CellStyle::Text);
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
#[cfg(test)]
pub(crate) fn compare_xlsx(
    title: &str,
    created: chrono::NaiveDate,
    cmp: &TownshipComparison,
) -> Result<Vec<u8>, XlsxError> {
    let spec = compare_sheet(title, cmp);
    let mut wb = workbook(created, title);
    let styles = Styles::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    print_setup(ws, &compare_print_setup(title))?;
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
