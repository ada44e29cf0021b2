//! Derived views across reports: a township year by year, the townships of one year, the county
//! over the years. Pure functions of the model; templates and data exports only lay them out.
//!
//! Three states of a figure are kept apart everywhere: reported (a number, possibly 0), blank
//! (the format has the row but the report left it empty) and not collected (the report's format,
//! or the report itself, has no such row).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::schema::compare::{Grade, Indicator, indicators, key_indicators};
use crate::site::{Report, Site, Stats};

/// One figure of one indicator in one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A reported number; `blanks` counts the summed cells that were left blank.
    Reported {
        /// The figure (sum of the indicator's cells that were reported).
        value: Decimal,
        /// Cells of the sum that were blank.
        blanks: usize,
    },
    /// The format has the row, the report left it blank.
    Blank,
    /// The report's format has no such row (or the report has no table).
    NotCollected,
}

impl Measure {
    /// The number, when reported.
    pub fn value(self) -> Option<Decimal> {
        match self {
            Measure::Reported { value, .. } => Some(value),
            _ => None,
        }
    }
}

/// The figure of `indicator` in a report's table, with the grade of that format's source.
pub fn measure(indicator: &Indicator, stats: Option<&Stats>) -> (Measure, Option<Grade>) {
    let Some(stats) = stats else {
        return (Measure::NotCollected, None);
    };
    let Some(source) = indicator.source(stats.format) else {
        return (Measure::NotCollected, None);
    };
    let mut total: Option<Decimal> = None;
    let mut blanks = 0;
    for &cell in &source.cells {
        match stats.values[cell] {
            Some(v) => total = Some(total.unwrap_or_default() + v),
            None => blanks += 1,
        }
    }
    let m = match total {
        Some(value) => Measure::Reported { value, blanks },
        None => Measure::Blank,
    };
    (m, Some(source.grade))
}

/// Change from the previous year, given only where both figures mean the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// Absolute change.
    pub delta: Decimal,
    /// Relative change in percent (one decimal), `None` when the previous figure is 0.
    pub percent: Option<Decimal>,
}

/// Whether a year's figure can be compared with the previous year's, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparability {
    /// The first year shown: nothing to compare with.
    First,
    /// The same table format both years: the change is exact.
    SameFormat,
    /// Two formats that both count exactly this quantity (`=` in the mapping).
    SameQuantity,
    /// Two formats whose figures mean different things (`≈`): shown side by side, no change.
    DifferentDefinition,
    /// One of the figures is a sum with blank parts: no change.
    PartlyReported,
    /// One of the years has no figure (blank, not collected, or no report).
    Missing,
    /// Two county totals that sum different townships: no change.
    DifferentTownships,
}

impl Comparability {
    /// The code in data files (`compare.csv`'s `comparability` column).
    pub fn code(self) -> &'static str {
        match self {
            Comparability::First => "first",
            Comparability::SameFormat => "same_format",
            Comparability::SameQuantity => "same_quantity",
            Comparability::DifferentDefinition => "different_definition",
            Comparability::PartlyReported => "partly_reported",
            Comparability::Missing => "missing",
            Comparability::DifferentTownships => "different_townships",
        }
    }

    /// The grade of the comparison: `=` when a change is computed, `≈` across a change of
    /// definition, nothing when there is no pair of figures.
    pub fn grade(self) -> Option<Grade> {
        match self {
            Comparability::SameFormat | Comparability::SameQuantity => Some(Grade::Same),
            Comparability::DifferentDefinition => Some(Grade::Approximate),
            _ => None,
        }
    }
}

/// The 比上年 text of a figure, the same on pages and in spreadsheets: the change where there is
/// one, 口径不同 across a change of definition, and why not for a partly reported sum.
pub fn change_text(comparability: Comparability, change: Option<Change>) -> String {
    if let Some(c) = change {
        let percent = c
            .percent
            .map(|p| format!("（{p:+.1}%）"))
            .unwrap_or_default();
        return format!("{:+}{percent}", c.delta);
    }
    match comparability {
        Comparability::DifferentDefinition => "口径不同".to_string(),
        Comparability::PartlyReported => "含未填报项，不比较".to_string(),
        Comparability::DifferentTownships => "乡镇不同，不比较".to_string(),
        _ => String::new(),
    }
}

