//! The spreadsheet model shared by every XLSX file (styles, a sheet as cells, merges and widths),
//! and the reference writers: the same workbooks laid out by rust_xlsxwriter, against which the
//! lean writers the build uses (`template`, `compare`) are tested.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
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
/// The widest a stats sheet is laid out, in Excel character units as stored (each column's
/// padding included). Portrait A4 between the margins holds about 96 of them at 100 % (11-point
/// Calibri, or the metric-compatible Carlito); fitting 112 into it shrinks 11-point text to
/// 9.4 points, above the 9 a printed table needs.
const STATS_WIDTH: f64 = 112.0;
/// What Excel adds to a column's width when it stores it: 5 pixels of a 7-pixel character.
const COLUMN_PADDING: f64 = 5.0 / 7.0;
/// A figure column: five digits, or seven characters where the column holds decimals
/// (`1234.50`); its header wraps to two or three characters a line.
const FIGURE_WIDTH: f64 = 5.0;
const DECIMAL_WIDTH: f64 = 7.0;
/// What a figure column may gain where the labels leave room.
const FIGURE_SPARE: f64 = 4.0;
/// A row label column never gets narrower than this, nor wider than its longest label or
/// `LABEL_MAX`.
const LABEL_MIN: f64 = 8.0;
const LABEL_MAX: f64 = 60.0;
/// The height of a line of 11-point text in points, CJK fonts included, and a row's padding.
const LINE_HEIGHT: f64 = 16.0;
const ROW_PADDING: f64 = 3.0;
/// The title's size against the body's 11 points.
const TITLE_SCALE: f64 = 14.0 / 11.0;

/// The shade of a heading row (light grey: printers print cell fills, unlike browsers' backgrounds).
const HEADING_FILL: u32 = 0xE8E8E8;

/// Columns of the probe cells that reveal the style ids (decimal places 0–6, then blank, then a
/// heading row's blank).
pub(crate) const PROBE_COLUMN: u16 = 200;

pub(crate) struct Styles {
    /// Number formats by decimal places (0 to 6), made once per workbook.
    pub(crate) numbers: Vec<Format>,
    pub(crate) title: Format,
    /// Text that wraps within its (merged) cell: the format note, legends and footnotes.
    pub(crate) note: Format,
    header: Format,
    label: Format,
    text: Format,
    /// A heading row of the 2014 form (一、主动公开情况): its label, and its cells without a figure.
    heading_label: Format,
    pub(crate) heading: Format,
}

