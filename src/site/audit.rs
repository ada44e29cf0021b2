//! Oversight (督查): for every township and report year, whether the report was published, on
//! time, late or without a date, with what checking it found and how much of its table is blank.
//!
//! One model serves the `/audit/` page, `audit.csv`/`audit.xlsx`, the township pages' publication
//! records and `nianbao audit`. It depends only on the site, so the same content gives the same
//! audit: lateness is measured against the deadline, never against today's date.

use chrono::NaiveDate;

use super::{Report, Site};
use crate::dates::Due;

/// The state of one township's report for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Published by the deadline.
    OnTime,
    /// Published this many days after the deadline.
    Late(i64),
    /// No report although the township existed that year.
    Missing,
    /// Published, but the original does not show the date (`published: ~`).
    DateUnknown,
    /// The township did not exist that year (`since`/`until`), and there is no report.
    NotRequired,
}

impl Status {
    /// The CSV/JSON code: `on_time`, `late`, `missing`, `date_unknown`, `not_required`.
    pub fn code(self) -> &'static str {
        match self {
            Status::OnTime => "on_time",
            Status::Late(_) => "late",
            Status::Missing => "missing",
            Status::DateUnknown => "date_unknown",
            Status::NotRequired => "not_required",
        }
    }

    /// The words of the page: 按时, 逾期 N 天, 未发布, 日期未注明, 不需发布.
    pub fn text(self) -> String {
        match self {
            Status::OnTime => "按时".to_string(),
            Status::Late(days) => format!("逾期 {days} 天"),
            Status::Missing => "未发布".to_string(),
            Status::DateUnknown => "日期未注明".to_string(),
            Status::NotRequired => "不需发布".to_string(),
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
    /// The report's index in [`Site::reports`], when there is one.
    pub report: Option<usize>,
    /// Its state.
    pub status: Status,
    /// The 公开日期, when there is a report that shows it.
    pub published: Option<NaiveDate>,
    /// When the report was due.
    pub due: Option<Due>,
    /// Errors found in the report's files (a published site has none).
    pub errors: usize,
    /// Consistency rules of its table that the figures break (shown on its page).
    pub rule_warnings: usize,
    /// Blank cells of its table.
    pub blank_cells: usize,
    /// All cells of its table (0 for a report without one).
    pub total_cells: usize,
}

/// One year's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearSummary {
    /// The report year.
    pub year: u16,
    /// Townships that had to publish.
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
}

/// The audit of a whole site.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Report years, newest first: every year from the first report to the last.
    pub years: Vec<u16>,
    /// Per township (display order), one cell per year of [`Audit::years`].
    pub rows: Vec<Vec<Cell>>,
    /// Per year of [`Audit::years`].
    pub summaries: Vec<YearSummary>,
}

impl Audit {
    /// Count the errors of each report folder (`content/<year>/<slug>/`) among `diagnostics`,
    /// including folders whose report could not be loaded at all.
    pub fn count_errors(&mut self, site: &Site, diagnostics: &crate::diagnostics::Diagnostics) {
        // Counted once per folder: matching every cell against every diagnostic grew with the
        // square of a province's size.
        let mut per_folder: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        let files: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .map(|d| d.file.replace('\\', "/"))
            .collect();
        for file in &files {
            if let Some(folder) = report_folder(file) {
                *per_folder.entry(folder).or_default() += 1;
            }
        }
        for row in &mut self.rows {
            for cell in row.iter_mut() {
                let folder = format!(
                    "content/{}/{}/",
                    cell.year, site.townships[cell.township].slug
                );
                cell.errors = per_folder.get(folder.as_str()).copied().unwrap_or(0);
            }
        }
    }
}

/// `content/<year>/<slug>/` of a file inside a report folder.
fn report_folder(file: &str) -> Option<&str> {
    const CONTENT: &str = "content/";
    let rest = file.strip_prefix(CONTENT)?;
    let year_end = rest.find('/')?;
    let slug_end = year_end + 1 + rest[year_end + 1..].find('/')?;
    Some(&file[..CONTENT.len() + slug_end + 1])
}

/// Audit every township for every report year of the site.
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

fn audit_years(site: &Site) -> Vec<u16> {
    let years = site.years();
    match (years.last(), years.first()) {
        (Some(&first), Some(&last)) => (first..=last).rev().collect(),
        _ => Vec::new(),
    }
}

fn cell(site: &Site, township: usize, year: u16) -> Cell {
    let t = &site.townships[township];
    let due = site.config.deadlines.due(year);
    let index = site.report_index(year, &t.slug);
    let report: Option<&Report> = index.map(|i| &site.reports[i]);
    let status = match report {
        None if t.existed_in(year) => Status::Missing,
        None => Status::NotRequired,
        Some(r) => match (r.meta.published, &due) {
            (None, _) => Status::DateUnknown,
            (Some(p), Some(d)) if p > d.date => Status::Late((p - d.date).num_days()),
            (Some(_), _) => Status::OnTime,
        },
    };
    let (blank_cells, total_cells) = report.and_then(|r| r.stats.as_ref()).map_or((0, 0), |s| {
        (
            s.values.iter().filter(|v| v.is_none()).count(),
            s.values.len(),
        )
    });
    Cell {
        year,
        township,
        report: index,
        status,
        published: report.and_then(|r| r.meta.published),
        due,
        errors: report.map_or(0, |r| r.errors),
        rule_warnings: report
            .and_then(|r| r.stats.as_ref())
            .map_or(0, |s| s.findings.len()),
        blank_cells,
        total_cells,
    }
}

fn summary<'a>(year: u16, cells: impl Iterator<Item = &'a Cell>) -> YearSummary {
    let mut s = YearSummary {
        year,
        required: 0,
        published: 0,
        on_time: 0,
        late: 0,
        date_unknown: 0,
        missing: 0,
    };
    for c in cells {
        match c.status {
            Status::OnTime => s.on_time += 1,
            Status::Late(_) => s.late += 1,
            Status::DateUnknown => s.date_unknown += 1,
            Status::Missing => s.missing += 1,
            Status::NotRequired => continue,
        }
        s.required += 1;
        if c.status.published() {
            s.published += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::compare::tests_support::report;
    use crate::site::{Site, Township};

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
}
