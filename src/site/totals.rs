//! County totals of the key indicators, year by year, and when two years' totals may be compared.
//!
//! One model for the county page's table and charts, `county/totals.csv`/`.json` and the totals
//! row of the year pages. A total adds the figures the townships published (a blank is not 0 and
//! is not added; a total over no township is no total). It names the townships it sums and the
//! townships that should have reported that year (the registry's `since`/`until`), so that a
//! reader sees 「3/4 个乡镇」 and not a bare number.
//!
//! A change from the previous year is given only when it is a change of the same thing: the two
//! years are consecutive, both totals sum exactly the same townships, and every one of those
//! townships' two figures compare by the rule of [`super::compare::compare`] (the same table
//! format, or two formats graded `=`, and no figure with blank parts). Otherwise there is no
//! change and a Chinese reason says why (乡镇不同：2020 年缺 东湖街道（未发布）…); charts leave
//! the line broken there.

use std::collections::BTreeSet;

use super::compare::{
    Change, Comparability, Measure, Sided, Total, YearComparison, compare, year_comparison,
};
use super::{Site, Township};
use crate::schema::Format;
use crate::schema::compare::{Grade, Indicator};

/// How many townships a reason names before it says 等 N 个乡镇.
const NAMED: usize = 5;

/// One township's row of a year, with what it takes to say why it is or is not in a total.
#[derive(Debug, Clone)]
struct Row {
    /// Index in [`Site::townships`].
    township: usize,
    /// A report of that year exists.
    published: bool,
    /// That report's table format (`None`: no report or no table).
    format: Option<&'static Format>,
    /// One figure per indicator, with the grade of its format's source.
    cells: Vec<(Measure, Option<Grade>)>,
}

/// The county total of one indicator in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalCell {
    /// The sum and how many townships reported, collected and whether some figure is `≈`.
    pub total: Total,
    /// Townships whose figure the total sums (indices into [`Site::townships`]), by slug.
    pub townships: Vec<usize>,
    /// Townships the total covers out of: those expected that year and any other that reported.
    pub of: usize,
    /// Whether the total compares with the previous year's, and if not, why.
    pub comparability: Comparability,
    /// The change from the previous year, only where the two totals are comparable.
    pub change: Option<Change>,
    /// Why there is no change, in Chinese (empty when there is one, and for the first year).
    pub reason: String,
}

impl TotalCell {
    /// 「3/4 个乡镇」: how many townships the total sums, of how many.
    pub fn covers_text(&self) -> String {
        format!("{}/{} 个乡镇", self.townships.len(), self.of)
    }

    /// Whether a chart joins this year's point to the previous year's.
    pub fn joined(&self) -> bool {
        self.change.is_some()
    }
}

/// The county totals of one year.
#[derive(Debug, Clone)]
pub struct YearTotals {
    /// The report year.
    pub year: u16,
    /// Townships that should have reported that year (existed per `since`/`until`), by slug.
    pub expected: Vec<usize>,
    /// One total per indicator.
    pub cells: Vec<TotalCell>,
    rows: Vec<Row>,
}

/// The county totals of every year, ascending, with the changes between them.
#[derive(Debug, Clone)]
pub struct CountyTotals {
    /// The key indicators, one per column.
    pub indicators: Vec<&'static Indicator>,
    /// Years ascending.
    pub years: Vec<YearTotals>,
}

/// Township indices ordered by slug.
fn by_slug(site: &Site, mut townships: Vec<usize>) -> Vec<usize> {
    townships.sort_by(|a, b| site.townships[*a].slug.cmp(&site.townships[*b].slug));
    townships.dedup();
    townships
}