impl Styles {
    pub(crate) fn new() -> Styles {
        // At the top of its cell: a row's label and figures start on one line however many its
        // wrapped cells take, and a label spanning rows across a page break prints on the first
        // page, not over the next page's repeated header rows.
        let border = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
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
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            note: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            header: border
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: border.clone(),
            heading_label: border
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(HEADING_FILL)),
            heading: border
                .clone()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(HEADING_FILL)),
            text: border.set_align(FormatAlign::Center),
        }
    }

    /// The format of a cell style; `None` for unformatted cells.
    pub(crate) fn of(&self, style: CellStyle) -> Option<&Format> {
        match style {
            CellStyle::Plain => None,
            CellStyle::Title => Some(&self.title),
            CellStyle::Note => Some(&self.note),
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
        // A heading row reads as one: bold and shaded, its empty cells too (not as unreported).
        let heading = c.class.split(' ').any(|k| k == "heading");
        let format = match (r < head_rows, c.header, heading) {
            (true, _, _) => &styles.header,
            (false, true, true) => &styles.heading_label,
            (false, true, false) => &styles.label,
            (false, false, true) => &styles.heading,
            (false, false, false) => &styles.text,
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

/// The lines `text` wraps to in a cell `width` units wide (its padding taken off), at `scale`
/// times the body's size.
fn lines(text: &str, width: f64, scale: f64) -> usize {
    let room = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|line| ((text_width(line) * scale / room).ceil() as usize).max(1))
        .sum()
}

/// The height in points of a row whose tallest cell wraps to `lines` lines at `scale`.
pub(crate) fn row_height(lines: usize, scale: f64) -> f64 {
    (lines as f64 * LINE_HEIGHT * scale + ROW_PADDING).ceil()
}

/// The column widths of a stats sheet holding `tables` of `format`: figure and unit columns are
/// narrow (their headers wrap), and the row label columns share the rest of [`STATS_WIDTH`] by
/// the length of their labels, so that the sheet prints on portrait A4 at 9 points or more.
fn stats_widths(format: &crate::schema::Format, tables: &[TableView]) -> Vec<f64> {
    let mut natural: Vec<f64> = Vec::new();
    let mut label: Vec<bool> = Vec::new();
    let mut decimal: Vec<bool> = Vec::new();
    for t in tables {
        let head_rows = t.head.len() as u32;
        for (r, col, c) in layout(t) {
            let i = col as usize;
            if natural.len() <= i {
                natural.resize(i + 1, 0.0);
                label.resize(i + 1, false);
                decimal.resize(i + 1, false);
            }
            if is_figure(c) {
                decimal[i] |= format.cell(&c.id).is_some_and(|cell| cell.decimal);
                continue;
            }
            // A header wraps; a cell spanning columns has their width together.
            if r < head_rows || c.colspan != 1 {
                continue;
            }
            label[i] |= c.header;
            natural[i] = natural[i].max(text_width(&c.text));
        }
    }
    let plain = |i: usize| {
        let least = if decimal[i] {
            DECIMAL_WIDTH
        } else {
            FIGURE_WIDTH
        };
        natural[i].max(least)
    };
    let figures: f64 = (0..natural.len())
        .filter(|i| !label[*i])
        .map(|i| plain(i) + COLUMN_PADDING)
        .sum();
    let wanted: f64 = (0..natural.len())
        .filter(|i| label[*i])
        .map(|i| natural[i].clamp(LABEL_MIN, LABEL_MAX) + COLUMN_PADDING)
        .sum();
    let room = STATS_WIDTH - figures;
    let share = if wanted > room { room / wanted } else { 1.0 };
    // Width the labels leave over goes to the figure columns (up to `FIGURE_SPARE` each), so that
    // a narrow table (the 2014 list) has room for longer figures than five digits.
    let count = label.iter().filter(|l| !**l).count().max(1) as f64;
    let spare = ((room - wanted) / count).clamp(0.0, FIGURE_SPARE).floor();
    (0..natural.len())
        .map(|i| {
            if label[i] {
                ((natural[i].clamp(LABEL_MIN, LABEL_MAX) + COLUMN_PADDING) * share - COLUMN_PADDING)
                    .max(LABEL_MIN)
                    .floor()
            } else {
                plain(i) + spare
            }
        })
        .collect()
}

/// A value cell: a figure or its blank.
fn is_figure(c: &CellView) -> bool {
    !c.header && !c.id.is_empty()
}

/// The height of every row of `table` laid out from `first_row` on columns `widths` (padding
/// included): the most lines any of its cells wraps to. A cell spanning rows shares its lines
/// among them.
fn table_heights(table: &TableView, first_row: u32, widths: &[f64]) -> Vec<(u32, f64)> {
    let widths: Vec<f64> = widths.iter().map(|w| w + COLUMN_PADDING).collect();
    let mut most: Vec<usize> = vec![1; table.head.len() + table.body.len()];
    for (r, col, c) in layout(table).into_iter().filter(|(_, _, c)| !is_figure(c)) {
        let from = col as usize;
        let width: f64 = widths
            .iter()
            .skip(from)
            .take(c.colspan)
            .sum::<f64>()
            .max(1.0);
        let n = lines(&c.text, width, 1.0).div_ceil(c.rowspan);
        for most in most.iter_mut().skip(r as usize).take(c.rowspan) {
            *most = (*most).max(n);
        }
    }
    most.iter()
        .enumerate()
        .map(|(i, n)| (first_row + i as u32, row_height(*n, 1.0)))
        .collect()
}

/// Lay out a stats sheet whose `tables` were written with their titles on `tops`: column widths,
/// the title and format note across the sheet, every row as high as its wrapped text, the print
/// area and the page setup.
pub(crate) fn fit_stats_sheet(
    ws: &mut Worksheet,
    styles: &Styles,
    format: &crate::schema::Format,
    tables: &[(u32, &TableView)],
    title: &str,
    note: &str,
) -> Result<(), XlsxError> {
    let views: Vec<TableView> = tables.iter().map(|(_, t)| (*t).clone()).collect();
    let widths = stats_widths(format, &views);
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let total: f64 = widths.iter().map(|w| w + COLUMN_PADDING).sum();
    let last_col = widths.len().saturating_sub(1) as u16;
    ws.merge_range(0, 0, 0, last_col, title, &styles.title)?;
    ws.set_row_height(0, row_height(lines(title, total, TITLE_SCALE), TITLE_SCALE))?;
    ws.merge_range(1, 0, 1, last_col, note, &styles.note)?;
    ws.set_row_height(1, row_height(lines(note, total, 1.0), 1.0))?;
    let mut last_row = 1;
    for (top, table) in tables {
        // Across the sheet, so that a long title wraps within the page instead of running off it.
        ws.merge_range(*top, 0, *top, last_col, &table.title, &styles.title)?;
        let title_lines = lines(&table.title, total, TITLE_SCALE);
        ws.set_row_height(*top, row_height(title_lines, TITLE_SCALE))?;
        // Every row, a single line too: the default 15 points are too low for CJK text.
        for (row, height) in table_heights(table, top + 1, &widths) {
            ws.set_row_height(row, height)?;
            last_row = last_row.max(row);
        }
    }
    ws.set_print_area(0, 0, last_row, last_col)?;
    print_setup(ws, &stats_print_setup(title))
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
    if probe {
        let column = PROBE_COLUMN;
        for (k, format) in styles
            .numbers
            .iter()
            .chain([&styles.text, &styles.heading])
            .enumerate()
        {
            ws.write_blank(0, column + k as u16, format)?;
        }
    }
    let mut row = 3;
    let mut placed = Vec::with_capacity(views.len());
    for t in &views {
        placed.push((row, t));
        row = write_table(ws, &styles, row, t)?;
    }
    fit_stats_sheet(
        ws,
        &styles,
        stats.format,
        &placed,
        title,
        &format_note(stats),
    )?;
    wb.save_to_buffer()
}

/// How a stats sheet (a report's or the input template's) prints: portrait A4, its columns laid
/// out by [`stats_widths`] to fit the width at 9 points or more, the title rows on every page.
pub(crate) fn stats_print_setup(title: &str) -> PrintSetup<'_> {
    PrintSetup {
        landscape: false,
        pages_wide: 1,
        title,
        repeat_rows: Some(STATS_TITLE_ROWS),
        repeat_columns: None,
    }
}

/// How `compare.xlsx` prints: years side by side, landscape, with the title, the legend and both
/// header rows on every page; `pages_wide` pages across when the years do not fit one at 9 points.
pub(crate) fn compare_print_setup(title: &str, pages_wide: u16) -> PrintSetup<'_> {
    PrintSetup {
        landscape: true,
        pages_wide,
        title,
        repeat_rows: Some((0, COMPARE_HEAD_ROW + 1)),
        // The indicator and its unit at the left of a page the years continue on.
        repeat_columns: Some((0, 1)),
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
    /// Wrapped text across the sheet: a legend or a footnote.
    Note,
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
    /// Row heights: (row, height in points), ascending.
    pub heights: Vec<(u32, f64)>,
    /// The printed range: last row and last column (from the top left cell).
    pub print_area: (u32, u16),
    /// Pages the width prints on.
    pub pages_wide: u16,
}

impl SheetSpec {
    fn text(&mut self, row: u32, col: u16, text: impl Into<String>, style: CellStyle) {
        self.cells
            .push((row, col, CellValue::Text(text.into()), style));
    }
}

/// The widest `compare.xlsx` prints on one landscape A4 page at 9 points or more, in Excel
/// character units as stored: the page holds about 140 of them at 100 %, and fitting 165 into it
/// shrinks 11-point text to 9.3 points.
const COMPARE_WIDTH: f64 = 165.0;
/// The indicator column's width (labels wrap within it) and the unit column's.
const COMPARE_LABEL: f64 = 18.0;
const COMPARE_UNIT: f64 = 3.0;
/// A year's value column (widened for a longer figure) and its 比上年 column, where a change such
/// as `+12（+33.3%）` takes two lines: the difference, then the percentage.
const COMPARE_VALUE: f64 = 5.0;
const COMPARE_CHANGE: f64 = 11.0;

/// The legend of `compare.xlsx`, above its header rows.
const COMPARE_LEGEND: &str = "空白 = 原表未填报；— = 当年表格格式未统计该项；\
     ≈注N = 与其他年份口径近似，见表下的注N";

/// The mark of footnote `n` beside a figure, in its 比上年 cell: `≈注2`.
fn note_mark(n: usize) -> String {
    format!("≈注{n}")
}

/// The comparison sheet of `compare.xlsx`: indicators × years, each year a value and a change.
pub(crate) fn compare_sheet(title: &str, cmp: &TownshipComparison) -> SheetSpec {
    let mut sheet = SheetSpec::default();
    let head_row = COMPARE_HEAD_ROW;
    sheet.text(head_row, 0, "指标", CellStyle::Header);
    sheet.text(head_row, 1, "单位", CellStyle::Header);
    let mut heads = Vec::with_capacity(cmp.years.len());
    for (j, y) in cmp.years.iter().enumerate() {
        let col = 2 + 2 * j as u16;
        let format = match (&y.format, y.published) {
            (Some(f), _) => f.as_str(),
            (None, true) => "无统计表",
            (None, false) => "未发布",
        };
        let head = format!("{}年度\n（{format}）", y.year);
        sheet.text(head_row, col, &head, CellStyle::Header);
        sheet.text(head_row, col + 1, "", CellStyle::Header);
        sheet.merges.push((head_row, col, head_row, col + 1));
        heads.push(head);
    }
    for j in 0..cmp.years.len() as u16 {
        sheet.text(head_row + 1, 2 + 2 * j, "数值", CellStyle::Header);
        sheet.text(head_row + 1, 3 + 2 * j, "比上年", CellStyle::Header);
    }
    let mut value_width = vec![COMPARE_VALUE; cmp.years.len()];
    let mut changes: Vec<Vec<String>> = Vec::with_capacity(cmp.rows.len());
    for (i, row) in cmp.rows.iter().enumerate() {
        let r = head_row + 2 + i as u32;
        sheet.text(r, 0, &row.indicator.label, CellStyle::Label);
        sheet.text(r, 1, &row.indicator.unit, CellStyle::Text);
        let mut texts = Vec::with_capacity(row.cells.len());
        for (j, cell) in row.cells.iter().enumerate() {
            let col = 2 + 2 * j as u16;
            let shown = measure_text(cell.measure);
            value_width[j] = value_width[j].max(shown.chars().count() as f64);
            match cell.measure {
                Measure::Reported { value, .. } => {
                    sheet
                        .cells
                        .push((r, col, CellValue::Number(value), CellStyle::Text));
                }
                _ => sheet.text(r, col, shown, CellStyle::Text),
            }
            // A figure with a footnote is marked beside it, in its 比上年 cell: the figure
            // itself stays a number.
            let change = crate::site::compare::change_text(cell.comparability, cell.change)
                .replacen('（', "\n（", 1);
            let change = match cell.note.filter(|n| *n > 0) {
                Some(n) if change.is_empty() => note_mark(n),
                Some(n) => format!("{change}\n{}", note_mark(n)),
                None => change,
            };
            sheet.text(r, col + 1, &change, CellStyle::Text);
            texts.push(change);
        }
        changes.push(texts);
    }
    sheet.widths = vec![COMPARE_LABEL, COMPARE_UNIT];
    for w in &value_width {
        sheet.widths.extend([*w, COMPARE_CHANGE]);
    }
    // Pages across: the label and unit columns repeat on each; a page holds whole years.
    let fixed = COMPARE_LABEL + COMPARE_UNIT + 2.0 * COLUMN_PADDING;
    let (mut pages, mut used, mut first_page_cols) = (1u16, fixed, 2u16);
    for w in &value_width {
        let year = w + COMPARE_CHANGE + 2.0 * COLUMN_PADDING;
        if used + year > COMPARE_WIDTH && used > fixed {
            pages += 1;
            used = fixed;
        }
        used += year;
        if pages == 1 {
            first_page_cols += 2;
        }
    }
    sheet.pages_wide = pages;
    let page_width: f64 = sheet
        .widths
        .iter()
        .take(first_page_cols as usize)
        .map(|w| w + COLUMN_PADDING)
        .sum();
    let across = first_page_cols - 1;
    // The title, the legend and the notes span the first page's columns and wrap within them.
    let wide = |sheet: &mut SheetSpec, row: u32, text: String, style: CellStyle, scale: f64| {
        let height = row_height(lines(&text, page_width, scale), scale);
        sheet.text(row, 0, text, style);
        for c in 1..=across {
            sheet.text(row, c, "", style);
        }
        sheet.merges.push((row, 0, row, across));
        sheet.heights.push((row, height));
    };
    wide(
        &mut sheet,
        0,
        title.to_string(),
        CellStyle::Title,
        TITLE_SCALE,
    );
    wide(
        &mut sheet,
        1,
        COMPARE_LEGEND.to_string(),
        CellStyle::Note,
        1.0,
    );
    let year_head = heads
        .iter()
        .zip(&value_width)
        .map(|(h, w)| lines(h, w + COMPARE_CHANGE, 1.0))
        .max()
        .unwrap_or(1);
    sheet.heights.push((head_row, row_height(year_head, 1.0)));
    // Every row, a single line too: the default 15 points are too low for CJK text.
    sheet.heights.push((head_row + 1, row_height(1, 1.0)));
    for (i, row) in cmp.rows.iter().enumerate() {
        let most = changes[i]
            .iter()
            .map(|c| lines(c, COMPARE_CHANGE, 1.0))
            .chain([lines(&row.indicator.label, COMPARE_LABEL, 1.0)])
            .chain([lines(&row.indicator.unit, COMPARE_UNIT, 1.0)])
            .max()
            .unwrap_or(1);
        sheet
            .heights
            .push((head_row + 2 + i as u32, row_height(most, 1.0)));
    }
    let notes_row = head_row + 3 + cmp.rows.len() as u32;
    for (i, n) in cmp.notes.iter().enumerate() {
        wide(
            &mut sheet,
            notes_row + i as u32,
            format!("注{}：{n}", i + 1),
            CellStyle::Note,
            1.0,
        );
    }
    let last_row = if cmp.notes.is_empty() {
        head_row + 1 + cmp.rows.len() as u32
    } else {
        notes_row + cmp.notes.len() as u32 - 1
    };
    sheet.print_area = (last_row, sheet.widths.len() as u16 - 1);
    sheet.cells.sort_by_key(|(r, c, _, _)| (*r, *c));
    sheet.merges.sort_unstable();
    sheet.heights.sort_by_key(|(r, _)| *r);
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
    print_setup(ws, &compare_print_setup(title, spec.pages_wide))?;
    ws.set_print_area(0, 0, spec.print_area.0, spec.print_area.1)?;
    for (row, height) in &spec.heights {
        ws.set_row_height(*row, *height)?;
    }
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
    use crate::schema::formats;

    #[test]
    fn stats_sheets_fit_the_portrait_budget_with_room_for_their_figures() {
        for format in formats() {
            let stats = Stats {
                format,
                values: vec![None; format.cells.len()],
                findings: Vec::new(),
            };
            let views = tables(&stats);
            let widths = stats_widths(format, &views);
            let total: f64 = widths.iter().map(|w| w + COLUMN_PADDING).sum();
            assert!(
                total <= STATS_WIDTH + 1.0,
                "{}: {total:.1} units, over the {STATS_WIDTH} that print at 9 pt",
                format.id
            );
            assert!(widths.iter().all(|w| *w >= FIGURE_WIDTH), "{widths:?}");
            // Every decimal figure's column holds `1234.50`.
            for t in &views {
                for (_, col, c) in layout(t) {
                    if is_figure(c) && format.cell(&c.id).is_some_and(|cell| cell.decimal) {
                        assert!(
                            widths[col as usize] >= DECIMAL_WIDTH,
                            "{} {}",
                            format.id,
                            c.id
                        );
                    }
                }
            }
        }
        // The 2014 list leaves room: its figure column takes more than five digits.
        let format = crate::schema::format("gov-2014").unwrap();
        let stats = Stats {
            format,
            values: vec![None; format.cells.len()],
            findings: Vec::new(),
        };
        let widths = stats_widths(format, &tables(&stats));
        assert_eq!(widths.len(), 3);
        assert!(widths[2] >= FIGURE_WIDTH + FIGURE_SPARE, "{widths:?}");
    }

    #[test]
    fn wrapped_lines_and_row_heights() {
        // 7 CJK characters (14.7 units) in an 8-unit cell (7 inside its padding): three lines.
        assert_eq!(lines("依申请公开情况", 8.0, 1.0), 3);
        assert_eq!(lines("依申请", 8.0, 1.0), 1);
        assert_eq!(lines("+3\n（+50.0%）\n≈注2", 12.0, 1.0), 3);
        assert!(row_height(2, 1.0) > row_height(1, 1.0));
        assert!(row_height(1, TITLE_SCALE) > row_height(1, 1.0));
    }
}
