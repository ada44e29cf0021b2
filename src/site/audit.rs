//! Oversight (督查): for every township and report year, whether the report was published, on
//! time, late or without a date, or is not yet due, with what checking found and how much of
//! its table is blank.
//!
//! One model serves the `/audit/` page, `audit.csv`/`audit.xlsx`, the township pages' publication
//! records and `nianbao audit`. It depends only on the site, whose settings carry the day the
//! audit is made as of ([`crate::config::Config::as_of`]): every report year from the first a
//! township was set up to the year before that day is audited, reports or not, and the as-of
//! year too where it has reports. Lateness is measured against the deadline; the as-of day only
//! decides what is not yet due.

use chrono::NaiveDate;

use super::{Site, Stats};
use crate::dates::Due;

/// The state of one township's report for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Published by the deadline.
    OnTime,
    /// Published this many days after the deadline.
    Late(i64),
    /// No report although the township existed that year and the deadline has passed.
    Missing,
    /// Published, but its date is not known: the original does not show it (`published: ~`),
    /// or report.md states it in a form that cannot be read (an error says how to write it).
    DateUnknown,
    /// The township did not exist that year (`since`/`until`), and there is no report.
    NotRequired,
    /// No report yet, and the deadline is after the as-of day.
    NotDue,
}

impl Status {
    /// The CSV/JSON code: `on_time`, `late`, `missing`, `date_unknown`, `not_required`,
    /// `not_due`.
    pub fn code(self) -> &'static str {
        match self {
            Status::OnTime => "on_time",
            Status::Late(_) => "late",
            Status::Missing => "missing",
            Status::DateUnknown => "date_unknown",
            Status::NotRequired => "not_required",
            Status::NotDue => "not_due",
        }
    }

    /// The words of the page: 按时, 逾期 N 天, 未发布, 日期未注明, 不需发布, 未到期.
    pub fn text(self) -> String {
        match self {
            Status::OnTime => "按时".to_string(),
            Status::Late(days) => format!("逾期 {days} 天"),
            Status::Missing => "未发布".to_string(),
            Status::DateUnknown => "日期未注明".to_string(),
            Status::NotRequired => "不需发布".to_string(),
            Status::NotDue => "未到期".to_string(),
        }
    }

    /// Whether a report exists for the cell.
    pub fn published(self) -> bool {
        matches!(self, Status::OnTime | Status::Late(_) | Status::DateUnknown)
    }
}

/// One township in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The report year.
    pub year: u16,
    /// The township's index in [`Site::townships`].
    pub township: usize,
    /// The report's index in [`Site::reports`], when there is one that loaded.
    pub report: Option<usize>,
    /// The folder holds a report that could not be loaded ([`Site::unloaded`]): it exists and
    /// has errors.
    pub unloaded: bool,
    /// Its state.
    pub status: Status,
    /// The 公开日期, when there is a report that shows it.
    pub published: Option<NaiveDate>,
    /// When the report was due.
    pub due: Option<Due>,
    /// Errors found in the report's files (a published site has none).
    pub errors: usize,
    /// Warnings found in the report's files, counted as `nianbao check` counts them.
    pub warnings: usize,
    /// Consistency rules of its table that the figures break (shown on its page).
    pub rule_warnings: usize,
    /// The report has a statistics table (false also without a report).
    pub has_table: bool,
    /// Cells of its table that can be filled and are blank.
    pub blank_cells: usize,
    /// Cells of its table that can be filled: every cell but the headings, and a heading when
    /// the report printed a value on it (0 without a table).
    pub total_cells: usize,
}

impl Cell {
    /// Whether a report exists for the cell (loaded or not).
    pub fn has_report(&self) -> bool {
        self.report.is_some() || self.unloaded
    }
}

/// One year's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearSummary {
    /// The report year.
    pub year: u16,
    /// Townships whose report was due by the as-of day, and those that published early.
    pub required: usize,
    /// Reports published (of townships that had to, and of others).
    pub published: usize,
    /// Reports published on time.
    pub on_time: usize,
    /// Reports published late.
    pub late: usize,
    /// Reports without a date.
    pub date_unknown: usize,
    /// Townships that had to publish and did not.
    pub missing: usize,
    /// Townships whose report is not yet due and not yet published.
    pub not_due: usize,
}

