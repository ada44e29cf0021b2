//! The county totals as data (`/county/totals.csv`, `/county/totals.json`): one row per year and
//! key indicator, from the same model the county page draws ([`crate::site::totals`]).
//!
//! Each row names the townships its total sums and the townships that should have reported that
//! year; a change from the previous year is given only where the model gives one (the same
//! townships, comparable figures), and `reason` says in Chinese why not otherwise. A total over no
//! township is empty (JSON `null`), never 0.

use serde::Serialize;
use serde_json::value::RawValue;

use super::data::csv_bytes;
use crate::site::Site;
use crate::site::figure::text as figure_text;
use crate::site::totals::{CountyTotals, TotalCell, YearTotals};

/// Columns of `totals.csv`.
const HEADER: [&str; 11] = [
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

/// Slugs of `townships` (indices into the registry), in the model's order (by slug).
fn slugs<'a>(site: &'a Site, townships: &[usize]) -> Vec<&'a str> {
    townships
        .iter()
        .map(|&t| site.townships[t].slug.as_str())
        .collect()
}

/// Every (year, indicator) of the model, years ascending, indicators in column order.
fn cells(totals: &CountyTotals) -> impl Iterator<Item = (&YearTotals, usize, &TotalCell)> {
    totals
        .years
        .iter()
        .flat_map(|y| y.cells.iter().enumerate().map(move |(i, c)| (y, i, c)))
}

/// `totals.csv`: UTF-8 with BOM; blank fields where there is no total or no change.
pub(crate) fn csv(site: &Site, totals: &CountyTotals) -> Vec<u8> {
    let rows = cells(totals).map(|(y, i, cell)| {
        let indicator = totals.indicators[i];
        vec![
            y.year.to_string(),
            indicator.id.clone(),
            indicator.label.clone(),
            indicator.unit.clone(),
            cell.total.sum.map(figure_text).unwrap_or_default(),
            slugs(site, &cell.townships).join(" "),
            slugs(site, &y.expected).join(" "),
            cell.comparability.code().to_string(),
            cell.change
                .map(|c| figure_text(c.delta))
                .unwrap_or_default(),
            cell.change
                .and_then(|c| c.percent)
                .map(figure_text)
                .unwrap_or_default(),
            cell.reason.clone(),
        ]
    });
    csv_bytes(&HEADER, rows)
}

/// One row of `totals.json`.
#[derive(Serialize)]
struct JsonRow<'a> {
    year: u16,
    indicator: &'a str,
    label: &'a str,
    unit: &'a str,
    value: Option<Box<RawValue>>,
    townships: Vec<&'a str>,
    expected: Vec<&'a str>,
    comparability: &'static str,
    change: Option<Box<RawValue>>,
    change_percent: Option<Box<RawValue>>,
    reason: &'a str,
}

/// A JSON number written exactly as the figure's text, or `null`.
fn number(value: Option<rust_decimal::Decimal>) -> Option<Box<RawValue>> {
    value.and_then(|v| RawValue::from_string(figure_text(v)).ok())
}

/// `totals.json`: the rows of `totals.csv` as a list of objects; `townships` and `expected` as
/// lists of slugs, no total or no change as `null`.
pub(crate) fn json(site: &Site, totals: &CountyTotals) -> Vec<u8> {
    let rows: Vec<JsonRow> = cells(totals)
        .map(|(y, i, cell)| {
            let indicator = totals.indicators[i];
            JsonRow {
                year: y.year,
                indicator: &indicator.id,
                label: &indicator.label,
                unit: &indicator.unit,
                value: number(cell.total.sum),
                townships: slugs(site, &cell.townships),
                expected: slugs(site, &y.expected),
                comparability: cell.comparability.code(),
                change: number(cell.change.map(|c| c.delta)),
                change_percent: number(cell.change.and_then(|c| c.percent)),
                reason: &cell.reason,
            }
        })
        .collect();
    // Serialising plain data into a Vec cannot fail.
    serde_json::to_vec(&rows).unwrap_or_default()
}