/// One year's figure of an indicator with what it takes to compare it: the measure, the grade
/// of its format's source, and the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sided<'a> {
    /// The figure.
    pub measure: Measure,
    /// The grade of the format's source for the indicator.
    pub grade: Option<Grade>,
    /// The table format (`None`: no report, or a report without a table).
    pub format: Option<&'a str>,
}

/// Compare `current` with `previous`: the change where both figures mean the same thing (the
/// same format, or two formats graded `=`), and why there is none otherwise.
pub fn compare(previous: Sided<'_>, current: Sided<'_>) -> (Comparability, Option<Change>) {
    let (
        Measure::Reported {
            value: before,
            blanks: b0,
        },
        Measure::Reported {
            value: after,
            blanks: b1,
        },
    ) = (previous.measure, current.measure)
    else {
        return (Comparability::Missing, None);
    };
    let comparability = if previous.format == current.format {
        Comparability::SameFormat
    } else if previous.grade == Some(Grade::Same) && current.grade == Some(Grade::Same) {
        Comparability::SameQuantity
    } else {
        Comparability::DifferentDefinition
    };
    if comparability == Comparability::DifferentDefinition {
        return (comparability, None);
    }
    if b0 > 0 || b1 > 0 {
        return (Comparability::PartlyReported, None);
    }
    (comparability, Some(Change::between(before, after)))
}

impl Change {
    /// The change from `before` to `after`: the difference, and the percentage (one decimal,
    /// halves away from zero) unless `before` is 0.
    pub fn between(before: Decimal, after: Decimal) -> Change {
        let delta = after - before;
        let percent = (!before.is_zero()).then(|| {
            (delta * Decimal::ONE_HUNDRED / before)
                .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        });
        Change { delta, percent }
    }
}

/// A year column of a township's comparison: every year from its first report to its last,
/// those without a report included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearColumn {
    /// The report year.
    pub year: u16,
    /// The township published a report for this year.
    pub published: bool,
    /// Format id of that year's table (`None`: no table).
    pub format: Option<String>,
    /// The format differs from the previous column's.
    pub boundary: bool,
}

/// One cell of a township's comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareCell {
    /// The figure.
    pub measure: Measure,
    /// Grade of this format's source.
    pub grade: Option<Grade>,
    /// Whether the figure compares with the previous year's.
    pub comparability: Comparability,
    /// Change from the previous year, where the two figures mean the same thing.
    pub change: Option<Change>,
    /// Footnote number (1-based) explaining a `≈` figure.
    pub note: Option<usize>,
}

/// One indicator year by year.
#[derive(Debug, Clone)]
pub struct CompareRow {
    /// The indicator.
    pub indicator: &'static Indicator,
    /// Collected by more than one format present in the table.
    pub across_formats: bool,
    /// One cell per year column.
    pub cells: Vec<CompareCell>,
}

/// A township's reports compared year by year.
#[derive(Debug, Clone)]
pub struct TownshipComparison {
    /// Years ascending.
    pub years: Vec<YearColumn>,
    /// Indicators collected by at least one of the years' formats; cross-format ones first.
    pub rows: Vec<CompareRow>,
    /// Footnotes, numbered from 1.
    pub notes: Vec<String>,
}