/// The audit of a whole site.
#[derive(Debug, Clone)]
pub struct Audit {
    /// The day the audit is made as of; `None` for a site loaded without one.
    pub as_of: Option<NaiveDate>,
    /// Report years, newest first (see the module's documentation).
    pub years: Vec<u16>,
    /// Per township (display order), one cell per year of [`Audit::years`].
    pub rows: Vec<Vec<Cell>>,
    /// Per year of [`Audit::years`].
    pub summaries: Vec<YearSummary>,
}

impl Audit {
    /// The audit restricted to `year` (one of [`Audit::years`]) and to the townships for which
    /// `keep` holds; `None` when the year is not audited.
    pub fn only(&self, year: Option<u16>, keep: impl Fn(usize) -> bool) -> Option<Audit> {
        let columns: Vec<usize> = match year {
            Some(y) => vec![self.years.iter().position(|&x| x == y)?],
            None => (0..self.years.len()).collect(),
        };
        let rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .filter(|row| row.first().is_some_and(|c| keep(c.township)))
            .map(|row| columns.iter().map(|&i| row[i].clone()).collect())
            .collect();
        let summaries = columns
            .iter()
            .enumerate()
            .map(|(j, &i)| summary(self.years[i], rows.iter().map(|row| &row[j])))
            .collect();
        Some(Audit {
            as_of: self.as_of,
            years: columns.iter().map(|&i| self.years[i]).collect(),
            rows,
            summaries,
        })
    }

    /// The cells in the one order every form lists them: newest year first, then townships in
    /// display order.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        (0..self.years.len()).flat_map(move |y| self.rows.iter().map(move |row| &row[y]))
    }
}

impl Audit {
    /// Count the errors and warnings of each report folder (`content/<year>/<slug>/`) among
    /// `diagnostics` — as `nianbao check` lists them, after its promotions — including folders
    /// whose report could not be loaded.
    pub fn count_findings(&mut self, site: &Site, diagnostics: &crate::diagnostics::Diagnostics) {
        use crate::diagnostics::Severity;
        // Counted once per folder: matching every cell against every diagnostic grew with the
        // square of a province's size.
        let mut per_folder: std::collections::HashMap<(&str, &str), (usize, usize)> =
            std::collections::HashMap::new();
        for d in diagnostics.iter() {
            if let Some(folder) = report_folder(&d.file) {
                let counts = per_folder.entry(folder).or_default();
                match d.severity {
                    Severity::Error => counts.0 += 1,
                    Severity::Warning => counts.1 += 1,
                }
            }
        }
        for row in &mut self.rows {
            for cell in row.iter_mut() {
                let year = cell.year.to_string();
                let slug = site.townships[cell.township].slug.as_str();
                let (errors, warnings) = per_folder
                    .get(&(year.as_str(), slug))
                    .copied()
                    .unwrap_or_default();
                cell.errors = errors;
                cell.warnings = warnings;
            }
        }
    }
}

/// How many townships' years [`unpublished_warning`] names before 等.
const NAMED: usize = 3;

