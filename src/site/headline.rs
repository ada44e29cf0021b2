//! Each year's own key figures: for every table format used in a year, its headline cells per
//! township and the county total with how many townships reported it ("n/m 个乡镇填报").
//!
//! The cross-format comparison ([`super::compare`]) shows only what all formats share, so a year
//! filed on the 2014 form would otherwise show almost nothing of its own figures. Totals add the
//! figures exactly as published; a blank is not 0 and is not added.

use rust_decimal::Decimal;

use super::{Figure, Site};
use crate::schema::{self, Format, Headline};

/// A county total of one headline cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Total {
    /// The sum of the reported figures; `None` when no township reported one.
    pub sum: Option<Decimal>,
    /// Townships that reported a figure.
    pub reported: usize,
    /// Townships whose table has the cell (reports on this format).
    pub of: usize,
}

impl Total {
    fn add(&mut self, value: Option<Figure>) {
        self.of += 1;
        if let Some(v) = value {
            self.reported += 1;
            self.sum = Some(self.sum.unwrap_or_default() + v);
        }
    }

    /// `n/m 个乡镇填报`, or `m 个乡镇` when all reported.
    pub fn reported_text(&self) -> String {
        if self.reported == self.of {
            format!("{} 个乡镇", self.of)
        } else {
            format!("{}/{} 个乡镇填报", self.reported, self.of)
        }
    }
}

/// One format's key figures in one year.
#[derive(Debug, Clone)]
pub struct FormatFigures {
    /// The format.
    pub format: &'static Format,
    /// Per township that filed on it (display order): its index and the headline figures.
    pub rows: Vec<(usize, Vec<Option<Figure>>)>,
    /// Per headline cell.
    pub totals: Vec<Total>,
}

impl FormatFigures {
    /// The headline cells of the format.
    pub fn headline(&self) -> &'static [Headline] {
        &self.format.headline
    }
}

/// The key figures of every format used in `year`, in the order of [`schema::formats`].
pub fn year_figures(site: &Site, year: u16) -> Vec<FormatFigures> {
    schema::formats()
        .iter()
        .filter_map(|format| {
            let rows: Vec<(usize, Vec<Option<Figure>>)> = site
                .townships
                .iter()
                .enumerate()
                .filter_map(|(t, township)| {
                    let stats = site.report(year, &township.slug)?.stats.as_ref()?;
                    (stats.format.id == format.id).then(|| {
                        let values = format.headline.iter().map(|h| stats.values[h.cell]);
                        (t, values.collect())
                    })
                })
                .collect();
            if rows.is_empty() {
                return None;
            }
            let mut totals = vec![Total::default(); format.headline.len()];
            for (_, values) in &rows {
                for (total, value) in totals.iter_mut().zip(values) {
                    total.add(*value);
                }
            }
            Some(FormatFigures {
                format,
                rows,
                totals,
            })
        })
        .collect()
}

/// One format's county totals: per year it was used (ascending), one total per headline cell.
pub type CountyFigures = (&'static Format, Vec<(u16, Vec<Total>)>);

/// Per format, the county totals of every year it was used (years ascending).
pub fn county_figures(site: &Site) -> Vec<CountyFigures> {
    let mut years = site.years();
    years.reverse();
    let per_year: Vec<(u16, Vec<FormatFigures>)> = years
        .into_iter()
        .map(|y| (y, year_figures(site, y)))
        .collect();
    schema::formats()
        .iter()
        .filter_map(|format| {
            let rows: Vec<(u16, Vec<Total>)> = per_year
                .iter()
                .filter_map(|(y, figures)| {
                    figures
                        .iter()
                        .find(|f| f.format.id == format.id)
                        .map(|f| (*y, f.totals.clone()))
                })
                .collect();
            (!rows.is_empty()).then_some((format, rows))
        })
        .collect()
}