/// Build the year-by-year comparison of one township.
pub fn township_comparison(site: &Site, slug: &str) -> TownshipComparison {
    let mut published: Vec<&Report> = site.reports_of_township(slug).collect();
    published.sort_by_key(|r| r.year);
    // Every year of the span: a year without a report is a column that says so.
    let (Some(first), Some(last)) = (published.first(), published.last()) else {
        return TownshipComparison {
            years: Vec::new(),
            rows: Vec::new(),
            notes: Vec::new(),
        };
    };
    let first_year = first.year;
    let reports: Vec<Option<&Report>> = (first.year..=last.year)
        .map(|year| published.iter().find(|r| r.year == year).copied())
        .collect();
    let mut years: Vec<YearColumn> = Vec::with_capacity(reports.len());
    for (i, r) in reports.iter().enumerate() {
        let format = r
            .and_then(|r| r.stats.as_ref())
            .map(|s| s.format.id.clone());
        // A format change is marked where the format differs from the last year that had one.
        let boundary = format.is_some()
            && years
                .iter()
                .rev()
                .find_map(|p| p.format.as_ref())
                .is_some_and(|p| Some(p) != format.as_ref());
        years.push(YearColumn {
            year: first_year + i as u16,
            published: r.is_some(),
            format,
            boundary,
        });
    }
    let mut notes: Vec<String> = Vec::new();
    let mut rows: Vec<CompareRow> = indicators()
        .iter()
        .filter_map(|indicator| {
            let measures: Vec<(Measure, Option<Grade>)> = reports
                .iter()
                .map(|r| {
                    r.map_or((Measure::NotCollected, None), |r| {
                        measure(indicator, r.stats.as_ref())
                    })
                })
                .collect();
            let formats_collecting: std::collections::BTreeSet<&str> = reports
                .iter()
                .flatten()
                .filter_map(|r| r.stats.as_ref())
                .filter(|s| indicator.source(s.format).is_some())
                .map(|s| s.format.id.as_str())
                .collect();
            if formats_collecting.is_empty() {
                return None;
            }
            let cells = measures
                .iter()
                .enumerate()
                .map(|(i, &m)| {
                    let note = (m.1 == Some(Grade::Approximate) && m.0.value().is_some())
                        .then(|| {
                            let format = reports[i]?.stats.as_ref().map(|s| s.format)?;
                            let text = indicator.source(format)?.note.clone()?;
                            Some(note_number(&mut notes, text))
                        })
                        .flatten();
                    let side = |j: usize| Sided {
                        measure: measures[j].0,
                        grade: measures[j].1,
                        format: years[j].format.as_deref(),
                    };
                    let (comparability, change) = if i == 0 {
                        (Comparability::First, None)
                    } else {
                        compare(side(i - 1), side(i))
                    };
                    CompareCell {
                        measure: m.0,
                        grade: m.1,
                        comparability,
                        change,
                        note,
                    }
                })
                .collect();
            Some(CompareRow {
                indicator,
                across_formats: formats_collecting.len() > 1,
                cells,
            })
        })
        .collect();
    // Cross-format rows first; then each era's own rows together, in era order.
    rows.sort_by_key(|r| {
        let era = r
            .cells
            .iter()
            .position(|c| c.measure != Measure::NotCollected);
        (!r.across_formats, if r.across_formats { None } else { era })
    });
    let notes = renumber_notes(&mut rows, notes);
    TownshipComparison { years, rows, notes }
}

/// Number footnotes in reading order (row by row, left to right).
fn renumber_notes(rows: &mut [CompareRow], notes: Vec<String>) -> Vec<String> {
    let mut ordered: Vec<String> = Vec::with_capacity(notes.len());
    for cell in rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        if let Some(old) = cell.note {
            cell.note = Some(note_number(&mut ordered, notes[old - 1].clone()));
        }
    }
    ordered
}

fn note_number(notes: &mut Vec<String>, text: String) -> usize {
    match notes.iter().position(|n| *n == text) {
        Some(i) => i + 1,
        None => {
            notes.push(text);
            notes.len()
        }
    }
}

/// A sum over townships: reported figures added, with how many townships reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Total {
    /// Sum of the reported figures; `None` when no township reported.
    pub sum: Option<Decimal>,
    /// Townships whose figure is in the sum.
    pub reported: usize,
    /// Townships whose format collects the indicator (reported + blank).
    pub collected: usize,
    /// Some figure in the sum only approximately matches the indicator.
    pub approximate: bool,
}

impl Total {
    fn add(&mut self, (m, grade): (Measure, Option<Grade>)) {
        match m {
            Measure::Reported { value, .. } => {
                self.sum = Some(self.sum.unwrap_or_default() + value);
                self.reported += 1;
                self.collected += 1;
                self.approximate |= grade == Some(Grade::Approximate);
            }
            Measure::Blank => self.collected += 1,
            Measure::NotCollected => {}
        }
    }
}

/// One township's key figures in one year.
#[derive(Debug, Clone)]
pub struct YearRow {
    /// Township slug.
    pub township: String,
    /// Whether the township published a report that year.
    pub published: bool,
    /// One figure per key indicator.
    pub cells: Vec<(Measure, Option<Grade>)>,
}

/// The townships of one year side by side, with county totals.
#[derive(Debug, Clone)]
pub struct YearComparison {
    /// The key indicators (columns).
    pub indicators: Vec<&'static Indicator>,
    /// One row per registered township, in display order.
    pub rows: Vec<YearRow>,
    /// County totals, one per indicator.
    pub totals: Vec<Total>,
}