/// One warning when the public oversight (the audit page, township pages) will show cells as
/// 未发布: how many, the first few townships with their years, and — for a township registered
/// without `since` whose own first report is later than the years it is audited for — the
/// `since` to write if it did not have to publish before. `registry` is the township registry's
/// file, which the warning names. `None` when nothing is missing.
pub fn unpublished_warning(site: &Site, registry: &str) -> Option<crate::diagnostics::Diagnostic> {
    let audit = audit(site);
    let mut missing = 0;
    let mut named = Vec::new();
    let mut hints = Vec::new();
    for row in &audit.rows {
        // Oldest year first.
        let years: Vec<u16> = row
            .iter()
            .rev()
            .filter(|c| c.status == Status::Missing)
            .map(|c| c.year)
            .collect();
        let Some(first) = row.first() else { continue };
        let t = &site.townships[first.township];
        missing += years.len();
        if years.is_empty() {
            continue;
        }
        if named.len() < NAMED {
            named.push(format!("{} {} 年度", t.name, year_runs(&years)));
        }
        let first_report = row.iter().filter(|c| c.has_report()).map(|c| c.year).min();
        if t.since.is_none() {
            match first_report {
                Some(y) if years.iter().any(|&m| m < y) => hints.push(format!(
                    "{}（{}）没有写 since，它的第一份报告是 {y} 年度：如果它从 {y} 年度起才需要发布，在名录中为它加一行 since: {y}",
                    t.name, t.slug
                )),
                None => hints.push(format!(
                    "{}（{}）没有写 since，也还没有任何报告：在名录中为它写上第一个需要发布年报的年度，如 since: {}",
                    t.name,
                    t.slug,
                    years.last().copied().unwrap_or_default()
                )),
                _ => {}
            }
        }
    }
    if missing == 0 {
        return None;
    }
    let more = if audit
        .rows
        .iter()
        .filter(|r| r.iter().any(|c| c.status == Status::Missing))
        .count()
        > named.len()
    {
        "等"
    } else {
        ""
    };
    let (first, last) = (
        audit.years.last().copied().unwrap_or_default(),
        audit.years.first().copied().unwrap_or_default(),
    );
    let mut hint = format!(
        "督查页列出 {first}—{last} 年度（从名录中最早的 since 或最早的一份报告算起），这些年度没有报告的乡镇都显示为“未发布”。请补上这些报告；乡镇从某一年度起才需要发布的，在 {registry} 中为它写 since（第一个需要发布年报的年度）"
    );
    for h in hints.iter().take(NAMED) {
        hint.push('；');
        hint.push_str(h);
    }
    if hints.len() > NAMED {
        hint.push_str(&format!(
            "；另有 {} 个乡镇同样没有写 since",
            hints.len() - NAMED
        ));
    }
    Some(
        crate::diagnostics::Diagnostic::warning(
            "audit.missing",
            registry,
            format!(
                "{missing} 个乡镇·年度将在督查页和乡镇页上显示为未发布：{}{more}",
                named.join("、")
            ),
        )
        .hint(hint),
    )
}

/// Years as runs: `2018、2020—2023`.
fn year_runs(years: &[u16]) -> String {
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for &y in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == y => *end = y,
            _ => runs.push((y, y)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}—{b}")
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The year and slug of a file inside a report folder `content/<year>/<slug>/…`, or of the
/// folder itself.
fn report_folder(file: &str) -> Option<(&str, &str)> {
    let rest = file
        .strip_prefix("content/")
        .or_else(|| file.strip_prefix("content\\"))?;
    let mut parts = rest.split(['/', '\\']);
    let (year, slug) = (parts.next()?, parts.next()?);
    (!year.is_empty() && !slug.is_empty()).then_some((year, slug))
}

/// Audit every township for every audited report year of the site.
pub fn audit(site: &Site) -> Audit {
    let years = audit_years(site);
    let rows: Vec<Vec<Cell>> = (0..site.townships.len())
        .map(|t| years.iter().map(|&y| cell(site, t, y)).collect())
        .collect();
    let summaries = years
        .iter()
        .enumerate()
        .map(|(i, &year)| summary(year, rows.iter().map(|row| &row[i])))
        .collect();
    Audit {
        as_of: site.config.as_of,
        years,
        rows,
        summaries,
    }
}

/// The cells of one township, newest year first (its publication record).
pub fn township_record(site: &Site, township: usize) -> Vec<Cell> {
    audit_years(site)
        .into_iter()
        .map(|y| cell(site, township, y))
        .filter(|c| c.status != Status::NotRequired)
        .collect()
}

/// The audited report years, newest first: a year archive's own year; else from the first year
/// a township was set up (or the first report) to the year before the as-of day, and the as-of
/// year when it has reports. Without an as-of day, the years from the first to the last report.
fn audit_years(site: &Site) -> Vec<u16> {
    if let Some(year) = site.archive_of {
        return vec![year];
    }
    let report_years = site
        .reports
        .iter()
        .map(|r| r.year)
        .chain(site.unloaded.iter().map(|u| u.year));
    let (first_report, last_report) = report_years.fold((None, None), |(lo, hi), y| {
        (
            Some(lo.map_or(y, |l: u16| l.min(y))),
            Some(hi.map_or(y, |h: u16| h.max(y))),
        )
    });
    let Some(as_of) = site.config.as_of else {
        return match (first_report, last_report) {
            (Some(first), Some(last)) => (first..=last).rev().collect(),
            _ => Vec::new(),
        };
    };
    let as_of_year = u16::try_from(chrono::Datelike::year(&as_of)).unwrap_or(0);
    let last_due = as_of_year.saturating_sub(1);
    let first_since = site.townships.iter().filter_map(|t| t.since).min();
    let first = [first_since, first_report]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(last_due);
    let has_reports_of = |year: u16| {
        site.reports_of_year(year).next().is_some() || site.unloaded.iter().any(|u| u.year == year)
    };
    let last = if has_reports_of(as_of_year) {
        as_of_year
    } else {
        last_due
    };
    (first..=last).rev().collect()
}

/// What a report folder holds for the audit, loaded or not.
struct Found<'a> {
    published: Option<NaiveDate>,
    stats: Option<&'a Stats>,
    errors: usize,
    warnings: usize,
}