/// The totals of one year from its cross-township comparison (no change: that needs the
/// previous year, [`county_totals`]).
pub fn year_totals(site: &Site, year: u16, cmp: &YearComparison) -> YearTotals {
    let rows: Vec<Row> = cmp
        .rows
        .iter()
        .filter_map(|r| {
            let township = site.township_index(&r.township)?;
            let report = site.report(year, &r.township);
            Some(Row {
                township,
                published: r.published,
                format: report.and_then(|r| r.stats.as_ref()).map(|s| s.format),
                cells: r.cells.clone(),
            })
        })
        .collect();
    let expected = by_slug(
        site,
        (0..site.townships.len())
            .filter(|&t| site.townships[t].existed_in(year))
            .collect(),
    );
    let cells = cmp
        .totals
        .iter()
        .enumerate()
        .map(|(i, total)| {
            let townships = by_slug(
                site,
                rows.iter()
                    .filter(|r| r.cells[i].0.value().is_some())
                    .map(|r| r.township)
                    .collect(),
            );
            let of = expected
                .iter()
                .chain(&townships)
                .collect::<BTreeSet<_>>()
                .len();
            TotalCell {
                total: *total,
                townships,
                of,
                comparability: Comparability::First,
                change: None,
                reason: String::new(),
            }
        })
        .collect();
    YearTotals {
        year,
        expected,
        cells,
        rows,
    }
}

/// The county totals of every year of the site, compared year with year.
pub fn county_totals(site: &Site) -> CountyTotals {
    let mut years = site.years();
    years.reverse();
    let mut indicators = Vec::new();
    let mut out: Vec<YearTotals> = Vec::with_capacity(years.len());
    for year in years {
        let cmp = year_comparison(site, year);
        let mut totals = year_totals(site, year, &cmp);
        indicators = cmp.indicators;
        if let Some(previous) = out.last() {
            for i in 0..totals.cells.len() {
                let (comparability, change, reason) = compare_totals(site, previous, &totals, i);
                let cell = &mut totals.cells[i];
                cell.comparability = comparability;
                cell.change = change;
                cell.reason = reason;
            }
        }
        out.push(totals);
    }
    if indicators.is_empty() {
        indicators = crate::schema::compare::key_indicators().collect();
    }
    CountyTotals {
        indicators,
        years: out,
    }
}