/// Build the cross-township table of one year.
pub fn year_comparison(site: &Site, year: u16) -> YearComparison {
    let indicators: Vec<&'static Indicator> = key_indicators().collect();
    let mut totals = vec![Total::default(); indicators.len()];
    // A township that did not exist that year (since/until) and has no report is not a row.
    let rows = site
        .townships
        .iter()
        .filter(|t| t.existed_in(year) || site.report(year, &t.slug).is_some())
        .map(|t| {
            let report = site.report(year, &t.slug);
            let cells: Vec<(Measure, Option<Grade>)> = indicators
                .iter()
                .map(|i| {
                    report.map_or((Measure::NotCollected, None), |r| {
                        measure(i, r.stats.as_ref())
                    })
                })
                .collect();
            for (total, &cell) in totals.iter_mut().zip(&cells) {
                total.add(cell);
            }
            YearRow {
                township: t.slug.clone(),
                published: report.is_some(),
                cells,
            }
        })
        .collect();
    YearComparison {
        indicators,
        rows,
        totals,
    }
}

/// Test helpers shared with other modules' tests.
#[cfg(test)]
pub mod tests_support {
    use crate::site::{Report, ReportMeta};

    /// A report without table or narrative.
    pub fn report(year: u16, township: &str, title: &str) -> Report {
        Report {
            year,
            township: township.to_string(),
            folder: String::new(),
            meta: ReportMeta {
                title: title.to_string(),
                index_no: None,
                publisher: String::new(),
                scope: None,
                generated: None,
                published: chrono::NaiveDate::from_ymd_opt(i32::from(year) + 1, 1, 15),
                channel: None,
                source_url: None,
                form: None,
                draft: false,
            },
            narrative: String::new(),
            narrative_line: 1,
            stats: None,
            attachments: Vec::new(),
            errors: 0,
            warnings: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::format;

    fn stats(format_id: &str, set: &[(&str, Option<i64>)]) -> Stats {
        let f = format(format_id).unwrap();
        let mut values = vec![None; f.cells.len()];
        for (id, v) in set {
            values[f.cell_index(id).unwrap()] = v.map(Decimal::from);
        }
        Stats {
            format: f,
            values,
            findings: Vec::new(),
        }
    }

    fn indicator(id: &str) -> &'static Indicator {
        indicators().iter().find(|i| i.id == id).unwrap()
    }

    #[test]
    fn sums_reported_cells_and_counts_blanks() {
        let s = stats(
            "gov-2014",
            &[
                ("applications.replies.already_public", Some(2)),
                ("applications.replies.granted", None),
            ],
        );
        let (m, g) = measure(indicator("apps.outcome.granted"), Some(&s));
        assert_eq!(
            m,
            Measure::Reported {
                value: Decimal::from(2),
                blanks: 1
            }
        );
        assert_eq!(g, Some(Grade::Approximate));
        let (m, _) = measure(indicator("apps.outcome.unable_not_held"), Some(&s));
        assert_eq!(m, Measure::Blank);
        let (m, g) = measure(indicator("licensing.decisions"), Some(&s));
        assert_eq!((m, g), (Measure::NotCollected, None));
    }

    fn side(v: Option<i64>, blanks: usize, grade: Grade, format: &str) -> Sided<'_> {
        Sided {
            measure: match v {
                Some(v) => Measure::Reported {
                    value: Decimal::from(v),
                    blanks,
                },
                None => Measure::Blank,
            },
            grade: Some(grade),
            format: Some(format),
        }
    }

    #[test]
    fn change_needs_both_figures_and_a_nonzero_base_for_percent() {
        let r = |v: i64| side(Some(v), 0, Grade::Same, "gov-2019");
        let (why, c) = compare(r(8), r(10));
        assert_eq!(why, Comparability::SameFormat);
        let c = c.unwrap();
        assert_eq!(c.delta, Decimal::from(2));
        assert_eq!(c.percent, Some(Decimal::new(250, 1)));
        assert_eq!(
            compare(r(0), r(5)).1.unwrap().percent,
            None,
            "0 base: no percentage"
        );
        assert_eq!(compare(r(0), r(5)).1.unwrap().delta, Decimal::from(5));
        let blank = side(None, 0, Grade::Same, "gov-2019");
        assert_eq!(
            compare(blank, r(5)),
            (Comparability::Missing, None),
            "blank gives no change, never 0"
        );
        let none = Sided {
            measure: Measure::NotCollected,
            grade: None,
            format: None,
        };
        assert_eq!(compare(r(5), none), (Comparability::Missing, None));
        assert_eq!(
            compare(r(3), r(1)).1.unwrap().percent,
            Some(Decimal::new(-667, 1))
        );
    }

