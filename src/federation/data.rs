//! The members' data files as the federation reads them: `all.csv` checked (the contract's
//! columns, numbers or blanks), `totals.csv` parsed.

use std::path::Path;

use rust_decimal::Decimal;

/// The columns of a county's `all.csv` (see docs/内容格式.md).
pub const ALL_HEADER: [&str; 8] = [
    "year",
    "township",
    "township_name",
    "format",
    "id",
    "label",
    "unit",
    "value",
];

/// The columns of a county's `totals.csv` this model reads.
const TOTALS_HEADER: [&str; 11] = [
    "year",
    "indicator",
    "label",
    "unit",
    "value",
    "townships",
    "expected",
    "comparability",
    "change",
    "change_percent",
    "reason",
];

/// One row of a member's `totals.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalRow {
    /// The report year.
    pub year: u16,
    /// The indicator's id.
    pub indicator: String,
    /// Its label.
    pub label: String,
    /// Its unit.
    pub unit: String,
    /// The county total, `None` when no township reported it.
    pub value: Option<Decimal>,
    /// How many townships it sums.
    pub townships: usize,
    /// How many should have reported.
    pub expected: usize,
    /// The same townships as `expected` (the total covers the whole county).
    pub complete: bool,
    /// `first`, `same_format`, … (see totals.csv).
    pub comparability: String,
    /// The change from the previous year, given only where comparable.
    pub change: Option<Decimal>,
    /// Why there is no change, in Chinese.
    pub reason: String,
}

/// Strip the byte-order mark the CSV files start with.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// A CSV reader over a member's file.
pub fn csv_reader<R: std::io::Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input)
}

/// Whether `text` is a figure as the data files write it: an optional minus, digits, an optional
/// fraction.
pub fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Check a member's `all.csv`: the contract's columns, a year on every row, and every value a
/// number or blank.
pub fn check_all_csv(bytes: &[u8]) -> Result<(), String> {
    let mut reader = csv_reader(without_bom(bytes));
    let header = reader.headers().map_err(|e| e.to_string())?;
    if header.iter().ne(ALL_HEADER) {
        return Err(format!(
            "列应为 {}，实际为 {}",
            ALL_HEADER.join(","),
            header.iter().collect::<Vec<_>>().join(",")
        ));
    }
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("第 {} 行：{e}", i + 2))?;
        let (year, value) = (&record[0], &record[7]);
        if year.parse::<u16>().is_err() {
            return Err(format!("第 {} 行：年度「{year}」不是数字", i + 2));
        }
        if !value.is_empty() && !is_number(value) {
            return Err(format!("第 {} 行：数值「{value}」不是数字", i + 2));
        }
    }
    Ok(())
}

/// Read a member's `totals.csv`.
pub fn parse_totals(bytes: &[u8]) -> Result<Vec<TotalRow>, String> {
    let mut reader = csv_reader(without_bom(bytes));
    let header = reader.headers().map_err(|e| e.to_string())?;
    if header.iter().ne(TOTALS_HEADER) {
        return Err(format!("列应为 {}", TOTALS_HEADER.join(",")));
    }
    let number = |text: &str, line: usize| -> Result<Option<Decimal>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<Decimal>()
            .map(Some)
            .map_err(|_| format!("第 {line} 行：「{text}」不是数字"))
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let r = record.map_err(|e| format!("第 {line} 行：{e}"))?;
        let year = r[0]
            .parse::<u16>()
            .map_err(|_| format!("第 {line} 行：年度「{}」不是数字", &r[0]))?;
        let count = |s: &str| s.split_whitespace().count();
        let mut townships: Vec<&str> = r[5].split_whitespace().collect();
        let mut expected: Vec<&str> = r[6].split_whitespace().collect();
        townships.sort_unstable();
        expected.sort_unstable();
        rows.push(TotalRow {
            year,
            indicator: r[1].to_string(),
            label: r[2].to_string(),
            unit: r[3].to_string(),
            value: number(&r[4], line)?,
            townships: count(&r[5]),
            expected: count(&r[6]),
            complete: townships == expected,
            comparability: r[7].to_string(),
            change: number(&r[8], line)?,
            reason: r[10].to_string(),
        });
    }
    Ok(rows)
}

/// Read a member's cached `totals.csv` (checked when it was fetched).
pub fn read_totals(path: &Path) -> Vec<TotalRow> {
    std::fs::read(path)
        .ok()
        .and_then(|b| parse_totals(&b).ok())
        .unwrap_or_default()
}