/// Compare indicator `i`'s total of `current` with that of `previous`.
fn compare_totals(
    site: &Site,
    previous: &YearTotals,
    current: &YearTotals,
    i: usize,
) -> (Comparability, Option<Change>, String) {
    let missing = |reason: String| (Comparability::Missing, None, reason);
    if previous.year + 1 != current.year {
        let gap = if previous.year + 2 == current.year {
            format!("{} 年", previous.year + 1)
        } else {
            format!("{}—{} 年", previous.year + 1, current.year - 1)
        };
        return missing(format!("{gap}没有报告，不与 {} 年比较", previous.year));
    }
    let (before, after) = (&previous.cells[i], &current.cells[i]);
    for (side, cell) in [(current, after), (previous, before)] {
        if cell.total.sum.is_none() {
            return missing(if cell.total.collected == 0 {
                format!("{} 年各乡镇的表格不统计此项", side.year)
            } else {
                format!("{} 年没有乡镇填报此项", side.year)
            });
        }
    }
    // Every reason there is, the first deciding the code: different townships, then figures
    // of different definitions among the townships of both years, then figures with blank parts.
    let mut reasons: Vec<(Comparability, String)> = Vec::new();
    if before.townships != after.townships {
        let not_in = |a: &[usize], b: &[usize]| -> Vec<usize> {
            a.iter().filter(|t| !b.contains(t)).copied().collect()
        };
        let lacking = |year: &YearTotals, absent: Vec<usize>| {
            (!absent.is_empty()).then(|| {
                let names = named(&absent, |t| {
                    format!(
                        "{}（{}）",
                        site.townships[t].name,
                        absence(&site.townships[t], t, year, i)
                    )
                });
                format!("{} 年缺 {names}", year.year)
            })
        };
        let parts: Vec<String> = [
            lacking(current, not_in(&before.townships, &after.townships)),
            lacking(previous, not_in(&after.townships, &before.townships)),
        ]
        .into_iter()
        .flatten()
        .collect();
        reasons.push((
            Comparability::DifferentTownships,
            format!("乡镇不同：{}", parts.join("，")),
        ));
    }
    // Each township's two figures must mean the same thing.
    let side = |year: &YearTotals, t: usize| {
        year.rows.iter().find(|r| r.township == t).map(|r| Sided {
            measure: r.cells[i].0,
            grade: r.cells[i].1,
            format: r.format.map(|f| f.id.as_str()),
        })
    };
    let mut definitions: Vec<(&str, &str)> = Vec::new();
    let mut partial: Vec<usize> = Vec::new();
    let mut across_formats = false;
    for &t in &after.townships {
        let (Some(a), Some(b)) = (side(previous, t), side(current, t)) else {
            continue;
        };
        match compare(a, b).0 {
            Comparability::DifferentDefinition => {
                let pair = (a.format.unwrap_or_default(), b.format.unwrap_or_default());
                if !definitions.contains(&pair) {
                    definitions.push(pair);
                }
            }
            Comparability::PartlyReported => partial.push(t),
            Comparability::SameQuantity => across_formats = true,
            _ => {}
        }
    }
    if !definitions.is_empty() {
        definitions.sort_unstable();
        let pairs: Vec<String> = definitions
            .iter()
            .map(|(a, b)| {
                format!(
                    "{} 年（{}表格）与 {} 年（{}表格）",
                    previous.year,
                    edition(a),
                    current.year,
                    edition(b)
                )
            })
            .collect();
        reasons.push((
            Comparability::DifferentDefinition,
            format!("口径不同：{}此项口径近似（≈）", pairs.join("、")),
        ));
    }
    if !partial.is_empty() {
        let names = named(&partial, |t| site.townships[t].name.clone());
        reasons.push((
            Comparability::PartlyReported,
            format!("含未填报项：{names}的此项有分项未填报"),
        ));
    }
    if let Some((comparability, _)) = reasons.first() {
        let text: Vec<&str> = reasons.iter().map(|(_, r)| r.as_str()).collect();
        return (*comparability, None, text.join("；"));
    }
    let (Some(b), Some(a)) = (before.total.sum, after.total.sum) else {
        return missing(String::new());
    };
    let comparability = if across_formats {
        Comparability::SameQuantity
    } else {
        Comparability::SameFormat
    };
    (comparability, Some(Change::between(b, a)), String::new())
}

/// The first [`NAMED`] townships of `townships` as `name` writes them, joined with 、, and
/// 等 N 个乡镇 when there are more.
fn named(townships: &[usize], name: impl Fn(usize) -> String) -> String {
    let names: Vec<String> = townships.iter().take(NAMED).map(|&t| name(t)).collect();
    let mut text = names.join("、");
    if townships.len() > NAMED {
        text.push_str(&format!("等 {} 个乡镇", townships.len()));
    }
    text
}

/// Why `township` has no figure of indicator `i` in `year`'s total.
fn absence(township: &Township, index: usize, year: &YearTotals, i: usize) -> &'static str {
    match year.rows.iter().find(|r| r.township == index) {
        None if township.since.is_some_and(|s| year.year < s) => "尚未设立",
        None => "已撤并",
        Some(r) if !r.published => "未发布",
        Some(r) if r.format.is_none() => "无统计表",
        Some(r) => match r.cells[i].0 {
            Measure::NotCollected => "表格不统计此项",
            Measure::Blank => "未填报",
            Measure::Reported { .. } => "已填报",
        },
    }
}