    #[test]
    fn changes_only_between_figures_that_mean_the_same_thing() {
        // Inside one format a figure is compared with itself, whatever its grade against the
        // other formats: the 2014 form's 2016→2017 change is exact.
        let a = |v| side(Some(v), 0, Grade::Approximate, "gov-2014");
        let (why, c) = compare(a(3), a(6));
        assert_eq!(
            (why, why.grade()),
            (Comparability::SameFormat, Some(Grade::Same))
        );
        assert_eq!(c.map(|c| c.delta), Some(Decimal::from(3)));
        // Across formats: a change only when both are `=` …
        let b = |v| side(Some(v), 0, Grade::Same, "gov-2019");
        let c2021 = |v| side(Some(v), 0, Grade::Same, "gov-2021");
        let (why, c) = compare(b(4), c2021(5));
        assert_eq!(
            (why, why.grade()),
            (Comparability::SameQuantity, Some(Grade::Same))
        );
        assert!(c.is_some());
        // … and none across a ≈ boundary, either way round.
        for (before, after) in [
            (a(40), b(119)),
            (b(21), side(Some(0), 0, Grade::Approximate, "gov-2021")),
        ] {
            let (why, c) = compare(before, after);
            assert_eq!(why, Comparability::DifferentDefinition);
            assert_eq!(why.grade(), Some(Grade::Approximate));
            assert_eq!(c, None, "口径不同: no number");
            assert_eq!(change_text(why, c), "口径不同");
        }
        // A total with a blank part is not compared, in the same format too.
        let partial = side(Some(0), 1, Grade::Same, "gov-2019");
        let (why, c) = compare(b(21), partial);
        assert_eq!((why, c), (Comparability::PartlyReported, None));
        assert_eq!(change_text(why, c), "含未填报项，不比较");
        assert_eq!(change_text(Comparability::First, None), "");
    }

    fn report(year: u16, township: &str, stats: Option<Stats>) -> Report {
        Report {
            stats,
            ..super::tests_support::report(year, township, "")
        }
    }

    fn site(reports: Vec<Report>) -> Site {
        let config =
            crate::config::Config::parse("title = \"t\"\nbase_url = \"https://a.cn/\"\n").unwrap();
        let townships = ["a", "b", "c"]
            .iter()
            .map(|s| crate::site::Township {
                slug: s.to_string(),
                name: s.to_uppercase(),
                kind: "镇".into(),
                code: None,
                order: 0,
                formerly: Vec::new(),
                since: None,
                until: None,
            })
            .collect();
        Site::new(config, townships, reports, None, Default::default())
    }

