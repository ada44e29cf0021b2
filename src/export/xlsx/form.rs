//! `nianbao template`: the official table as a workbook for clerks to fill in. It has exactly
//! the layout of a report's `stats.xlsx` (so `nianbao import` reads both the same way), with
//! every value cell blank, unlocked and validated, the labels protected, and a second sheet
//! listing each indicator id with its cell so that nothing depends on guessing positions.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Worksheet,
    XlsxError,
};

use super::sheet::{self, Styles};
use super::{PrintSetup, print_setup};
use crate::schema::{Cell, Format as TableFormat};
use crate::site::Stats;
use crate::site::table::tables;

/// The name of the sheet that holds the table.
pub(crate) const TABLE_SHEET: &str = "统计表";
/// The name of the sheet that maps indicator ids to cells.
pub(crate) const INDEX_SHEET: &str = "指标位置";

const INSTRUCTIONS: [&str; 6] = [
    "填写说明",
    "1. 只在“统计表”中浅黄色的格子里填写数字；灰色的文字格已锁定，不能修改。",
    "2. 没有填报的项目请留空；数量为零时填 0。留空和 0 的意思不同，网站上也会区分显示。",
    "3. 数量填不小于 0 的整数；金额（万元、元）可以填小数；“本年增/减”一列可以填负数。",
    "4. 填好后保存，用命令 nianbao import 文件名.xlsx --year 年度 --township 乡镇代号 导入。",
    "5. 请不要插入或删除行列，也不要修改“指标位置”工作表。",
];

/// A blank, protected workbook of `format` in the official layout, ready to fill in.
pub fn input_workbook(format: &'static TableFormat) -> Result<Vec<u8>, XlsxError> {
    let stats = Stats {
        format,
        values: vec![None; format.cells.len()],
        findings: Vec::new(),
    };
    let views = tables(&stats);
    let title = format!("{}（待填写）", format.name);
    let created = chrono::NaiveDate::from_ymd_opt(i32::from(format.years.0), 1, 1)
        .unwrap_or(chrono::NaiveDate::MIN);
    let mut wb = sheet::workbook(created, &title);
    let styles = Styles::new();
    let input = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Right)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xFFF7D6))
        .set_unlocked();
    let mut positions = Vec::with_capacity(format.cells.len());
    let ws = wb.add_worksheet();
    ws.set_name(TABLE_SHEET)?;
    let mut row = 3;
    let mut placed = Vec::with_capacity(views.len());
    for view in &views {
        placed.push((row, view));
        let first_row = row + 1;
        row = sheet::write_table(ws, &styles, row, view)?;
        for (r, col, c) in sheet::layout(view) {
            let Some(cell) = format.cell(&c.id) else {
                continue;
            };
            let at = first_row + r;
            ws.write_blank(at, col, &input)?;
            ws.add_data_validation(at, col, at, col, &validation(cell)?)?;
            positions.push((c.id.as_str(), at, col));
        }
    }
    sheet::fit_stats_sheet(
        ws,
        &styles,
        format,
        &placed,
        &title,
        &sheet::format_note(&stats),
    )?;
    ws.protect();
    write_index(wb.add_worksheet(), &positions, &title)?;
    write_instructions(wb.add_worksheet(), &title)?;
    wb.save_to_buffer()
}

/// Which numbers a value cell accepts, with the message Excel shows in Chinese.
fn validation(cell: &Cell) -> Result<DataValidation, XlsxError> {
    let (rule, message) = match (cell.decimal, cell.signed) {
        (false, false) => (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "此格只能填写不小于 0 的整数；没有填报请留空。",
        ),
        (false, true) => (
            DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(i32::MIN, i32::MAX)),
            "此格填写整数，减少时填负数；没有填报请留空。",
        ),
        (true, false) => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "此格填写不小于 0 的数，可以有小数；没有填报请留空。",
        ),
        (true, true) => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(f64::MIN, f64::MAX)),
            "此格填写数字，可以有小数，减少时填负数；没有填报请留空。",
        ),
    };
    let unit = if cell.unit.is_empty() || cell.label_names_unit() {
        String::new()
    } else {
        format!("（单位：{}）", cell.unit)
    };
    rule.ignore_blank(true)
        // The prompt names the row as printed; the id is for the importer (the hidden index).
        .set_input_title(truncate(&cell.label, 32))?
        .set_input_message(truncate(&format!("{}{unit}", cell.label), 255))?
        .set_error_title("数字不符合要求")?
        .set_error_message(message)
}

/// Excel limits prompt titles and messages; labels are cut, never the rule.
fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// The id → cell map, hidden from clerks, read by the importer.
fn write_index(
    ws: &mut Worksheet,
    positions: &[(&str, u32, u16)],
    title: &str,
) -> Result<(), XlsxError> {
    ws.set_name(INDEX_SHEET)?;
    // Hidden, but printable once unhidden, like every sheet.
    print_setup(
        ws,
        &PrintSetup {
            landscape: false,
            pages_wide: 1,
            title,
            repeat_rows: Some((0, 0)),
            repeat_columns: None,
        },
    )?;
    ws.write_string(0, 0, "指标")?;
    ws.write_string(0, 1, "单元格")?;
    for (k, (id, row, col)) in positions.iter().enumerate() {
        let at = k as u32 + 1;
        ws.write_string(at, 0, *id)?;
        ws.write_string(at, 1, cell_reference(*row, *col))?;
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}

fn write_instructions(ws: &mut Worksheet, title: &str) -> Result<(), XlsxError> {
    ws.set_name("填写说明")?;
    print_setup(
        ws,
        &PrintSetup {
            landscape: false,
            pages_wide: 1,
            title,
            repeat_rows: None,
            repeat_columns: None,
        },
    )?;
    ws.set_column_width(0, 90)?;
    for (k, line) in INSTRUCTIONS.iter().enumerate() {
        ws.write_string(k as u32, 0, *line)?;
    }
    Ok(())
}

/// `C6` for row 5, column 2 (both from 0).
pub(crate) fn cell_reference(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_excel_style() {
        assert_eq!(cell_reference(0, 0), "A1");
        assert_eq!(cell_reference(5, 2), "C6");
        assert_eq!(cell_reference(9, 25), "Z10");
        assert_eq!(cell_reference(0, 26), "AA1");
        assert_eq!(cell_reference(0, 701), "ZZ1");
        assert_eq!(cell_reference(0, 702), "AAA1");
    }
}
