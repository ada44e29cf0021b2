//! The in-memory model of a site: the township registry and every report, indexed.
//!
//! Built once by the loader; everything after it (rendering, checks, serve) reads it and never
//! re-reads content files.

pub mod audit;
pub mod compare;
pub mod figure;
pub mod headline;
mod model;
pub mod table;
pub mod totals;

use std::collections::{BTreeMap, HashMap};

pub use model::{
    Attachment, Figure, Form, PluginPage, Report, ReportMeta, RuleFinding, Stats, Township,
    UnloadedReport,
};

use crate::config::Config;

/// A loaded, validated site.
#[derive(Debug)]
pub struct Site {
    /// Settings from site.toml (with CLI overrides applied).
    pub config: Config,
    /// Townships in display order.
    pub townships: Vec<Township>,
    /// Reports, newest year first, then in township display order.
    pub reports: Vec<Report>,
    /// Markdown introduction of the home page (`content/_index.md`).
    pub intro: Option<String>,
    /// Markdown introductions of year pages (`content/<year>/_index.md`).
    pub year_intros: BTreeMap<u16, String>,
    /// The year when this is the offline copy of one year ([`Site::restricted_to_year`]): such
    /// a site has no feeds, sitemap, 404 page or archives of its own.
    pub archive_of: Option<u16>,
    /// Pages added by plugins ([`crate::plugins`]), sorted by path; none in a year archive.
    pub plugin_pages: Vec<PluginPage>,
    /// Report folders whose reports could not be loaded: only `nianbao audit` sees them (a
    /// build with errors publishes nothing), so that a broken report is never taken as missing.
    pub unloaded: Vec<UnloadedReport>,
    index: Index,
}

/// A site's parts: settings, townships, reports, home and year introductions.
pub type SiteParts = (
    Config,
    Vec<Township>,
    Vec<Report>,
    Option<String>,
    BTreeMap<u16, String>,
);

/// Lookups that every page needs, built once so that no page scans all reports.
#[derive(Debug, Default)]
struct Index {
    township: HashMap<String, usize>,
    report: HashMap<(u16, String), usize>,
    by_township: HashMap<String, Vec<usize>>,
    by_year: BTreeMap<u16, Vec<usize>>,
}

/// The title of a report whose front matter gives none: 「`<region><township>`2018年度政府信息公开工作
/// 年度报告」.
pub fn default_title(region: &str, township_name: &str, year: u16) -> String {
    format!("{region}{township_name}{year}年度政府信息公开工作年度报告")
}

impl Site {
    /// Assemble a site, putting townships and reports in display order.
    pub fn new(
        config: Config,
        mut townships: Vec<Township>,
        mut reports: Vec<Report>,
        intro: Option<String>,
        year_intros: BTreeMap<u16, String>,
    ) -> Site {
        townships.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
        let township: HashMap<String, usize> = townships
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        reports.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.year),
                township
                    .get(r.township.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
            )
        });
        let mut index = Index {
            township,
            ..Index::default()
        };
        for (i, r) in reports.iter().enumerate() {
            index.report.insert((r.year, r.township.clone()), i);
            index
                .by_township
                .entry(r.township.clone())
                .or_default()
                .push(i);
            index.by_year.entry(r.year).or_default().push(i);
        }
        Site {
            config,
            townships,
            reports,
            intro,
            year_intros,
            archive_of: None,
            plugin_pages: Vec::new(),
            unloaded: Vec::new(),
            index,
        }
    }

    /// The site of one year only, for its offline archive: every township (their pages then show
    /// that year alone), that year's reports and introduction, the home introduction. Everything
    /// derived from the site (pages, data files, search) follows from this one restriction.
    pub fn restricted_to_year(&self, year: u16) -> Site {
        let reports = self.reports_of_year(year).cloned().collect();
        let year_intros = self
            .year_intros
            .get(&year)
            .map(|t| BTreeMap::from([(year, t.clone())]))
            .unwrap_or_default();
        let mut site = Site::new(
            self.config.clone(),
            self.townships.clone(),
            reports,
            self.intro.clone(),
            year_intros,
        );
        site.archive_of = Some(year);
        site.config.as_of = self.archive_as_of(year);
        site
    }

    /// The day the archive of `year` makes its oversight as of: the site's day, but never after
    /// the year's deadline — past it every state is settled, so a finished year's archive stays
    /// the same from day to day.
    pub fn archive_as_of(&self, year: u16) -> Option<chrono::NaiveDate> {
        let as_of = self.config.as_of?;
        match self.config.deadlines.due(year) {
            Some(due) if due.date < as_of => Some(due.date),
            _ => Some(as_of),
        }
    }

    /// Take the site apart again (incremental rebuilds replace single reports).
    pub fn into_parts(self) -> SiteParts {
        (
            self.config,
            self.townships,
            self.reports,
            self.intro,
            self.year_intros,
        )
    }

    /// Replace the report of the same year and township in place (the set of reports and their
    /// order stay the same); returns the old report, or gives the new one back when there is none.
    pub fn replace_report(&mut self, report: Report) -> Result<Report, Report> {
        match self
            .index
            .report
            .get(&(report.year, report.township.clone()))
        {
            Some(&i) => Ok(std::mem::replace(&mut self.reports[i], report)),
            None => Err(report),
        }
    }

    /// Years that have at least one report, newest first.
    pub fn years(&self) -> Vec<u16> {
        self.index.by_year.keys().rev().copied().collect()
    }

    /// The index in [`Site::townships`] of the township with this slug.
    pub fn township_index(&self, slug: &str) -> Option<usize> {
        self.index.township.get(slug).copied()
    }

    /// A township by slug.
    pub fn township(&self, slug: &str) -> Option<&Township> {
        self.index.township.get(slug).map(|&i| &self.townships[i])
    }

    /// The printed name of the township with this slug; the slug itself for a township the
    /// registry does not hold (loading refuses such reports, so pages never show it).
    pub fn township_name<'s>(&'s self, slug: &'s str) -> &'s str {
        self.township(slug).map_or(slug, |t| t.name.as_str())
    }

    /// The report of one township in one year.
    pub fn report(&self, year: u16, slug: &str) -> Option<&Report> {
        self.index
            .report
            .get(&(year, slug.to_string()))
            .map(|&i| &self.reports[i])
    }

    /// The index in [`Site::reports`] of one township's report of one year.
    pub fn report_index(&self, year: u16, slug: &str) -> Option<usize> {
        self.index.report.get(&(year, slug.to_string())).copied()
    }

    /// Reports of one year, in township order.
    pub fn reports_of_year(&self, year: u16) -> impl Iterator<Item = &Report> {
        self.index
            .by_year
            .get(&year)
            .into_iter()
            .flatten()
            .map(|&i| &self.reports[i])
    }

    /// Reports of one township, newest first.
    pub fn reports_of_township<'a>(
        &'a self,
        slug: &str,
    ) -> impl Iterator<Item = &'a Report> + use<'a> {
        self.index
            .by_township
            .get(slug)
            .into_iter()
            .flatten()
            .map(|&i| &self.reports[i])
    }
}
