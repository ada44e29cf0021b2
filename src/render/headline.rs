//! The year's own key figures per table format ([`crate::site::headline`]) as the year and
//! county pages show them.

use std::ops::Range;

use serde::Serialize;

use crate::plan::urls;
use crate::render::compare_view::format_short;
use crate::site::Site;
use crate::site::figure::text as figure_text;
use crate::site::headline::{FormatFigures, Total, county_figures};

#[derive(Debug, Serialize)]
pub(crate) struct FiguresTable {
    /// 2014 版, 2019 版, …
    short: String,
    /// The format's official name.
    name: String,
    /// Column heads.
    labels: Vec<String>,
    /// Units of the columns.
    units: Vec<String>,
    rows: Vec<FiguresRow>,
    totals: Vec<TotalText>,
}

#[derive(Debug, Serialize)]
struct FiguresRow {
    name: String,
    href: String,
    /// Figures as published; empty for blank.
    values: Vec<String>,
    /// Sort keys (the same digits; empty for blank).
    sort: Vec<String>,
}

#[derive(Debug, Serialize)]
struct TotalText {
    text: String,
    reported: String,
}

fn total_text(t: &Total) -> TotalText {
    TotalText {
        text: t.sum.map_or_else(|| "—".to_string(), figure_text),
        reported: t.reported_text(),
    }
}

fn table(site: &Site, year: u16, f: &FormatFigures, range: &Range<usize>) -> FiguresTable {
    FiguresTable {
        short: format_short(&f.format.id),
        name: f.format.name.clone(),
        labels: f.headline().iter().map(|h| h.label.clone()).collect(),
        units: f
            .headline()
            .iter()
            .map(|h| f.format.cells[h.cell].unit.clone())
            .collect(),
        rows: f
            .rows
            .iter()
            .filter(|(t, _)| range.contains(t))
            .map(|(t, values)| {
                let township = &site.townships[*t];
                let texts: Vec<String> = values
                    .iter()
                    .map(|v| v.map(figure_text).unwrap_or_default())
                    .collect();
                FiguresRow {
                    name: township.name.clone(),
                    href: urls::report(year, &township.slug),
                    sort: texts.clone(),
                    values: texts,
                }
            })
            .collect(),
        totals: f.totals.iter().map(total_text).collect(),
    }
}

/// The tables of a year page: one per format used that year by a township of `range` (the
/// townships of the page), with that page's rows and the county totals.
pub(crate) fn year_tables(
    site: &Site,
    year: u16,
    figures: &[FormatFigures],
    range: &Range<usize>,
) -> Vec<FiguresTable> {
    figures
        .iter()
        .map(|f| table(site, year, f, range))
        .filter(|t| !t.rows.is_empty())
        .collect()
}

#[derive(Debug, Serialize)]
pub(crate) struct CountyFigures {
    short: String,
    name: String,
    labels: Vec<String>,
    units: Vec<String>,
    years: Vec<CountyYear>,
}

#[derive(Debug, Serialize)]
struct CountyYear {
    year: u16,
    href: String,
    totals: Vec<TotalText>,
}

/// The tables of the county page: per format, its county totals in every year it was used.
pub(crate) fn county_tables(site: &Site) -> Vec<CountyFigures> {
    county_figures(site)
        .into_iter()
        .map(|(format, years)| CountyFigures {
            short: format_short(&format.id),
            name: format.name.clone(),
            labels: format.headline.iter().map(|h| h.label.clone()).collect(),
            units: format
                .headline
                .iter()
                .map(|h| format.cells[h.cell].unit.clone())
                .collect(),
            years: years
                .into_iter()
                .rev()
                .map(|(year, totals)| CountyYear {
                    year,
                    href: urls::year(year),
                    totals: totals.iter().map(total_text).collect(),
                })
                .collect(),
        })
        .collect()
}