/// `gov-2014` → `2014年版`.
fn edition(format_id: &str) -> String {
    format_id
        .strip_prefix("gov-")
        .map_or_else(|| format_id.to_string(), |y| format!("{y}年版"))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::site::{Report, Stats};

    fn report(year: u16, township: &str, format_id: &str, set: &[(&str, Option<i64>)]) -> Report {
        let format = crate::schema::format(format_id).unwrap();
        let mut values = vec![None; format.cells.len()];
        for (id, v) in set {
            values[format.cell_index(id).unwrap()] = v.map(Decimal::from);
        }
        Report {
            stats: Some(Stats {
                format,
                values,
                findings: Vec::new(),
            }),
            ..crate::site::compare::tests_support::report(year, township, "")
        }
    }

    /// Townships `t0`…`t<n-1>`, the last one set up in `since`.
    fn site(n: usize, since: u16, reports: Vec<Report>) -> Site {
        let config =
            crate::config::Config::parse("title = \"t\"\nbase_url = \"https://a.cn/\"\n").unwrap();
        let townships = (0..n)
            .map(|i| Township {
                slug: format!("t{i}"),
                name: format!("{i}号镇"),
                kind: "镇".into(),
                code: None,
                order: i as i64,
                formerly: Vec::new(),
                since: (i + 1 == n).then_some(since),
                until: None,
            })
            .collect();
        Site::new(config, townships, reports, None, Default::default())
    }

    fn received(year: u16, township: &str, v: Option<i64>) -> Report {
        report(
            year,
            township,
            "gov-2019",
            &[("apps.new_received.total", v)],
        )
    }

    fn cell(totals: &CountyTotals, year: u16) -> &TotalCell {
        let i = totals
            .indicators
            .iter()
            .position(|i| i.id == "apps.new_received")
            .unwrap();
        &totals.years.iter().find(|y| y.year == year).unwrap().cells[i]
    }

    #[test]
    fn a_township_set_up_later_is_not_expected_before_and_its_arrival_breaks_the_change() {
        let s = site(
            3,
            2020,
            vec![
                received(2019, "t0", Some(5)),
                received(2019, "t1", Some(0)),
                received(2020, "t0", Some(7)),
                received(2020, "t1", Some(2)),
                received(2020, "t2", Some(9)),
                received(2021, "t0", Some(8)),
                received(2021, "t1", Some(2)),
                received(2021, "t2", Some(9)),
            ],
        );
        let totals = county_totals(&s);
        assert_eq!(totals.years[0].expected, [0, 1], "t2 did not exist in 2019");
        let c2019 = cell(&totals, 2019);
        assert_eq!(c2019.total.sum, Some(Decimal::from(5)), "0 is a figure");
        assert_eq!(c2019.covers_text(), "2/2 个乡镇");
        let c2020 = cell(&totals, 2020);
        assert_eq!(c2020.comparability, Comparability::DifferentTownships);
        assert_eq!(c2020.change, None);
        assert_eq!(c2020.reason, "乡镇不同：2019 年缺 2号镇（尚未设立）");
        let c2021 = cell(&totals, 2021);
        assert_eq!(c2021.comparability, Comparability::SameFormat);
        assert_eq!(c2021.change.map(|c| c.delta), Some(Decimal::from(1)));
    }

    #[test]
    fn a_reason_names_five_townships_and_counts_the_rest() {
        let mut reports: Vec<Report> = (0..8)
            .map(|t| received(2019, &format!("t{t}"), Some(1)))
            .collect();
        reports.push(received(2020, "t0", Some(1)));
        reports.extend((1..8).map(|t| received(2020, &format!("t{t}"), None)));
        let totals = county_totals(&site(8, 2000, reports));
        let c = cell(&totals, 2020);
        assert_eq!(c.total.sum, Some(Decimal::ONE));
        assert_eq!(c.covers_text(), "1/8 个乡镇");
        assert!(
            c.reason
                .starts_with("乡镇不同：2020 年缺 1号镇（未填报）、")
                && c.reason.ends_with("5号镇（未填报）等 7 个乡镇"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn no_township_reporting_is_no_total_and_no_change() {
        let totals = county_totals(&site(
            2,
            2000,
            vec![
                received(2019, "t0", Some(3)),
                received(2020, "t0", None),
                received(2020, "t1", None),
            ],
        ));
        let c = cell(&totals, 2020);
        assert_eq!(c.total.sum, None, "blank is not 0");
        assert!(c.townships.is_empty());
        assert_eq!(c.comparability, Comparability::Missing);
        assert_eq!(c.reason, "2020 年没有乡镇填报此项");
    }
}
