//! A plain list workbook: a title row, a row of column titles and one row per record, numbers
//! as numbers and blanks left empty. The oversight table and a year's key figures use it.

use rust_xlsxwriter::{Format, XlsxError};

use super::print::{PrintSetup, print_setup};

/// One field of a row.
pub(crate) enum Field {
    /// Text.
    Text(String),
    /// A number (written as a number so that Excel can sum it).
    Number(f64),
    /// Nothing (blank is not 0).
    Blank,
}

/// A row of texts as fields: empty → blank, the columns in `numeric` → numbers where they parse,
/// the rest text.
pub(crate) fn fields(texts: impl IntoIterator<Item = String>, numeric: &[usize]) -> Vec<Field> {
    texts
        .into_iter()
        .enumerate()
        .map(|(i, value)| match value.parse::<f64>() {
            _ if value.is_empty() => Field::Blank,
            Ok(n) if numeric.contains(&i) => Field::Number(n),
            _ => Field::Text(value),
        })
        .collect()
}

/// One sheet of a list workbook.
pub(crate) struct ListSheet<'a> {
    /// The sheet's name (its tab).
    pub name: &'a str,
    /// The title row.
    pub title: &'a str,
    /// The column titles.
    pub titles: &'a [&'a str],
    /// Column widths.
    pub widths: &'a [f64],
    /// The records.
    pub rows: Vec<Vec<Field>>,
}

/// The workbook of `rows` under `titles`, with `widths` per column, landscape on A4 with the
/// title and column titles repeated on each printed page.
pub(crate) fn workbook(
    title: &str,
    sheet: &str,
    created: chrono::NaiveDate,
    titles: &[&str],
    widths: &[f64],
    rows: impl Iterator<Item = Vec<Field>>,
) -> Result<Vec<u8>, XlsxError> {
    let sheet = ListSheet {
        name: sheet,
        title,
        titles,
        widths,
        rows: rows.collect(),
    };
    workbook_of(title, created, [sheet])
}

/// A workbook of several list sheets, in order.
pub(crate) fn workbook_of<'a>(
    title: &str,
    created: chrono::NaiveDate,
    sheets: impl IntoIterator<Item = ListSheet<'a>>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = super::sheet::workbook(created, title);
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name)?;
        ws.write_string_with_format(0, 0, sheet.title, &bold)?;
        for (col, text) in (0u16..).zip(sheet.titles) {
            ws.write_string_with_format(1, col, *text, &bold)?;
        }
        for (row, fields) in (2u32..).zip(sheet.rows) {
            for (col, field) in (0u16..).zip(fields) {
                match field {
                    Field::Text(text) => ws.write_string(row, col, text)?,
                    Field::Number(n) => ws.write_number(row, col, n)?,
                    Field::Blank => continue,
                };
            }
        }
        for (col, width) in (0u16..).zip(sheet.widths) {
            ws.set_column_width(col, *width)?;
        }
        ws.set_freeze_panes(2, 0)?;
        print_setup(
            ws,
            &PrintSetup {
                landscape: true,
                pages_wide: 1,
                title: sheet.title,
                repeat_rows: Some((0, 1)),
                repeat_columns: None,
            },
        )?;
    }
    wb.save_to_buffer()
}
