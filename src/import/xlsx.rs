//! Excel statistics tables (XLSX and legacy XLS, via calamine): generic sheets laid out like the
//! printed table (merged cells repeated into every covered position) and the `stats.xlsx` that
//! `nianbao build` writes. Blank stays blank, 0 stays 0, and decimals are read as the cell shows
//! them (`1.50` with a `0.00` format), never fewer digits than stored.

use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, Xls, Xlsx};

use super::source::{Grid, Place, Source, Text};
use super::text::scan_grid_texts;
use crate::export::xlsx::template::column_name;

/// Why a workbook cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// Not an XLSX/XLS file, or damaged.
    #[error("无法读取 Excel 文件：{0}")]
    Read(String),
    /// No sheet has any cell.
    #[error("Excel 文件中没有任何内容")]
    Empty,
}

/// The sheet of a `nianbao template` workbook that maps each indicator id to its value cell
/// (`render::xlsx_form`), and the sheet those cells are on.
const INDEX_SHEET: &str = crate::export::xlsx::form::INDEX_SHEET;
const TABLE_SHEET: &str = crate::export::xlsx::form::TABLE_SHEET;

/// (id, value cell) for every row of the index sheet whose cell exists on the table sheet.
fn located(index: &Grid, grids: &[(String, Grid)]) -> Vec<(String, Text)> {
    let Some((_, table)) = grids.iter().find(|(name, _)| name == TABLE_SHEET) else {
        return Vec::new();
    };
    let cells: std::collections::HashMap<&str, &Text> = table
        .iter()
        .flatten()
        .filter_map(|c| match &c.at {
            Place::Sheet { cell, .. } => Some((cell.as_str(), c)),
            _ => None,
        })
        .collect();
    index
        .iter()
        .skip(1)
        .filter_map(|row| {
            let id = row.first()?.text.trim();
            let reference = row.get(1)?.text.trim();
            let text = cells.get(reference).map_or_else(
                || {
                    Text::new(
                        "",
                        Place::Sheet {
                            sheet: TABLE_SHEET.to_string(),
                            cell: reference.to_string(),
                        },
                    )
                },
                |t| (*t).clone(),
            );
            (!id.is_empty()).then(|| (id.to_string(), text))
        })
        .collect()
}

/// One worksheet as read: its name, cells with display text, merged regions.
struct Sheet {
    name: String,
    cells: Vec<Vec<String>>,
    origin: (u32, u32),
    merged: Vec<Dimensions>,
}

/// Read a workbook (XLSX or XLS by its magic bytes). Pure: works on bytes, no I/O.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Source, XlsxError> {
    let sheets = if bytes.starts_with(b"PK") {
        read_xlsx(bytes)?
    } else {
        read_xls(bytes)?
    };
    let mut source = Source {
        kind: "Excel 表格".to_string(),
        ..Source::default()
    };
    let index = sheets.iter().position(|s| s.name == INDEX_SHEET);
    let grids: Vec<(String, Grid)> = sheets.iter().map(|s| (s.name.clone(), grid(s))).collect();
    if let Some(i) = index {
        source.by_id = located(&grids[i].1, &grids);
    }
    for (k, (_, grid)) in grids.into_iter().enumerate() {
        if Some(k) == index {
            continue;
        }
        scan_grid_texts(&grid, &mut source);
        source.tables.push(grid);
    }
    if source
        .tables
        .iter()
        .all(|g| g.iter().flatten().all(|c| c.text.is_empty()))
    {
        return Err(XlsxError::Empty);
    }
    Ok(source)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, XlsxError> {
    let err = |e: calamine::XlsxError| XlsxError::Read(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(err)?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(err)?;
        let styles = wb.worksheet_style(&name).ok();
        let merged = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let origin = range.start().unwrap_or((0, 0));
        let cells = range
            .rows()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, v)| {
                        let pos = (origin.0 + r as u32, origin.1 + c as u32);
                        let code = styles
                            .as_ref()
                            .and_then(|s| s.get(pos))
                            .and_then(|s| s.number_format.as_ref())
                            .map(|n| n.format_code.clone());
                        display(v, code.as_deref())
                    })
                    .collect()
            })
            .collect();
        sheets.push(Sheet {
            name,
            cells,
            origin,
            merged,
        });
    }
    Ok(sheets)
}

fn read_xls(bytes: &[u8]) -> Result<Vec<Sheet>, XlsxError> {
    let err = |e: calamine::XlsError| XlsxError::Read(e.to_string());
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(err)?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(err)?;
        let merged = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let origin = range.start().unwrap_or((0, 0));
        let cells = range
            .rows()
            .map(|row| row.iter().map(|v| display(v, None)).collect())
            .collect();
        sheets.push(Sheet {
            name,
            cells,
            origin,
            merged,
        });
    }
    Ok(sheets)
}

/// The text a cell shows. A number keeps at least the decimals its format shows (`0.00` →
/// `1.50`) and every digit it stores (f64's shortest round-trip form), so nothing is rounded.
fn display(value: &Data, format_code: Option<&str>) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f, format_code),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => format!("（日期 {}）", d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => format!("（日期 {s}）"),
        Data::Error(e) => format!("（错误 {e}）"),
    }
}

fn float_text(f: f64, format_code: Option<&str>) -> String {
    let shortest = format!("{f}");
    let shown_scale = format_code
        .and_then(|c| c.split(';').next())
        .and_then(|c| c.split_once('.'))
        .map_or(0, |(_, frac)| {
            frac.chars()
                .take_while(|&c| c == '0' || c == '#')
                .filter(|&c| c == '0')
                .count()
        });
    let stored_scale = shortest.split_once('.').map_or(0, |(_, frac)| frac.len());
    if shortest.contains('e') || shown_scale <= stored_scale {
        return shortest;
    }
    format!("{f:.shown_scale$}")
}

/// The sheet as a grid with merged regions repeated into every covered position.
fn grid(sheet: &Sheet) -> Grid {
    let mut cells = sheet.cells.clone();
    let (r0, c0) = sheet.origin;
    for m in &sheet.merged {
        let at = |r: u32, c: u32| (r.checked_sub(r0)? as usize, c.checked_sub(c0)? as usize).into();
        let Some((tr, tc)) = at(m.start.0, m.start.1) else {
            continue;
        };
        let text = cells
            .get(tr)
            .and_then(|row| row.get(tc))
            .cloned()
            .unwrap_or_default();
        for r in m.start.0..=m.end.0.min(r0 + 10_000) {
            for c in m.start.1..=m.end.1.min(c0 + 1_000) {
                if let Some((rr, cc)) = at(r, c)
                    && let Some(cell) = cells.get_mut(rr).and_then(|row| row.get_mut(cc))
                {
                    cell.clone_from(&text);
                }
            }
        }
    }
    cells
        .into_iter()
        .enumerate()
        .map(|(r, row)| {
            row.into_iter()
                .enumerate()
                .map(|(c, text)| {
                    let reference = format!("{}{}", column_name(c0 + c as u32), r0 + r as u32 + 1);
                    Text::new(
                        text,
                        Place::Sheet {
                            sheet: sheet.name.clone(),
                            cell: reference,
                        },
                    )
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_show_their_format_and_every_stored_digit() {
        assert_eq!(float_text(147.0, None), "147");
        assert_eq!(float_text(1.5, Some("0.00")), "1.50");
        assert_eq!(float_text(0.0, Some("0")), "0");
        assert_eq!(float_text(190.457379, Some("0.00")), "190.457379");
        assert_eq!(float_text(2.0, Some("General")), "2");
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
    }
}