    #[test]
    fn township_comparison_across_three_formats() {
        let s = site(vec![
            report(
                2018,
                "a",
                Some(stats(
                    "gov-2014",
                    &[("applications.received", Some(4)), ("org.staff", Some(3))],
                )),
            ),
            report(
                2019,
                "a",
                Some(stats("gov-2019", &[("apps.new_received.total", Some(6))])),
            ),
            report(
                2020,
                "a",
                Some(stats("gov-2019", &[("apps.new_received.total", None)])),
            ),
            report(
                2021,
                "a",
                Some(stats("gov-2021", &[("apps.new_received.total", Some(10))])),
            ),
            report(
                2022,
                "a",
                Some(stats("gov-2021", &[("apps.new_received.total", Some(0))])),
            ),
            report(
                2024,
                "a",
                Some(stats("gov-2021", &[("apps.new_received.total", Some(5))])),
            ),
        ]);
        let c = township_comparison(&s, "a");
        let years: Vec<(u16, bool, bool)> = c
            .years
            .iter()
            .map(|y| (y.year, y.boundary, y.published))
            .collect();
        assert_eq!(
            years,
            [
                (2018, false, true),
                (2019, true, true),
                (2020, false, true),
                (2021, true, true),
                (2022, false, true),
                (2023, false, false),
                (2024, false, true)
            ],
            "every year of the span, 2023 (no report) included; no boundary back into the same format"
        );
        let row = c
            .rows
            .iter()
            .find(|r| r.indicator.id == "apps.new_received")
            .unwrap();
        assert!(row.across_formats);
        let values: Vec<Option<Decimal>> = row.cells.iter().map(|c| c.measure.value()).collect();
        assert_eq!(
            values,
            [
                Some(4.into()),
                Some(6.into()),
                None,
                Some(10.into()),
                Some(0.into()),
                None,
                Some(5.into())
            ]
        );
        assert_eq!(row.cells[2].measure, Measure::Blank);
        assert_eq!(row.cells[5].measure, Measure::NotCollected);
        let note = row.cells[0].note.unwrap();
        assert!(c.notes[note - 1].contains("收到申请数"));
        let first = c.rows.iter().flat_map(|r| &r.cells).find_map(|c| c.note);
        assert_eq!(first, Some(1), "notes are numbered in reading order");
        assert!(
            c.rows
                .iter()
                .flat_map(|r| &r.cells)
                .all(|c| c.note.is_none() || c.measure.value().is_some())
        );
        let why: Vec<Comparability> = row.cells.iter().map(|c| c.comparability).collect();
        assert_eq!(
            why,
            [
                Comparability::First,
                // 2014 form (≈) → 2019 form: 口径不同, no change.
                Comparability::DifferentDefinition,
                Comparability::Missing,
                Comparability::Missing,
                Comparability::SameFormat,
                Comparability::Missing,
                Comparability::Missing
            ]
        );
        assert_eq!(row.cells[1].change, None, "no change across a ≈ boundary");
        let ch = row.cells[4].change.unwrap();
        assert_eq!(
            (ch.delta, ch.percent),
            (Decimal::from(-10), Some(Decimal::from(-100)))
        );
        assert!(
            row.cells
                .iter()
                .enumerate()
                .all(|(i, c)| c.change.is_some() == (i == 4)),
            "the only change is 2021→2022"
        );
        // An indicator only the 2014 table collects is shown in its era, not collected elsewhere.
        let staff = c
            .rows
            .iter()
            .find(|r| r.indicator.id == "org.staff")
            .unwrap();
        assert!(!staff.across_formats);
        assert_eq!(staff.cells[0].measure.value(), Some(Decimal::from(3)));
        assert!(
            staff.cells[1..]
                .iter()
                .all(|c| c.measure == Measure::NotCollected)
        );
        // Cross-format rows come first.
        let first_era_only = c.rows.iter().position(|r| !r.across_formats).unwrap();
        assert!(c.rows[first_era_only..].iter().all(|r| !r.across_formats));
    }

    #[test]
    fn year_comparison_totals_over_townships() {
        let s = site(vec![
            report(
                2021,
                "a",
                Some(stats("gov-2021", &[("apps.new_received.total", Some(3))])),
            ),
            report(
                2021,
                "b",
                Some(stats("gov-2019", &[("apps.new_received.total", Some(4))])),
            ),
            report(2021, "c", Some(stats("gov-2021", &[]))),
        ]);
        let y = year_comparison(&s, 2021);
        let i = y
            .indicators
            .iter()
            .position(|i| i.id == "apps.new_received")
            .unwrap();
        let total = y.totals[i];
        assert_eq!(total.sum, Some(Decimal::from(7)));
        assert_eq!((total.reported, total.collected), (2, 3));
        let lic = y
            .indicators
            .iter()
            .position(|i| i.id == "licensing.decisions")
            .unwrap();
        assert_eq!(y.totals[lic].sum, None);
        assert_eq!(y.rows.len(), 3);
    }

    #[test]
    fn totals_say_how_many_townships_reported() {
        let mut t = Total::default();
        t.add((
            Measure::Reported {
                value: Decimal::from(3),
                blanks: 0,
            },
            Some(Grade::Same),
        ));
        t.add((Measure::Blank, Some(Grade::Same)));
        t.add((
            Measure::Reported {
                value: Decimal::from(4),
                blanks: 0,
            },
            Some(Grade::Approximate),
        ));
        t.add((Measure::NotCollected, None));
        assert_eq!(t.sum, Some(Decimal::from(7)));
        assert_eq!((t.reported, t.collected), (2, 3));
        assert!(t.approximate);
        assert_eq!(
            Total::default().sum,
            None,
            "nobody reported: no total, not 0"
        );
    }
}
