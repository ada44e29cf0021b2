//! The in-memory model of a site: the township registry and every report, indexed.
//!
//! Built once by the loader; everything after it (rendering, checks, serve) reads it and never
//! re-reads content files.

pub mod compare;
mod model;

use std::collections::BTreeMap;

pub use model::{Attachment, Figure, Form, Report, ReportMeta, RuleFinding, Stats, Township};

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
        let rank: std::collections::HashMap<&str, usize> = townships
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.as_str(), i))
            .collect();
        reports.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.year),
                rank.get(r.township.as_str()).copied().unwrap_or(usize::MAX),
            )
        });
        Site {
            config,
            townships,
            reports,
            intro,
            year_intros,
        }
    }

    /// Years that have at least one report, newest first.
    pub fn years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = self.reports.iter().map(|r| r.year).collect();
        years.dedup();
        years
    }

    /// The township with this slug.
    pub fn township(&self, slug: &str) -> Option<&Township> {
        self.townships.iter().find(|t| t.slug == slug)
    }

    /// Reports of one year, in township order.
    pub fn reports_of_year(&self, year: u16) -> impl Iterator<Item = &Report> {
        self.reports.iter().filter(move |r| r.year == year)
    }

    /// Reports of one township, newest first.
    pub fn reports_of_township<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = &'a Report> {
        self.reports.iter().filter(move |r| r.township == slug)
    }
}