fn found<'a>(site: &'a Site, report: Option<usize>, year: u16, slug: &str) -> Option<Found<'a>> {
    if let Some(r) = report.map(|i| &site.reports[i]) {
        return Some(Found {
            published: r.meta.published,
            stats: r.stats.as_ref(),
            errors: r.errors,
            warnings: r.warnings,
        });
    }
    let u = site
        .unloaded
        .iter()
        .find(|u| u.year == year && u.township == slug)?;
    Some(Found {
        published: u.published,
        stats: u.stats.as_ref(),
        errors: u.errors,
        warnings: u.warnings,
    })
}

fn cell(site: &Site, township: usize, year: u16) -> Cell {
    let t = &site.townships[township];
    let due = site.config.deadlines.due(year);
    let index = site.report_index(year, &t.slug);
    let found = found(site, index, year, &t.slug);
    let not_yet_due = match (site.config.as_of, &due) {
        (Some(as_of), Some(d)) => d.date > as_of,
        _ => false,
    };
    let status = match &found {
        None if !t.existed_in(year) => Status::NotRequired,
        None if not_yet_due => Status::NotDue,
        None => Status::Missing,
        Some(f) => match (f.published, &due) {
            (None, _) => Status::DateUnknown,
            (Some(p), Some(d)) if p > d.date => Status::Late((p - d.date).num_days()),
            (Some(_), _) => Status::OnTime,
        },
    };
    let stats = found.as_ref().and_then(|f| f.stats);
    let (blank_cells, total_cells) = stats.map_or((0, 0), fillable_cells);
    Cell {
        year,
        township,
        report: index,
        unloaded: index.is_none() && found.is_some(),
        status,
        published: found.as_ref().and_then(|f| f.published),
        due,
        errors: found.as_ref().map_or(0, |f| f.errors),
        warnings: found.as_ref().map_or(0, |f| f.warnings),
        rule_warnings: stats.map_or(0, |s| s.findings.len()),
        has_table: stats.is_some(),
        blank_cells,
        total_cells,
    }
}

/// (blank, fillable) cells of a table: a heading row is a cell only when the report printed a
/// value on it.
fn fillable_cells(stats: &Stats) -> (usize, usize) {
    stats
        .format
        .cells
        .iter()
        .zip(&stats.values)
        .filter(|(cell, value)| !cell.heading || value.is_some())
        .fold((0, 0), |(blank, total), (_, value)| {
            (blank + usize::from(value.is_none()), total + 1)
        })
}

/// The totals of `cells` (one year's, or one township's over the years).
pub(crate) fn summary<'a>(year: u16, cells: impl Iterator<Item = &'a Cell>) -> YearSummary {
    let mut s = YearSummary {
        year,
        ..YearSummary::default()
    };
    for c in cells {
        s.count(c.status);
    }
    s
}

impl YearSummary {
    /// Count one township-year of `status` (the one rule of every total: a county's years, a
    /// township's record, a federation's counties).
    pub(crate) fn count(&mut self, status: Status) {
        match status {
            Status::OnTime => self.on_time += 1,
            Status::Late(_) => self.late += 1,
            Status::DateUnknown => self.date_unknown += 1,
            Status::Missing => self.missing += 1,
            Status::NotDue => {
                self.not_due += 1;
                return;
            }
            Status::NotRequired => return,
        }
        self.required += 1;
        if status.published() {
            self.published += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::compare::tests_support::report;
    use crate::site::{Report, Site, Township};

    fn township(slug: &str, since: Option<u16>, until: Option<u16>) -> Township {
        Township {
            slug: slug.to_string(),
            name: slug.to_string(),
            kind: "镇".to_string(),
            code: None,
            order: 0,
            formerly: Vec::new(),
            since,
            until,
        }
    }

    fn dated(year: u16, slug: &str, published: Option<&str>) -> Report {
        let mut r = report(year, slug, "t");
        r.meta.published = published.and_then(crate::dates::parse_date);
        r
    }

    fn site(config: &str, reports: Vec<Report>) -> Site {
        let config = crate::config::Config::parse(&format!(
            "title = \"t\"\nbase_url = \"https://a.cn/\"\n{config}"
        ))
        .expect("config");
        let townships = vec![
            township("a", None, None),
            township("b", Some(2019), None),
            township("c", None, Some(2018)),
        ];
        Site::new(config, townships, reports, None, Default::default())
    }

    #[test]
    fn every_status_with_known_answers() {
        let s = site(
            "",
            vec![
                dated(2018, "a", Some("2019-03-31")),
                dated(2019, "a", Some("2020-02-03")),
                dated(2019, "b", None),
                dated(2018, "c", Some("2019-04-01")),
            ],
        );
        let audit = audit(&s);
        assert_eq!(audit.years, vec![2019, 2018]);
        let statuses: Vec<Vec<Status>> = audit
            .rows
            .iter()
            .map(|row| row.iter().map(|c| c.status).collect())
            .collect();
        assert_eq!(
            statuses,
            vec![
                // a: 2019 due 2020-01-31 (the 2019 regulation), 2018 due 2019-03-31 (2008).
                vec![Status::Late(3), Status::OnTime],
                // b: since 2019.
                vec![Status::DateUnknown, Status::NotRequired],
                // c: until 2018.
                vec![Status::NotRequired, Status::Late(1)],
            ]
        );
        let y2019 = audit.summaries[0];
        assert_eq!(
            (y2019.required, y2019.published, y2019.on_time, y2019.late),
            (2, 2, 0, 1)
        );
        assert_eq!(y2019.date_unknown, 1);
    }

    #[test]
    fn a_missing_report_and_a_county_deadline() {
        let s = site(
            "[deadlines]\ndefault = \"01-20\"\n[[deadlines.exception]]\nyear = 2018\ndue = \"2019-04-30\"\nnote = \"顺延\"\n",
            vec![
                dated(2018, "a", Some("2019-04-15")),
                dated(2019, "a", Some("2020-01-21")),
                dated(2019, "b", Some("2020-01-20")),
            ],
        );
        let audit = audit(&s);
        let a: Vec<Status> = audit.rows[0].iter().map(|c| c.status).collect();
        assert_eq!(a, vec![Status::Late(1), Status::OnTime]);
        assert_eq!(audit.rows[1][0].status, Status::OnTime);
        // c existed until 2018 and did not publish then.
        assert_eq!(audit.rows[2][1].status, Status::Missing);
        assert_eq!(audit.rows[2][0].status, Status::NotRequired);
        assert_eq!(
            audit.rows[0][1].due.as_ref().map(|d| d.basis.as_str()),
            Some("顺延")
        );
        let y2018 = audit.summaries[1];
        assert_eq!((y2018.required, y2018.published, y2018.missing), (2, 1, 1));
    }

    #[test]
    fn as_of_a_day_every_due_year_is_audited_and_the_rest_is_not_due() {
        let mut s = site(
            "",
            vec![
                dated(2019, "a", Some("2020-01-10")),
                dated(2022, "b", Some("2023-01-05")),
            ],
        );
        s.config.as_of = crate::dates::parse_date("2023-01-20");
        let audit = audit(&s);
        // 2022 has a report (published early), 2021 and 2020 nobody's: all audited.
        assert_eq!(audit.years, vec![2022, 2021, 2020, 2019]);
        assert_eq!(
            audit.rows[0][0].status,
            Status::NotDue,
            "a, 2022: due 2023-01-31"
        );
        assert_eq!(audit.rows[1][0].status, Status::OnTime, "b published early");
        assert_eq!(audit.rows[0][1].status, Status::Missing, "a, 2021");
        let y2022 = audit.summaries[0];
        assert_eq!((y2022.required, y2022.not_due, y2022.missing), (1, 1, 0));
        // The archive of 2019, made today, audits 2019 as of its deadline: settled.
        let archive = s.restricted_to_year(2019);
        assert_eq!(archive.config.as_of, crate::dates::parse_date("2020-01-31"));
        assert_eq!(super::audit(&archive).years, vec![2019]);
        // The archive of 2022 before its deadline keeps the day: what is not due changes.
        assert_eq!(
            s.restricted_to_year(2022).config.as_of,
            crate::dates::parse_date("2023-01-20")
        );
    }
}
